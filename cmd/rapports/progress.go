package main

import (
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/rapports/rapports/index"
)

// logEvery is how often a run that is not on a terminal logs its progress.
const logEvery = 5 * time.Second

// progress shows an indexing run: a bar on a terminal (files, MB/s, time
// left), a log line every logEvery otherwise.
type progress struct {
	w    io.Writer
	log  *slog.Logger
	tty  bool
	bar  *progressbar.ProgressBar
	root string
	last time.Time
	seen index.Progress
}

// newProgress returns the progress display of a run writing to w.
func newProgress(w io.Writer, log *slog.Logger) *progress {
	return &progress{w: w, log: log, tty: isTerminal(w), last: time.Now()}
}

// update takes a snapshot of the run. It is called from one goroutine.
func (p *progress) update(s index.Progress) {
	p.seen = s
	if !p.tty {
		if time.Since(p.last) < logEvery {
			return
		}
		p.last = time.Now()
		p.log.Info("indexing", p.attrs(s)...)
		return
	}
	if p.bar == nil || s.Root != p.root {
		p.finishBar()
		p.root = s.Root
		max := s.TotalBytes
		if max <= 0 {
			max = -1 // a spinner
		}
		p.bar = progressbar.NewOptions64(max,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionShowBytes(true),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionEnableColorCodes(useColour(p.w)),
			progressbar.OptionSetRenderBlankState(true),
		)
	}
	p.bar.Describe(fmt.Sprintf("%s: %d files", filepath.Base(s.Root), s.Files))
	if err := p.bar.Set64(s.Bytes); err != nil {
		p.tty = false // the terminal went away: fall back to the log
	}
}

// attrs are the log attributes of a snapshot.
func (p *progress) attrs(s index.Progress) []any {
	attrs := []any{"root", s.Root, "files", s.Files, "reports", s.Reports, "failed", s.Failed,
		"read", formatBytes(s.Bytes)}
	if secs := s.Elapsed.Seconds(); secs > 0 && s.Bytes > 0 {
		rate := float64(s.Bytes) / secs
		attrs = append(attrs, "rate", formatBytes(int64(rate))+"/s")
		if s.TotalBytes > s.Bytes {
			eta := time.Duration(float64(s.TotalBytes-s.Bytes) / rate * float64(time.Second))
			attrs = append(attrs, "left", eta.Round(time.Second))
		}
	}
	return attrs
}

// finish ends the display.
func (p *progress) finish() {
	p.finishBar()
}

func (p *progress) finishBar() {
	if p.bar == nil {
		return
	}
	// Errors writing to the terminal do not matter to the run.
	_ = p.bar.Finish()
	fmt.Fprintln(p.w)
	p.bar = nil
}
