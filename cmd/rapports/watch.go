package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/rapports/rapports/corpus"
	"github.com/rapports/rapports/index"
	"github.com/rapports/rapports/server"
)

// DefaultWatchInterval is how often "serve --watch" looks for changes when
// it polls, and the longest it waits to index changes it was told of by
// file events while they keep coming.
const DefaultWatchInterval = 2 * time.Second

// watchQuiet is how long the watcher waits after the last file event
// before it indexes (at most half the interval): a file being written or
// copied sends several events, a folder being filled many.
const watchQuiet = 200 * time.Millisecond

// maxRetryWait bounds the wait before the watcher tries again after a
// failed pass (a full disk): the wait doubles from the interval up to it.
const maxRetryWait = time.Minute

// envToken names the environment variable that may hold the token of the
// admin route (the other way being --token-file).
const envToken = "RAPPORTS_TOKEN"

// maxTokenFile bounds the size of a --token-file.
const maxTokenFile = 4096

// watchFlags are the flags of serve's live updates.
func watchFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "watch", Usage: "index `DIR` at start, then again whenever a file under it is added, changed or removed", TakesFile: true},
		&cli.DurationFlag{Name: "interval", Value: DefaultWatchInterval, Usage: "with --watch, index changes at most `DURATION` after they happen (polling: look for them every DURATION)"},
		&cli.BoolFlag{Name: "watch-poll", Usage: "with --watch, look for changes by polling the folder every --interval instead of by file events (for filesystems whose events are unreliable)"},
		&cli.StringFlag{Name: "token-file", TakesFile: true, Usage: "with --watch, enable POST " + server.ReindexPath +
			" for requests carrying the header \"Authorization: Bearer TOKEN\", TOKEN being the content of `FILE`" +
			" (or of the environment variable " + envToken + ")"},
		// --token is refused with a message: a token on the command line
		// is visible to every user of the machine (ps, /proc/PID/cmdline).
		&cli.StringFlag{Name: "token", Hidden: true},
	}
}

// newEvents starts the file events of a folder: newEventSource, replaced
// by tests to make it fail.
var newEvents = newEventSource

// watcher keeps an index up to date with a folder. It indexes the whole
// folder at start (incrementally: unchanged reports, by content hash, are
// not rewritten), then only what changes: the paths that file events
// (fsnotify: inotify, kqueue...) name as created, written, removed or
// renamed, or, when events are not available or not trusted, the files
// whose name, size or modification time changed between two polls. Each
// batch is written atomically, so searches running meanwhile see a report
// either as it was or as it is, never half-written.
type watcher struct {
	idx      *index.Index
	dir      string // absolute
	interval time.Duration
	quiet    time.Duration
	log      *slog.Logger

	// life is done when the watcher stops: it stops the admin route's
	// runs too, which do not depend on their client.
	life context.Context

	mu     sync.Mutex // serializes the passes and guards the fields below
	synced bool       // a whole pass succeeded: the next passes are updates
	events *eventSource
	last   map[string]fileStamp // polling: the stamps of the last pass
}

// newWatcher returns a watcher of dir, which must be a folder. It polls
// until start turns file events on.
func newWatcher(idx *index.Index, dir string, interval time.Duration, log *slog.Logger) (*watcher, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	info, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("watch: %s is not a folder", dir)
	}
	if interval <= 0 {
		return nil, fmt.Errorf("watch: interval %v is not positive", interval)
	}
	return &watcher{idx: idx, dir: abs, interval: interval, quiet: min(watchQuiet, interval/2), log: log,
		life: context.Background()}, nil
}

