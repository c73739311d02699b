package main

import (
	"bytes"
	"log/slog"
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
