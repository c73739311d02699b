package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
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

// DefaultWatchInterval is how often "serve --watch" looks for changes.
const DefaultWatchInterval = 2 * time.Second

// envToken names the environment variable that may hold the token of the
// admin route (the other way being --token-file).
const envToken = "RAPPORTS_TOKEN"

// maxTokenFile bounds the size of a --token-file.
const maxTokenFile = 4096

// watchFlags are the flags of serve's live updates.
func watchFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "watch", Usage: "index `DIR` at start, then again whenever a file under it is added, changed or removed", TakesFile: true},
		&cli.DurationFlag{Name: "interval", Value: DefaultWatchInterval, Usage: "with --watch, look for changes every `DURATION`"},
		&cli.StringFlag{Name: "token-file", TakesFile: true, Usage: "with --watch, enable POST " + server.ReindexPath +
			" for requests carrying the header \"Authorization: Bearer TOKEN\", TOKEN being the content of `FILE`" +
			" (or of the environment variable " + envToken + ")"},
		// --token is refused with a message: a token on the command line
		// is visible to every user of the machine (ps, /proc/PID/cmdline).
		&cli.StringFlag{Name: "token", Hidden: true},
	}
}

// watcher keeps an index up to date with a folder, by polling: it looks at
// the names, sizes and modification times of the files under the folder
// and, when they change, re-indexes it incrementally (only changed reports
// are rewritten). Each batch is written atomically, so searches running
// meanwhile see a report either as it was or as it is, never half-written.
type watcher struct {
	idx      *index.Index
	dir      string
	interval time.Duration
	log      *slog.Logger

	// life is done when the watcher stops: it stops the admin route's
	// runs too, which do not depend on their client.
	life context.Context

	mu   sync.Mutex // serializes sync
	last map[string]fileStamp
}

// fileStamp is what the watcher compares to find changed files.
type fileStamp struct {
	size int64
	mod  time.Time
}

// newWatcher returns a watcher of dir, which must be a folder.
func newWatcher(idx *index.Index, dir string, interval time.Duration, log *slog.Logger) (*watcher, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("watch: %s is not a folder", dir)
	}
	if interval <= 0 {
		return nil, fmt.Errorf("watch: interval %v is not positive", interval)
	}
	return &watcher{idx: idx, dir: dir, interval: interval, log: log, life: context.Background()}, nil
}

// start indexes the folder, then polls it every interval until ctx is
// done. The returned function stops the watcher and waits for it, so that
// the index can then be closed.
func (w *watcher) start(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	w.life = ctx
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.log.Info("watching", "dir", w.dir, "interval", w.interval)
		wait := w.interval
		for {
			wait = w.pass(ctx, wait)
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}

// maxRetryWait bounds the wait before the watcher tries again after a
// failed pass (a full disk): the wait doubles from the interval up to it.
const maxRetryWait = time.Minute

// pass runs one sync and returns how long to wait before the next: the
// interval, or after a failure (a full disk, a damaged index) twice the
// last wait up to maxRetryWait. The index keeps serving its last state on
// disk meanwhile. A panic is recovered and logged as a failure, so that
// serve goes on.
func (w *watcher) pass(ctx context.Context, last time.Duration) (wait time.Duration) {
	defer func() {
		if r := recover(); r != nil {
			wait = min(max(2*last, w.interval), maxRetryWait)
			w.log.Error("watch: index failed; serving the index as it was", "dir", w.dir, "panic", fmt.Sprint(r), "retry_in", wait)
		}
	}()
	_, err := w.sync(ctx, false)
	if err == nil || ctx.Err() != nil {
		return w.interval
	}
	wait = min(2*last, maxRetryWait)
	w.log.Error("watch: index failed; serving the index as it was", "dir", w.dir, "err", err, "retry_in", wait)
	return wait
}

// sync re-indexes the folder when its files changed since the last sync,
// or always when force is set. It reports whether it indexed.
func (w *watcher) sync(ctx context.Context, force bool) (index.AddSummary, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	snap := w.snapshot()
	if !force && w.last != nil && sameStamps(snap, w.last) {
		return index.AddSummary{}, nil
	}
	st, err := w.idx.AddPaths(ctx, []string{w.dir}, index.AddOptions{
		OnProblem: func(p corpus.Problem) { w.log.Warn("watch: skipped", "problem", p.Error()) },
	})
	if err != nil {
		return st, fmt.Errorf("watch: index %s: %w", w.dir, err)
	}
	if st.Canceled {
		return st, nil // not up to date: the next sync, if any, does it again
	}
	w.last = snap
	if st.Added+st.Updated+st.Removed > 0 || force {
		w.log.Info("watch: indexed", "dir", w.dir, "added", st.Added, "updated", st.Updated,
			"removed", st.Removed, "unchanged", st.Unchanged, "failed", st.Failed,
			"duration", st.Duration.Round(time.Millisecond))
	}
	return st, nil
}

// snapshot returns the stamps of the files under the folder, skipping
// hidden ones as the index does. Unreadable entries count as they are
// (the index run reports them).
func (w *watcher) snapshot() map[string]fileStamp {
	snap := map[string]fileStamp{}
	_ = filepath.WalkDir(w.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			snap[p] = fileStamp{size: -1}
			return nil
		}
		if p != w.dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		// Follow symbolic links, as the index does.
		info, err := os.Stat(p)
		if err != nil {
			snap[p] = fileStamp{size: -1}
			return nil
		}
		snap[p] = fileStamp{size: info.Size(), mod: info.ModTime()}
		return nil
	})
	return snap
}

func sameStamps(a, b map[string]fileStamp) bool {
	if len(a) != len(b) {
		return false
	}
	for p, s := range a {
		if t, ok := b[p]; !ok || !t.mod.Equal(s.mod) || t.size != s.size {
			return false
		}
	}
	return true
}

// Reindex indexes the folder now, changed or not: the backend of the
// server's admin route. The run stops (AddSummary.Canceled) when ctx is done
// or when the watcher stops (serve shutting down), whichever comes first.
func (w *watcher) Reindex(ctx context.Context) (index.AddSummary, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(w.life, cancel)()
	return w.sync(ctx, true)
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
	stop := w.start(c.Context)
	if token != "" {
		opts.Reindexer, opts.AdminToken = w, token
	}
	return stop, nil
}
