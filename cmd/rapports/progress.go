package main

import (
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strconv"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/rapports/rapports/index"
)

// logEvery is how often a run that is not on a terminal logs its progress.
const logEvery = 5 * time.Second

// progress shows an indexing run: a bar on a terminal (moving with the
// bytes read, for the time left; its text counts the reports, then says
// when the index is being written), a log line every logEvery otherwise.
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
	wasWriting := p.seen.Writing && p.seen.Root == s.Root
	p.seen = s
	if !p.tty {
		if s.Writing && !wasWriting {
			// Said at once: the last writes may take seconds.
			p.log.Info("writing the index", "root", s.Root, "reports", s.Reports)
			return
		}
		if time.Since(p.last) < logEvery || s.Writing {
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
			progressbar.OptionShowBytes(false), // the bar moves with the bytes; the text counts reports
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionEnableColorCodes(useColour(p.w)),
			progressbar.OptionSetRenderBlankState(true),
		)
	}
	p.bar.Describe(barText(s))
	if err := p.bar.Set64(s.Bytes); err != nil {
		p.tty = false // the terminal went away: fall back to the log
	}
}

// barText is the text beside the bar: the reports indexed so far, then
// "writing the index…" once every report is read.
func barText(s index.Progress) string {
	name := filepath.Base(s.Root)
	if s.Writing {
		return fmt.Sprintf("%s: %s reports read, writing the index…", name, thousands(s.Reports))
	}
	text := fmt.Sprintf("%s: %s reports", name, thousands(s.Reports))
	if changed := s.Added + s.Updated; changed < s.Reports {
		text += fmt.Sprintf(" (%s new or changed)", thousands(changed))
	}
	return text
}

// thousands writes n with a thin space between groups of three digits,
// as French does: 12 345.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "\u202f" + s[i:]
	}
	return s
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
