package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rapports/rapports/index"
)

// largestSegment returns the largest segment file of the index in dir.
func largestSegment(t *testing.T, dir string) string {
	t.Helper()
	names, _ := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
	if len(names) == 0 {
		t.Fatalf("no segment in %s", dir)
	}
	size := func(p string) int64 {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		return info.Size()
	}
	return slices.MaxFunc(names, func(a, b string) int { return int(size(a) - size(b)) })
}

// TestDamagedIndex flips the head of a segment, which made every search
// panic and serve die at start-up, and checks that search, stats and serve
// report the damage and what to do, and that index --rebuild moves the
// damaged index aside and builds a new one.
func TestDamagedIndex(t *testing.T) {
	if binary == "" {
		t.Skip("end-to-end test (not in -short mode)")
	}
	env := isolated(t)
	dir := t.TempDir()
	docs, idxDir := filepath.Join(dir, "docs"), filepath.Join(dir, "idx")
	testCorpus(t, docs)
	if _, stderr, code := runBinary(t, env, "index", "--index", idxDir, docs); code != 0 {
		t.Fatalf("index: exit %d: %s", code, stderr)
	}
	seg := largestSegment(t, idxDir)
	b, err := os.ReadFile(seg)
	if err != nil {
		t.Fatal(err)
	}
	for i := range min(64, len(b)) {
		b[i] ^= 0xff
	}
	if err := os.WriteFile(seg, b, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"search", "--index", idxDir, "défense"},
		{"stats", "--index", idxDir},
		{"serve", "--index", idxDir, "--addr", "127.0.0.1:0"},
		{"index", "--index", idxDir, docs},
	} {
		_, stderr, code := runBinary(t, env, args...)
		if code != exitError || strings.Contains(stderr, "panic") || !strings.Contains(stderr, "is damaged") ||
			!strings.Contains(stderr, filepath.Base(seg)) || !strings.Contains(stderr, "rapports index --rebuild --index "+idxDir) {
			t.Errorf("rapports %s on a damaged index: exit %d, stderr:\n%s\nwant exit 2, the damaged file and --rebuild", args[0], code, stderr)
		}
	}
	out, stderr, code := runBinary(t, env, "index", "--rebuild", "--index", idxDir, docs)
	if code != 0 || counts(t, out) != "5 0 0 0 3" || !strings.Contains(stderr, "moved the index "+idxDir+" aside to ") {
		t.Fatalf("index --rebuild: exit %d, out:\n%s\nstderr:\n%s", code, out, stderr)
	}
	aside, _ := filepath.Glob(idxDir + ".damaged-*")
	if len(aside) != 1 {
		t.Fatalf("index --rebuild left %q beside the index; want one damaged folder", aside)
	}
	if _, err := os.Stat(filepath.Join(aside[0], "store", filepath.Base(seg))); err != nil {
		t.Errorf("the damaged index set aside lost its files: %v", err)
	}
	out, stderr, code = runBinary(t, env, "search", "--index", idxDir, "défense")
	if code != 0 || !strings.Contains(out, "manama") {
		t.Errorf("search after --rebuild: exit %d, out:\n%s\nstderr:\n%s", code, out, stderr)
	}
	// A folder that holds no index is never moved.
	notes := t.TempDir()
	if err := os.WriteFile(filepath.Join(notes, "notes.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := runBinary(t, env, "index", "--rebuild", "--index", notes, docs); code == 0 || !strings.Contains(stderr, "holds no index") {
		t.Errorf("index --rebuild into a folder of notes: exit %d, stderr:\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(notes, "notes.txt")); err != nil {
		t.Errorf("index --rebuild moved a folder that holds no index: %v", err)
	}
}

// bigCorpus writes n reports of about 1 kB each, in one JSON lines file.
func bigCorpus(t *testing.T, dir string, n int) {
	t.Helper()
	var sb strings.Builder
	for i := range n {
		fmt.Fprintf(&sb, `{"id": "r%05d", "title": "Rapport %d sur la défense", "date": "2024-01-%02d", "text": "`, i, i, i%28+1)
		for j := range 40 {
			fmt.Fprintf(&sb, "mot%d défense%d armée ", (i*40+j)%9973, j)
		}
		sb.WriteString("\"}\n")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "rapports.jsonl"), []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestIndexWriteFails runs an index run whose segment writes fail (a file
// size limit of 1 MB, set with the shell's ulimit, makes write fail with
// EFBIG, as a full disk does with ENOSPC): it must stop with exit 2, no
// panic, a message saying how many reports the index holds, and leave an
// index that opens; the same command without the limit then finishes it.
func TestIndexWriteFails(t *testing.T) {
	if binary == "" {
		t.Skip("end-to-end test (not in -short mode)")
	}
	if runtime.GOOS == "windows" {
		t.Skip("needs sh and ulimit")
	}
	env := isolated(t)
	dir := t.TempDir()
	docs, idxDir := filepath.Join(dir, "docs"), filepath.Join(dir, "idx")
	bigCorpus(t, docs, 4000)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// ulimit -f counts 512-byte blocks in sh (POSIX).
	cmd := exec.CommandContext(ctx, "sh", "-c", `ulimit -f 2048 && exec "$0" "$@"`, binary, "index", "--index", idxDir, docs)
	cmd.Env = append(os.Environ(), env...)
	var errOut strings.Builder
	cmd.Stderr = &errOut
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("index under a file size limit did not stop: %s", errOut.String())
	}
	if code := cmd.ProcessState.ExitCode(); code != exitError || strings.Contains(errOut.String(), "panic") ||
		!strings.Contains(errOut.String(), "writing to "+idxDir+" failed") || !strings.Contains(errOut.String(), "reports indexed") ||
		!strings.Contains(errOut.String(), "run the same command again") {
		t.Fatalf("index under a file size limit: %v (exit %d), stderr:\n%s\nwant exit 2 and what to do", err, code, errOut.String())
	}
	if _, stderr, code := runBinary(t, env, "stats", "--index", idxDir); code != 0 {
		t.Fatalf("stats after the failed run: exit %d: %s", code, stderr)
	}
	out, stderr, code := runBinary(t, env, "index", "--index", idxDir, docs)
	if code != 0 {
		t.Fatalf("index again without the limit: exit %d: %s", code, stderr)
	}
	if c := strings.Fields(counts(t, out)); c[4] != "0" {
		t.Errorf("index again: %s; want no failure", out)
	}
	out, _, _ = runBinary(t, env, "search", "--index", idxDir, "--size", "1", "défense")
	if !strings.Contains(out, "4000") && !strings.Contains(out, "4 000") {
		t.Errorf("search after the rerun does not count 4000 reports:\n%s", out)
	}
}

// TestIndexDiskFull runs an index run into a 2 MB tmpfs, when the test may
// mount one (as root): it must stop with the "no space left on device"
// message, exit 2 and leave an index that opens.
func TestIndexDiskFull(t *testing.T) {
	if binary == "" {
		t.Skip("end-to-end test (not in -short mode)")
	}
	if runtime.GOOS != "linux" || os.Getuid() != 0 {
		t.Skip("mounting a small tmpfs needs root on Linux")
	}
	// Before the fix in index.write, Bleve's persister panicked here in
	// about one run of three (zapx invertedIndexCache.insertLOCKED,
	// "assignment to entry in nil map", on a segment Scorch had closed
	// after the failed persist).
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", mnt).Run() })
	env := isolated(t)
	docs, idxDir := filepath.Join(t.TempDir(), "docs"), filepath.Join(mnt, "idx")
	bigCorpus(t, docs, 4000)
	_, stderr, code := runBinary(t, env, "index", "--index", idxDir, docs)
	if code != exitError || strings.Contains(stderr, "panic") ||
		!strings.Contains(stderr, "no space left on device in "+idxDir+": ") || !strings.Contains(stderr, "free space and run the same command again") {
		t.Fatalf("index on a full disk: exit %d, stderr:\n%s", code, stderr)
	}
	if _, stderr, code := runBinary(t, env, "stats", "--index", idxDir); code != 0 {
		t.Fatalf("stats after the full disk: exit %d: %s", code, stderr)
	}
}

// TestStopOnSignal checks that a signal cancels the command, and that the
// process exits with exitInterrupted when the command is still
// running after the grace period.
func TestStopOnSignal(t *testing.T) {
	canceled := make(chan struct{})
	exited := make(chan int, 1)
	go stopOnSignal(func() { close(canceled) }, time.Millisecond, func(code int) { exited <- code })
	// Let stopOnSignal register for the signal first: send until it
	// cancels (an unregistered SIGTERM would end the test binary, so the
	// handler below keeps it).
	keep := make(chan os.Signal, 1)
	signal.Notify(keep, syscall.SIGTERM)
	defer signal.Stop(keep)
	for done := false; !done; {
		if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		select {
		case <-canceled:
			done = true
		case <-time.After(50 * time.Millisecond):
		}
	}
	if code := <-exited; code != exitInterrupted {
		t.Errorf("exit code %d; want %d", code, exitInterrupted)
	}
}

// TestWatchBacksOff checks that a watch pass that fails (here on a closed
// index, as on a full disk) waits twice as long before the next one, up to
// maxRetryWait, and that a pass that succeeds waits the interval again.
func TestWatchBacksOff(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.txt"), []byte("La défense aérienne."), 0o644); err != nil {
		t.Fatal(err)
	}
	idx, err := index.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	w, err := newWatcher(idx, dir, time.Second, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if got := w.pass(ctx, time.Second); got != time.Second {
		t.Errorf("pass on a good index waits %v; want the interval", got)
	}
	idx.Close()
	if err := os.WriteFile(filepath.Join(dir, "b.txt"), []byte("Un autre rapport."), 0o644); err != nil {
		t.Fatal(err)
	}
	wait := time.Second
	for _, want := range []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 32 * time.Second, maxRetryWait, maxRetryWait} {
		if wait = w.pass(ctx, wait); wait != want {
			t.Fatalf("failed pass waits %v; want %v", wait, want)
		}
	}
	if !strings.Contains(logs.String(), "serving the index as it was") {
		t.Errorf("failed passes logged:\n%s", logs.String())
	}
}

// TestServeWatchDiskFull runs "serve --watch" with its index on a 2 MB
// tmpfs, when the test may mount one (as root): a watch pass that fills
// the disk must be logged, serve must keep answering from the index as it
// was, retry (the log says so again), and once the disk has room, the
// next retry indexes the new reports; no panic, and serve stops cleanly.
func TestServeWatchDiskFull(t *testing.T) {
	if binary == "" {
		t.Skip("end-to-end test (not in -short mode)")
	}
	if runtime.GOOS != "linux" || os.Getuid() != 0 {
		t.Skip("mounting a small tmpfs needs root on Linux")
	}
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", mnt).Run() })
	env := isolated(t)
	docs := filepath.Join(t.TempDir(), "docs")
	if err := os.MkdirAll(docs, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(docs, "base.txt"), []byte("date 2023\ntitle: Base\n\nUn rapport sur le lamantin du fleuve.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := startServe(t, env, "--index", filepath.Join(mnt, "idx"), "--watch", docs, "--interval", "200ms")
	eventually(t, "the first report searchable", func() (bool, error) {
		n, err := searchTotal(srv.url, "lamantin")
		return n == 1, err
	})

	// 4,000 reports do not fit in what is left of the 2 MB.
	big := t.TempDir()
	bigCorpus(t, big, 4000)
	if err := os.Rename(filepath.Join(big, "rapports.jsonl"), filepath.Join(docs, "rapports.jsonl")); err != nil {
		t.Fatal(err)
	}
	const failed = "watch: index failed; serving the index as it was"
	eventually(t, "two failed passes in the log (a failure, then a retry)", func() (bool, error) {
		return strings.Count(srv.log(), failed) >= 2, nil
	})
	if !strings.Contains(srv.log(), "no space left on device") {
		t.Errorf("the log does not name the full disk:\n%s", tail(srv.log(), 3000))
	}
	for range 3 {
		if n, err := searchTotal(srv.url, "lamantin"); err != nil || n != 1 {
			t.Fatalf("search on the full disk: %d hits, %v; want the report indexed before", n, err)
		}
		time.Sleep(100 * time.Millisecond)
	}

	if out, err := exec.Command("mount", "-o", "remount,size=200m", mnt).CombinedOutput(); err != nil {
		t.Fatalf("remount the tmpfs larger: %v %s", err, out)
	}
	// The retry comes after the backoff (up to maxRetryWait), then
	// indexes 4,000 reports on a loaded machine: wait longer than
	// eventually does.
	for deadline := time.Now().Add(maxRetryWait + 2*time.Minute); ; time.Sleep(100 * time.Millisecond) {
		n, err := searchTotal(srv.url, "armée")
		if err != nil {
			t.Fatal(err)
		}
		if n == 4000 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("once the disk has room: %d of the 4,000 reports searchable; log:\n%s", n, tail(srv.log(), 3000))
		}
	}
	if n, err := searchTotal(srv.url, "lamantin"); err != nil || n != 1 {
		t.Errorf("after the retry: lamantin %d hits, %v; want 1", n, err)
	}
	if strings.Contains(srv.log(), "panic") {
		t.Errorf("serve's log shows a panic:\n%s", tail(srv.log(), 3000))
	}
	srv.stop(t)
}