// start turns file events on unless poll is set or they are not available
// (then it says why in the log and polls), indexes the folder, then its
// changes until ctx is done. The returned function stops the watcher and
// waits for it, so that the index can then be closed.
func (w *watcher) start(ctx context.Context, poll bool) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	w.life = ctx
	mode := "polling"
	if !poll {
		// Watch before the first pass: what changes during it is seen.
		src, err := newEvents(w.dir, w.log)
		if err != nil {
			w.log.Warn("watch: file events unavailable, polling the folder instead", "dir", w.dir, "reason", err, "interval", w.interval)
		} else {
			w.events, mode = src, "events"
		}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() {
			w.mu.Lock()
			defer w.mu.Unlock()
			if w.events != nil {
				w.events.close()
			}
		}()
		w.log.Info("watching", "dir", w.dir, "mode", mode, "interval", w.interval)
		wait := w.interval
		for {
			var ok bool
			wait, ok = w.run(ctx, wait)
			if ctx.Err() != nil {
				return
			}
			if !w.waitNext(ctx, wait, ok) {
				return
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}

// waitNext waits until the next pass is due: after a failed pass, for
// wait; with file events, until some came and then stopped for the quiet
// time (at most the interval after the first); when polling, for the
// interval. It reports false when ctx is done.
func (w *watcher) waitNext(ctx context.Context, wait time.Duration, ok bool) bool {
	w.mu.Lock()
	src := w.events
	w.mu.Unlock()
	if !ok || src == nil {
		return sleep(ctx, wait)
	}
	select {
	case <-ctx.Done():
		return false
	case <-src.failed:
		w.toPolling(src)
		return true
	case <-src.kick:
	}
	first := time.Now()
	for {
		since := src.sinceLast()
		if since >= w.quiet || time.Since(first) >= w.interval {
			return true
		}
		if !sleep(ctx, min(w.quiet-since, w.interval-time.Since(first))) {
			return false
		}
	}
}

// sleep waits for d or ctx, and reports false when ctx is done.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// toPolling turns file events off after they failed (the watch limit
// reached by new folders, the folder itself removed, events lost): the
// next pass is a whole one, then the watcher polls.
func (w *watcher) toPolling(src *eventSource) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.events != src {
		return
	}
	w.log.Warn("watch: file events stopped working, polling the folder instead", "dir", w.dir, "reason", src.err(), "interval", w.interval)
	src.close()
	w.events, w.synced, w.last = nil, false, nil
}

// pass runs one pass (see run) and returns how long to wait before the
// next after a failure.
func (w *watcher) pass(ctx context.Context, last time.Duration) time.Duration {
	wait, _ := w.run(ctx, last)
	return wait
}

// run runs one pass: the whole folder until a whole pass succeeded, then
// what changed. It returns how long to wait after a failure (a full disk,
// a damaged index): twice the last wait up to maxRetryWait, or the
// interval, and whether the pass succeeded. The index keeps serving its
// last state on disk meanwhile, and the changes of a failed pass are
// indexed by the next. A panic is recovered and logged as a failure, so
// that serve goes on.
func (w *watcher) run(ctx context.Context, last time.Duration) (wait time.Duration, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			wait, ok = min(max(2*last, w.interval), maxRetryWait), false
			w.log.Error("watch: index failed; serving the index as it was", "dir", w.dir, "panic", fmt.Sprint(r), "retry_in", wait)
		}
	}()
	w.mu.Lock()
	defer w.mu.Unlock()
	err := w.stepLocked(ctx)
	if err == nil || ctx.Err() != nil {
		return w.interval, err == nil
	}
	wait = min(2*last, maxRetryWait)
	w.log.Error("watch: index failed; serving the index as it was", "dir", w.dir, "err", err, "retry_in", wait)
	return wait, false
}

// stepLocked indexes what is due: the whole folder, or the paths that
// changed.
func (w *watcher) stepLocked(ctx context.Context) error {
	if !w.synced {
		_, err := w.wholeLocked(ctx, false)
		return err
	}
	if w.events != nil {
		paths, whole := w.events.take()
		if whole {
			_, err := w.wholeLocked(ctx, false)
			if err != nil {
				w.events.giveBack(nil, true)
			}
			return err
		}
		if len(paths) == 0 {
			return nil
		}
		st, err := w.updateLocked(ctx, paths, "events")
		if err != nil || st.Canceled {
			w.events.giveBack(paths, false)
		}
		return err
	}
	snap := w.snapshot()
	changed := changedPaths(w.last, snap)
	if len(changed) == 0 {
		return nil
	}
	st, err := w.updateLocked(ctx, changed, "polling")
	if err == nil && !st.Canceled {
		w.last = snap
	}
	return err
}

// wholeLocked indexes the whole folder: at start, after events were lost,
// and for the admin route (force: logged even when nothing changed).
func (w *watcher) wholeLocked(ctx context.Context, force bool) (index.AddSummary, error) {
	var snap map[string]fileStamp
	var pending []string
	if w.events != nil {
		pending, _ = w.events.take() // the whole pass reads them
	} else {
		snap = w.snapshot()
	}
	st, err := w.idx.AddPaths(ctx, []string{w.dir}, index.AddOptions{
		OnProblem: func(p corpus.Problem) { w.log.Warn("watch: skipped", "problem", p.Error()) },
	})
	if err != nil || st.Canceled {
		if w.events != nil {
			w.events.giveBack(pending, false)
		}
		if err != nil {
			return st, fmt.Errorf("watch: index %s: %w", w.dir, err)
		}
		return st, nil // not up to date: the next pass, if any, does it again
	}
	w.synced = true
	w.last = snap
	if st.Added+st.Updated+st.Removed > 0 || force {
		w.log.Info("watch: indexed", "dir", w.dir, "pass", "whole", "added", st.Added, "updated", st.Updated,
			"removed", st.Removed, "unchanged", st.Unchanged, "failed", st.Failed,
			"duration", st.Duration.Round(time.Millisecond))
	}
	return st, nil
}

