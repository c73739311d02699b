package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/rapports/rapports/corpus"
	"github.com/rapports/rapports/index"
)

func indexCommand() *cli.Command {
	return &cli.Command{
		Name:  "index",
		Usage: "index report files and folders",
		UsageText: `rapports index [--index DIR] [--rebuild] [--ocr] PATH...

rapports index ~/rapports
rapports index --index ./mon-index rapports-2024/ notes.jsonl
rapports index --rebuild --index ./mon-index rapports-2024/   # a damaged index`,
		Description: `Reads every report under each PATH (a file or a folder) and indexes it. Run it
again on the same PATH and only what changed is done: unchanged files are
skipped, changed ones replaced, and files gone from PATH removed from the index.

Bad files (unreadable, binary, bad JSON line) are listed with their reason and
skipped; a bad date is listed too, but its report is indexed without date. The
rest is indexed and the command exits 0. Ctrl-C stops after the current batch
and leaves a usable index: run the command again to finish.

A write that fails (a full disk) stops the run: the index keeps the reports
written so far; free space and run the same command again. A damaged index
(a file of it truncated or altered) is reported as such: --rebuild moves it
aside (DIR.damaged-DATE, deleted by nobody but you) and builds a new one from
the PATHs, the reports' files being the source of truth.

Only one process writes an index at a time: while "rapports serve" holds it,
this fails within a few seconds; let serve keep it up to date instead with
"rapports serve --watch PATH".`,
		Flags: []cli.Flag{
			indexFlag(),
			&cli.BoolFlag{Name: "rebuild", Usage: "move the index folder aside (to DIR.damaged-DATE) and build a new one"},
			&cli.BoolFlag{
				Name:  "ocr",
				Usage: "read the PDF pages without text layer (scans) with Tesseract OCR, in French (" + corpus.TesseractInstall + ")",
			},
		},
		Action: runIndex,
	}
}

func runIndex(c *cli.Context) error {
	if c.NArg() == 0 {
		return usageError(c, "index: give the files or folders to index")
	}
	roots := c.Args().Slice()
	for _, r := range roots {
		if _, err := os.Stat(r); err != nil {
			return usageError(c, "index: %v", err)
		}
	}
	var ocr corpus.OCR
	if c.Bool("ocr") {
		t, err := corpus.NewTesseract()
		if err != nil {
			return cli.Exit(fmt.Sprintf("index: --ocr: %v", err), 1)
		}
		ocr = t
	}
	dir, _, err := indexDir(c)
	if err != nil {
		return err
	}
	log := logger(c)
	if c.Bool("rebuild") {
		aside, err := index.SetAside(dir)
		if err != nil {
			return openError(c.Context, dir, false, err)
		}
		if aside != "" {
			fmt.Fprintf(errWriter(c), "rapports: moved the index %s aside to %s, building a new one (delete %s once you no longer need it)\n", dir, aside, aside)
		}
	}
	idx, err := openIndex(c.Context, dir, false)
	if err != nil {
		return err
	}
	defer func() {
		if err := idx.Close(); err != nil {
			log.Error("close index", "index", dir, "err", err)
		}
	}()

	// The sample corpus that a first "serve" indexed is not the user's.
	if n, err := idx.RemoveRoot(c.Context, sampleRoot); err != nil {
		return fmt.Errorf("index: %w", err)
	} else if n > 0 {
		log.Info("removed the sample corpus that serve indexed on its first run", "reports", n)
	}
	log.Debug("indexing", "index", dir, "roots", roots)
	opts, prog := indexOptions(c, log)
	opts.OCR = ocr
	skips := &skipTally{}
	onSkip := opts.OnSkip
	opts.OnSkip = func(path, reason string) {
		skips.add(path, reason)
		onSkip(path, reason)
	}
	st, err := idx.AddPaths(c.Context, roots, opts)
	prog.finish()
	if errors.Is(err, index.ErrWriteFailed) {
		return writeFailed(c, idx, dir, err)
	}
	if err != nil {
		return fmt.Errorf("index: %w", err)
	}
	printSummary(c, st, skips)
	if st.Canceled {
		return cli.Exit("index: interrupted; the index is usable, run the same command again to finish", exitInterrupted)
	}
	return nil
}

