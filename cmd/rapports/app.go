package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/rapports/rapports/index"
)

// envIndex names the environment variable that sets the index folder.
const envIndex = "RAPPORTS_INDEX"

// newApp returns the command line application. main runs it with the
// process's arguments; tests run it with their own and a buffer as Writer.
// It never exits the process: errors come back from Run, and those that
// carry an exit code are cli.ExitCoder.
func newApp() *cli.App {
	return &cli.App{
		Name:  "rapports",
		Usage: "full-text search of French reports",
		UsageText: `rapports index ~/rapports             # index a folder (again: only what changed)
rapports search "défense aérienne"    # ranked results, with facets
rapports serve                        # web page and JSON API on http://127.0.0.1:8080/
rapports COMMAND --help               # options and examples of a command`,
		Description: `rapports indexes French reports (.txt, .md, .html, .json, .jsonl, gzipped or
not) and searches them with French stemming, stop words, elision and accent
folding, filtered and faceted by country and date.

The index folder is, in order: the --index flag, the ` + envIndex + ` environment
variable, else "rapports/index" in the user cache folder (` + defaultIndexHint() + `).`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "log debug messages"},
			&cli.BoolFlag{Name: "log-json", Usage: "log as JSON lines instead of text"},
		},
		Commands: []*cli.Command{
			indexCommand(),
			searchCommand(),
			serveCommand(),
			statsCommand(),
			analyzeCommand(),
		},
		EnableBashCompletion: true,
		// Errors are returned to main, which prints them and exits.
		ExitErrHandler: func(*cli.Context, error) {},
	}
}

// indexFlag is the --index flag every command that opens the index takes.
func indexFlag() cli.Flag {
	return &cli.StringFlag{
		Name:      "index",
		Aliases:   []string{"i"},
		Usage:     "index folder `DIR` (default: $" + envIndex + ", else " + defaultIndexHint() + ")",
		TakesFile: true,
	}
}

// indexDir returns the index folder the command should use, and whether it
// is the default one (not given with --index).
func indexDir(c *cli.Context) (dir string, isDefault bool, err error) {
	if dir := c.String("index"); dir != "" {
		return dir, false, nil
	}
	if dir := os.Getenv(envIndex); dir != "" {
		return dir, true, nil
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", true, fmt.Errorf("no index folder: give --index or set %s (%w)", envIndex, err)
	}
	return filepath.Join(cache, "rapports", "index"), true, nil
}

// defaultIndexHint describes the default index folder for --help.
func defaultIndexHint() string {
	if cache, err := os.UserCacheDir(); err == nil {
		return filepath.Join(cache, "rapports", "index")
	}
	return "$XDG_CACHE_HOME/rapports/index"
}

// lockTimeout is how long a command waits for an index another process holds.
const lockTimeout = 3 * time.Second

// openIndex opens the index in dir: read-only for searching (several
// processes may then search it at once, and a missing index is an error
// saying how to make one), or for writing, creating it when absent. When
// another process holds it, the error says so and how to get past it.
func openIndex(dir string, readOnly bool) (*index.Index, error) {
	idx, err := index.Open(dir, index.Options{LockTimeout: lockTimeout, ReadOnly: readOnly})
	switch {
	case readOnly && errors.Is(err, fs.ErrNotExist):
		return nil, cli.Exit(fmt.Sprintf("no index in %s: make one with \"rapports index --index %s PATH...\"", dir, dir), 1)
	case errors.Is(err, index.ErrLocked):
		return nil, cli.Exit(fmt.Sprintf("the index %s is in use by another rapports process (a running \"rapports serve\"?): "+
			"stop it, or give another folder with --index", dir), 1)
	case errors.Is(err, index.ErrIncompatible):
		return nil, cli.Exit(fmt.Sprintf("the index %s was built by another version of rapports: "+
			"delete the folder and index again (%v)", dir, err), 1)
	case err != nil:
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	return idx, nil
}

// logger returns the command's logger, writing to the app's ErrWriter.
func logger(c *cli.Context) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if c.Bool("verbose") {
		opts.Level = slog.LevelDebug
	}
	w := c.App.ErrWriter
	if w == nil {
		w = os.Stderr
	}
	if c.Bool("log-json") {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// useColour reports whether to colour what goes to w: only on a terminal,
// and not when NO_COLOR is set (https://no-color.org).
func useColour(w io.Writer) bool {
	return isTerminal(w) && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"
}

// formatBytes writes n as "12.3 MB".
func formatBytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTPE"[exp])
}

// usageError is a command line mistake: exit status 2, and a pointer to --help.
func usageError(c *cli.Context, format string, args ...any) error {
	return cli.Exit(fmt.Sprintf(format, args...)+fmt.Sprintf(" (see rapports %s --help)", c.Command.Name), 2)
}

// joinLines indents each line of s by prefix.
func joinLines(prefix string, lines []string) string {
	return prefix + strings.Join(lines, "\n"+prefix)
}
