package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
)

// eventSource collects the paths that file events name under a folder:
// it watches the folder and every folder under it (hidden ones aside, as
// the index skips them), each new folder as it appears, and forgets those
// removed or renamed. The watcher takes the paths collected so far and
// re-reads only them.
type eventSource struct {
	fw  *fsnotify.Watcher
	dir string
	log *slog.Logger

	// kick has a value when paths are pending; failed is closed when
	// the events can no longer be trusted (then the watcher polls).
	kick   chan struct{}
	failed chan struct{}
	done   chan struct{}

	mu        sync.Mutex
	pending   map[string]struct{}
	whole     bool // events were lost: the next pass reads the whole folder
	lastEvent time.Time
	dirs      map[string]struct{} // the folders watched
	failErr   error
	closed    bool
}

// newEventSource watches dir and the folders under it. It fails when
// events are not available (no inotify instance left, the watch limit
// reached, a filesystem whose changes raise no events).
func newEventSource(dir string, log *slog.Logger) (*eventSource, error) {
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return nil, fmt.Errorf("file events: %s is not a folder (%v)", dir, err)
	}
	if why := unreliableEvents(dir); why != "" {
		return nil, errors.New(why)
	}
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("file events: %w", err)
	}
	s := &eventSource{fw: fw, dir: dir, log: log, kick: make(chan struct{}, 1), failed: make(chan struct{}),
		done: make(chan struct{}), pending: map[string]struct{}{}, dirs: map[string]struct{}{}}
	if err := s.addTree(dir, nil); err != nil {
		fw.Close()
		return nil, err
	}
	go s.loop()
	return s, nil
}

// addTree watches the folder p and the folders under it, following
// symbolic links as the index does (stack: the folders above, to stop at
// link loops).
func (s *eventSource) addTree(p string, stack []os.FileInfo) error {
	info, err := os.Stat(p)
	if err != nil || !info.IsDir() {
		return nil // gone meanwhile, or a file
	}
	for _, a := range stack {
		if os.SameFile(a, info) {
			return nil // a link loop: the index does not follow it either
		}
	}
	if err := s.fw.Add(p); err != nil {
		if errors.Is(err, syscall.ENOSPC) {
			return fmt.Errorf("file events: the limit of watched folders is reached at %s (%d watched; raise it with sysctl fs.inotify.max_user_watches=N): %w",
				p, len(s.dirs), err)
		}
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("file events: watch %s: %w", p, err)
	}
	s.mu.Lock()
	s.dirs[p] = struct{}{}
	s.mu.Unlock()
	entries, err := os.ReadDir(p)
	if err != nil {
		return nil // the pass reports unreadable folders
	}
	stack = append(stack, info)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") || !e.IsDir() && e.Type()&os.ModeSymlink == 0 {
			continue
		}
		if err := s.addTree(filepath.Join(p, e.Name()), stack); err != nil {
			return err
		}
	}
	return nil
}

// hidden reports whether p, under the folder, has a hidden element.
func (s *eventSource) hidden(p string) bool {
	rel, err := filepath.Rel(s.dir, p)
	if err != nil || rel == "." {
		return false
	}
	for _, e := range strings.Split(filepath.ToSlash(rel), "/") {
		if strings.HasPrefix(e, ".") {
			return true
		}
	}
	return false
}

// loop collects the events until the watcher is closed.
func (s *eventSource) loop() {
	defer close(s.done)
	for {
		select {
		case ev, ok := <-s.fw.Events:
			if !ok {
				return
			}
			s.handle(ev)
		case err, ok := <-s.fw.Errors:
			if !ok {
				return
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				s.log.Warn("watch: file events were lost (too many at once): the next pass reads the whole folder", "dir", s.dir)
				s.mu.Lock()
				s.whole = true
				s.lastEvent = time.Now()
				s.mu.Unlock()
				s.signal()
				continue
			}
			s.log.Warn("watch: file events", "dir", s.dir, "err", err)
		}
	}
}

// handle records one event: its path is pending; a new folder is watched
// (its content is read with it), a removed or renamed one forgotten.
func (s *eventSource) handle(ev fsnotify.Event) {
	if ev.Op == fsnotify.Chmod || s.hidden(ev.Name) {
		return
	}
	p := filepath.Clean(ev.Name)
	if p == s.dir {
		if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
			s.fail(fmt.Errorf("the folder %s was removed or renamed", s.dir))
		}
		return
	}
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		s.forget(p)
	}
	if ev.Has(fsnotify.Create) {
		if err := s.addTree(p, nil); err != nil {
			s.fail(err)
			return
		}
	}
	s.mu.Lock()
	s.pending[p] = struct{}{}
	s.lastEvent = time.Now()
	s.mu.Unlock()
	s.signal()
}

// forget stops watching p and the folders under it, if it was watched.
func (s *eventSource) forget(p string) {
	s.mu.Lock()
	if _, ok := s.dirs[p]; !ok {
		s.mu.Unlock()
		return
	}
	var gone []string
	prefix := p + string(filepath.Separator)
	for d := range s.dirs {
		if d == p || strings.HasPrefix(d, prefix) {
			gone = append(gone, d)
			delete(s.dirs, d)
		}
	}
	s.mu.Unlock()
	for _, d := range gone {
		_ = s.fw.Remove(d) // already gone for a removed folder
	}
}

func (s *eventSource) signal() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// fail marks the events as no longer trusted; the watcher then polls.
func (s *eventSource) fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failErr == nil {
		s.failErr = err
		close(s.failed)
	}
}

// err returns why the events failed.
func (s *eventSource) err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failErr
}

// sinceLast returns the time since the last event.
func (s *eventSource) sinceLast() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return time.Since(s.lastEvent)
}

// take returns the pending paths, sorted, and whether the whole folder
// must be read, and clears them.
func (s *eventSource) take() (paths []string, whole bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for p := range s.pending {
		paths = append(paths, p)
	}
	clear(s.pending)
	whole, s.whole = s.whole, false
	return paths, whole
}

// giveBack makes paths pending again, after a pass that failed.
func (s *eventSource) giveBack(paths []string, whole bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range paths {
		s.pending[p] = struct{}{}
	}
	s.whole = s.whole || whole
}

// close stops watching.
func (s *eventSource) close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	s.mu.Unlock()
	_ = s.fw.Close()
	<-s.done
}
