package main

import (
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/rapports/rapports/corpus"
	"github.com/rapports/rapports/index"
)

func indexCommand() *cli.Command {
	return &cli.Command{
		Name:  "index",
		Usage: "index report files and folders",
		UsageText: `rapports index [--index DIR] PATH...

rapports index ~/rapports
rapports index --index ./mon-index rapports-2024/ notes.jsonl`,
		Description: `Reads every report under each PATH (a file or a folder) and indexes it. Run it
again on the same PATH and only what changed is done: unchanged files are
skipped, changed ones replaced, and files gone from PATH removed from the index.

Bad files (unreadable, binary, bad JSON line) are listed with their reason and
skipped; a bad date is listed too, but its report is indexed without date. The
rest is indexed and the command exits 0. Ctrl-C stops after the current batch
and leaves a usable index: run the command again to finish.

Only one process writes an index at a time: while "rapports serve" holds it,
this fails within a few seconds; let serve keep it up to date instead with
"rapports serve --watch PATH".`,
		Flags: []cli.Flag{
			indexFlag(),
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
	dir, _, err := indexDir(c)
	if err != nil {
		return err
	}
	log := logger(c)
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
	st, err := idx.AddPaths(c.Context, roots, opts)
	prog.finish()
	if err != nil {
		return fmt.Errorf("index: %w", err)
	}
	printSummary(c, st)
	if st.Canceled {
		return cli.Exit("index: interrupted; the index is usable, run the same command again to finish", exitInterrupted)
	}
	return nil
}

// sampleRoot is the root name of the embedded sample corpus in an index.
const sampleRoot = "sample"

// printSummary writes what an indexing run did, then the files that failed.
func printSummary(c *cli.Context, st index.AddStats) {
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
		fmt.Fprintf(w, "%d %s skipped: not reports (other formats, empty files); rapports --verbose index lists them\n", st.Skipped, plural(st.Skipped, "file", "files"))
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
