package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapports/rapports/index"
)

// TestServeWatchChanges runs "serve --watch" with file events and with
// polling (--watch-poll), and checks that each kind of change is seen:
// a file created, modified, renamed and deleted, a new subfolder with a
// file, a file added to it later, the subfolder renamed, a file added to
// the renamed one, and the subfolder deleted. With events, every change is
// indexed by a pass over its paths only, never a whole pass again.
func TestServeWatchChanges(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	for _, mode := range []string{"events", "polling"} {
		t.Run(mode, func(t *testing.T) {
			env := isolated(t)
			root := t.TempDir()
			docs := filepath.Join(root, "docs")
			if err := os.MkdirAll(docs, 0o755); err != nil {
				t.Fatal(err)
			}
			write := func(rel, body string) {
				t.Helper()
				p := filepath.Join(docs, filepath.FromSlash(rel))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			for i := range 50 {
				write("base/r"+string(rune('a'+i%26))+string(rune('a'+i/26))+".txt", "Un rapport de départ sur le fleuve.\n")
			}
			args := []string{"--index", filepath.Join(root, "idx"), "--watch", docs, "--interval", "200ms"}
			if mode == "polling" {
				args = append(args, "--watch-poll")
			}
			srv := startServe(t, env, args...)
			eventually(t, "the reports present at start", func() (bool, error) {
				n, err := searchTotal(srv.url, "fleuve")
				return n == 50, err
			})
			if !strings.Contains(srv.log(), "mode="+mode) {
				t.Errorf("serve's log does not say mode=%s:\n%s", mode, srv.log())
			}
			hits := func(q string, want uint64) func() (bool, error) {
				return func() (bool, error) {
					n, err := searchTotal(srv.url, q)
					return n == want, err
				}
			}
			doc := func(id string, want int) func() (bool, error) {
				return func() (bool, error) {
					status, _, err := apiGet(srv.url, "/api/documents/"+id)
					return status == want, err
				}
			}
			both := func(a, b func() (bool, error)) func() (bool, error) {
				return func() (bool, error) {
					ok, err := a()
					if !ok || err != nil {
						return ok, err
					}
					return b()
				}
			}
			for _, step := range []struct {
				name   string
				change func() error
				done   func() (bool, error)
			}{
				{"create", func() error { write("a.txt", "Le rapport de l'alpaga.\n"); return nil }, hits("alpaga", 1)},
				{"modify", func() error { write("a.txt", "Le rapport du lamantin.\n"); return nil },
					both(hits("alpaga", 0), hits("lamantin", 1))},
				{"rename", func() error { return os.Rename(filepath.Join(docs, "a.txt"), filepath.Join(docs, "b.txt")) },
					both(doc("a.txt", 404), both(doc("b.txt", 200), hits("lamantin", 1)))},
				{"new subfolder", func() error { write("sub/deep/c.txt", "Le rapport de l'ornithorynque.\n"); return nil },
					hits("ornithorynque", 1)},
				{"file in the new subfolder", func() error { write("sub/deep/d.txt", "Le rapport du wombat.\n"); return nil },
					hits("wombat", 1)},
				{"rename the subfolder", func() error { return os.Rename(filepath.Join(docs, "sub"), filepath.Join(docs, "sub2")) },
					both(doc("sub/deep/c.txt", 404), both(doc("sub2/deep/c.txt", 200), hits("wombat", 1)))},
				{"file in the renamed subfolder", func() error { write("sub2/deep/e.txt", "Le rapport du quokka.\n"); return nil },
					both(hits("quokka", 1), doc("sub2/deep/e.txt", 200))},
				{"delete", func() error { return os.Remove(filepath.Join(docs, "b.txt")) }, hits("lamantin", 0)},
				{"delete the subfolder", func() error { return os.RemoveAll(filepath.Join(docs, "sub2")) },
					both(hits("ornithorynque", 0), both(hits("wombat", 0), hits("quokka", 0)))},
			} {
				if err := step.change(); err != nil {
					t.Fatalf("%s: %v", step.name, err)
				}
				took := eventually(t, step.name, step.done)
				t.Logf("%s: seen after %v", step.name, took.Round(time.Millisecond))
			}
			if n, err := searchTotal(srv.url, "fleuve"); err != nil || n != 50 {
				t.Errorf("the 50 reports of start: %d (%v)", n, err)
			}
			srv.stop(t)
			log := srv.log()
			if got := strings.Count(log, "pass=whole"); got != 1 {
				t.Errorf("%d whole passes; want 1, at start:\n%s", got, log)
			}
			if got := strings.Count(log, "pass="+mode); got < 9 {
				t.Errorf("%d passes by %s; want one per change at least (9):\n%s", got, mode, log)
			}
		})
	}
}

// TestWatchFallsBack checks that the watcher polls when file events fail
// after start (the watch limit reached by a new folder, the folder
// removed), says so in its log, and goes on indexing the changes.
func TestWatchFallsBack(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.txt"), []byte("La défense aérienne."), 0o644); err != nil {
		t.Fatal(err)
	}
	idx, err := index.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	var logs syncBuffer
	w, err := newWatcher(idx, dir, 50*time.Millisecond, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	stop := w.start(ctx, false)
	defer stop()
	total := func(q string) uint64 {
		res, err := idx.Search(ctx, index.Request{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		return res.Total
	}
	eventually(t, "the first pass", func() (bool, error) { return total("défense") == 1, nil })
	w.mu.Lock()
	src := w.events
	w.mu.Unlock()
	if src == nil {
		t.Fatalf("no file events at start:\n%s", logs.String())
	}
	src.fail(errors.New("watch limit reached (test)"))
	eventually(t, "the switch to polling", func() (bool, error) {
		return strings.Contains(logs.String(), "polling the folder instead"), nil
	})
	if err := os.WriteFile(filepath.Join(dir, "b.txt"), []byte("Le barrage du fleuve."), 0o644); err != nil {
		t.Fatal(err)
	}
	eventually(t, "a file created after the switch", func() (bool, error) { return total("barrage") == 1, nil })
	if !strings.Contains(logs.String(), "pass=polling") || !strings.Contains(logs.String(), "watch limit reached (test)") {
		t.Errorf("log after the switch:\n%s", logs.String())
	}
}

// TestWatchNoEvents checks that a watcher whose file events cannot start
// (no inotify instance left, the watch limit reached, a network
// filesystem) polls, says why, and indexes the changes; and that
// --watch-poll polls without trying events.
func TestWatchNoEvents(t *testing.T) {
	dir := t.TempDir()
	if _, err := newEventSource(filepath.Join(dir, "absent"), slog.New(slog.DiscardHandler)); err == nil {
		t.Errorf("file events on a missing folder started")
	}
	defer func(f func(string, *slog.Logger) (*eventSource, error)) { newEvents = f }(newEvents)
	for _, tc := range []struct {
		name   string
		poll   bool
		events func(string, *slog.Logger) (*eventSource, error)
		want   []string
	}{
		{"--watch-poll", true, newEventSource, []string{"mode=polling"}},
		{"no events", false, func(string, *slog.Logger) (*eventSource, error) {
			return nil, errors.New("the limit of watched folders is reached (test)")
		}, []string{"file events unavailable, polling the folder instead", "limit of watched folders is reached (test)", "mode=polling"}},
		{"events", false, newEventSource, []string{"mode=events"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			newEvents = tc.events
			dir := t.TempDir()
			idx, err := index.OpenMemory()
			if err != nil {
				t.Fatal(err)
			}
			defer idx.Close()
			var logs syncBuffer
			w, err := newWatcher(idx, dir, 50*time.Millisecond, slog.New(slog.NewTextHandler(&logs, nil)))
			if err != nil {
				t.Fatal(err)
			}
			stop := w.start(context.Background(), tc.poll)
			defer stop()
			eventually(t, tc.name+": start", func() (bool, error) { return strings.Contains(logs.String(), "watching"), nil })
			if err := os.WriteFile(filepath.Join(dir, "b.txt"), []byte("Le barrage du fleuve."), 0o644); err != nil {
				t.Fatal(err)
			}
			eventually(t, tc.name+": a new file", func() (bool, error) {
				res, err := idx.Search(context.Background(), index.Request{Query: "barrage"})
				return err == nil && res.Total == 1, err
			})
			for _, want := range tc.want {
				if !strings.Contains(logs.String(), want) {
					t.Errorf("%s: log %q; want %q", tc.name, logs.String(), want)
				}
			}
		})
	}
}

// syncBuffer is a bytes.Buffer safe for a logger's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
