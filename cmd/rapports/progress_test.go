package main

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapports/rapports/index"
)

// TestProgressLog checks the progress display off a terminal: a log line
// at most every logEvery, with the rate and the time left.
func TestProgressLog(t *testing.T) {
	var logs, out bytes.Buffer
	p := newProgress(&out, slog.New(slog.NewTextHandler(&logs, nil)))
	snap := index.Progress{Root: "/data/rapports", Files: 120, Reports: 118, Failed: 2,
		Bytes: 2_000_000, TotalBytes: 6_000_000, Elapsed: 2 * time.Second}

	p.update(snap) // too soon after the start: nothing
	if logs.Len() != 0 {
		t.Errorf("progress logged before %v:\n%s", logEvery, logs.String())
	}
	p.last = time.Now().Add(-logEvery)
	p.update(snap)
	got := logs.String()
	for _, want := range []string{"msg=indexing", "root=/data/rapports", "files=120", "failed=2", `read="2.0 MB"`, `rate="1.0 MB/s"`, "left=4s"} {
		if !strings.Contains(got, want) {
			t.Errorf("progress log %q lacks %q", got, want)
		}
	}
	p.update(snap) // just logged: nothing more
	if n := strings.Count(logs.String(), "\n"); n != 1 {
		t.Errorf("progress logged %d lines, want 1:\n%s", n, logs.String())
	}
	p.finish()
	if out.Len() != 0 {
		t.Errorf("progress off a terminal drew %q", out.String())
	}
}

func TestBarText(t *testing.T) {
	cases := []struct {
		s    index.Progress
		want string
	}{
		{index.Progress{Root: "/data/rapports", Reports: 12345, Added: 12345}, "rapports: 12\u202f345 reports"},
		{index.Progress{Root: "/data/rapports", Reports: 1200, Added: 3, Updated: 2, Unchanged: 1195}, "rapports: 1\u202f200 reports (5 new or changed)"},
		{index.Progress{Root: "/data/rapports", Reports: 999, Added: 999, Writing: true}, "rapports: 999 reports read, writing the index…"},
	}
	for _, tc := range cases {
		if got := barText(tc.s); got != tc.want {
			t.Errorf("barText(%+v) = %q; want %q", tc.s, got, tc.want)
		}
	}
}

// TestProgressWriting checks that off a terminal the final writes are
// logged at once, and once.
func TestProgressWriting(t *testing.T) {
	var logs, out bytes.Buffer
	p := newProgress(&out, slog.New(slog.NewTextHandler(&logs, nil)))
	snap := index.Progress{Root: "/data/rapports", Reports: 118}
	p.update(snap)
	snap.Writing = true
	p.update(snap)
	p.update(snap)
	if got := logs.String(); strings.Count(got, "writing the index") != 1 || !strings.Contains(got, "reports=118") {
		t.Errorf("progress log %q; want one line saying the index is being written", got)
	}
}

// TestIndexSaysWriting checks that an indexing run reports Writing after
// its last read, and only then.
func TestIndexSaysWriting(t *testing.T) {
	docs, dir := t.TempDir(), filepath.Join(t.TempDir(), "idx")
	testCorpus(t, docs)
	idx, err := index.Open(dir, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	var snaps []index.Progress
	if _, err := idx.AddPaths(context.Background(), []string{docs}, index.AddOptions{Progress: func(s index.Progress) { snaps = append(snaps, s) }}); err != nil {
		t.Fatal(err)
	}
	if len(snaps) == 0 || !snaps[len(snaps)-1].Writing {
		t.Fatalf("progress snapshots %+v; want the last to say Writing", snaps)
	}
	i := slices.IndexFunc(snaps, func(s index.Progress) bool { return s.Writing })
	for _, s := range snaps[i:] {
		if !s.Writing || s.Reports != snaps[len(snaps)-1].Reports {
			t.Errorf("after Writing, a snapshot %+v reads more or stops writing", s)
		}
	}
}