// writeFailed is the error of an index run whose writes failed: it says
// how many reports the index holds (the index went back to its state on
// disk) and what to do.
func writeFailed(c *cli.Context, idx *index.Index, dir string, err error) error {
	held := "the reports written before the failure are kept"
	if st, serr := idx.Stats(context.WithoutCancel(c.Context)); serr == nil {
		held = fmt.Sprintf("%d reports indexed", st.Documents)
	}
	logger(c).Debug("write failed", "err", err)
	if isNoSpace(err) {
		return cli.Exit(fmt.Sprintf("no space left on device in %s: %s, free space and run the same command again", dir, held), exitError)
	}
	return cli.Exit(fmt.Sprintf("writing to %s failed (%v): %s; fix the cause and run the same command again", dir, err, held), exitError)
}

// isNoSpace reports whether err comes from a full disk. Scorch reports some
// of its write errors as text only.
func isNoSpace(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || strings.Contains(err.Error(), syscall.ENOSPC.Error())
}

// sampleRoot is the root name of the embedded sample corpus in an index.
const sampleRoot = "sample"

// skipTally counts the skipped files by format (for an unsupported
// format) or by reason.
type skipTally struct {
	mu     sync.Mutex
	keys   []string
	counts map[string]int
}

func (t *skipTally) add(path, reason string) {
	key := reason
	if ext, ok := strings.CutPrefix(reason, "unsupported format "); ok {
		if e, err := strconv.Unquote(ext); err == nil {
			key = e
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.counts == nil {
		t.counts = map[string]int{}
	}
	if t.counts[key] == 0 {
		t.keys = append(t.keys, key)
	}
	t.counts[key]++
}

// String lists the counts, most frequent first: "3 .xlsx, 1 .pptx, 2 no
// text".
func (t *skipTally) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	keys := slices.Clone(t.keys)
	slices.SortStableFunc(keys, func(a, b string) int {
		da, db := strings.HasPrefix(a, "."), strings.HasPrefix(b, ".")
		if da != db {
			if da {
				return -1
			}
			return 1
		}
		return t.counts[b] - t.counts[a]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%d %s", t.counts[k], k)
	}
	return strings.Join(parts, ", ")
}

// printSummary writes what an indexing run did, then the files that failed
// and the files skipped, by format or reason.
func printSummary(c *cli.Context, st index.AddSummary, skips *skipTally) {
	w := c.App.Writer
	secs := st.Duration.Seconds()
	rate := ""
	if secs > 0 {
		rate = fmt.Sprintf(", %s/s", formatBytes(int64(float64(st.Bytes)/secs)))
	}
	fmt.Fprintf(w, "%d added, %d updated, %d unchanged, %d removed, %d failed in %v (%s read%s)\n",
		st.Added, st.Updated, st.Unchanged, st.Removed, st.Failed,
		st.Duration.Round(time.Millisecond), formatBytes(st.Bytes), rate)
	if len(st.Problems) > 0 {
		lines := make([]string, len(st.Problems))
		for i, p := range st.Problems {
			lines[i] = p.Error()
		}
		fmt.Fprintf(w, "Failed:\n%s\n", joinLines("  ", lines))
	}
	if st.Skipped > 0 {
		fmt.Fprintf(w, "%d %s skipped: %s; rapports --verbose index lists them\n", st.Skipped, plural(st.Skipped, "file", "files"), skips)
	}
}

// indexOptions returns the options of an indexing run, and its progress
// display: a bar on a terminal, a log line every few seconds otherwise.
// Call the display's finish when the run is over.
func indexOptions(c *cli.Context, log *slog.Logger) (index.AddOptions, *progress) {
	w := c.App.ErrWriter
	if w == nil {
		w = os.Stderr
	}
	p := newProgress(w, log)
	return index.AddOptions{
		Progress: p.update,
		OnProblem: func(pr corpus.Problem) {
			log.Debug("problem", "problem", pr.Error())
		},
		OnSkip: func(path, reason string) {
			log.Debug("skipped", "path", path, "reason", reason)
		},
	}, p
}

// plural returns one when n is 1, else many.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