// updateLocked re-reads the changed paths.
func (w *watcher) updateLocked(ctx context.Context, paths []string, how string) (index.AddSummary, error) {
	st, err := w.idx.UpdatePaths(ctx, w.dir, paths, index.AddOptions{
		OnProblem: func(p corpus.Problem) { w.log.Warn("watch: skipped", "problem", p.Error()) },
	})
	if err != nil {
		return st, fmt.Errorf("watch: index %d changed paths of %s: %w", len(paths), w.dir, err)
	}
	if st.Canceled {
		return st, nil
	}
	if st.Added+st.Updated+st.Removed+st.Failed > 0 {
		w.log.Info("watch: indexed", "dir", w.dir, "pass", how, "paths", len(paths), "added", st.Added, "updated", st.Updated,
			"removed", st.Removed, "unchanged", st.Unchanged, "failed", st.Failed,
			"duration", st.Duration.Round(time.Millisecond))
	} else {
		w.log.Debug("watch: nothing to index", "dir", w.dir, "paths", len(paths), "duration", st.Duration.Round(time.Millisecond))
	}
	return st, nil
}

// Reindex indexes the whole folder now, changed or not: the backend of the
// server's admin route. The run stops (AddSummary.Canceled) when ctx is done
// or when the watcher stops (serve shutting down), whichever comes first.
func (w *watcher) Reindex(ctx context.Context) (index.AddSummary, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(w.life, cancel)()
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.wholeLocked(ctx, true)
}

// adminToken returns the token of the admin route: the content of
// --token-file, else the environment variable RAPPORTS_TOKEN, else "".
// --token is refused, saying the ways that do not show the token in ps.
func adminToken(c *cli.Context, log *slog.Logger) (string, error) {
	if c.IsSet("token") {
		return "", usageError(c, "serve: --token is no longer accepted: a token on the command line is visible to every user of the machine (ps); "+
			"put it in a file readable only by you and give --token-file FILE, or set the environment variable %s", envToken)
	}
	file := c.String("token-file")
	if file == "" {
		tok := os.Getenv(envToken)
		if tok != "" {
			if err := checkToken(tok); err != nil {
				return "", usageError(c, "serve: the environment variable %s %v", envToken, err)
			}
		}
		return tok, nil
	}
	f, err := os.Open(file)
	if err != nil {
		return "", usageError(c, "serve: --token-file: %v", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return "", usageError(c, "serve: --token-file: %v", err)
	}
	if !info.Mode().IsRegular() || info.Size() > maxTokenFile {
		return "", usageError(c, "serve: --token-file %s: want a regular file of at most %d bytes holding the token", file, maxTokenFile)
	}
	b, err := io.ReadAll(io.LimitReader(f, maxTokenFile))
	if err != nil {
		return "", usageError(c, "serve: --token-file: %v", err)
	}
	tok := strings.TrimSpace(string(b))
	if err := checkToken(tok); err != nil {
		return "", usageError(c, "serve: --token-file %s %v", file, err)
	}
	if info.Mode().Perm()&0o077 != 0 {
		log.Warn("the token file may be read by other users: chmod 600 it", "file", file, "mode", info.Mode().Perm().String())
	}
	if os.Getenv(envToken) != "" {
		log.Warn("both --token-file and "+envToken+" are set: the file's token is used", "file", file)
	}
	return tok, nil
}

// checkToken refuses an empty token and one that cannot travel in an
// Authorization header.
func checkToken(tok string) error {
	if tok == "" {
		return errors.New("is empty: want the token")
	}
	for _, r := range tok {
		if r <= ' ' || r == 0x7f {
			return errors.New("holds spaces or control characters: want a token of one word (openssl rand -hex 16 makes one)")
		}
	}
	return nil
}

// startWatching starts serve's live updates when --watch is given: it
// sets opts' admin route when a token is given (--token-file or
// RAPPORTS_TOKEN), and returns the function that stops the watcher.
func startWatching(c *cli.Context, idx *index.Index, opts *server.Options, log *slog.Logger) (func(), error) {
	token, err := adminToken(c, log)
	if err != nil {
		return nil, err
	}
	dir := c.String("watch")
	if dir == "" {
		if c.IsSet("token-file") {
			return nil, usageError(c, "serve: --token-file enables re-indexing the --watch folder: give --watch DIR too")
		}
		return func() {}, nil
	}
	w, err := newWatcher(idx, dir, c.Duration("interval"), log.With("component", "watch"))
	if err != nil {
		return nil, usageError(c, "serve: %v", err)
	}
	stop := w.start(c.Context, c.Bool("watch-poll"))
	if token != "" {
		opts.Reindexer, opts.AdminToken = w, token
	}
	return stop, nil
}
