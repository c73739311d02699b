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
	"slices"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/rapports/rapports/index"
	"github.com/rapports/rapports/server"
)

// envIndex names the environment variable that sets the index folder.
const envIndex = "RAPPORTS_INDEX"

// newApp returns the command line application. main runs it with the
// process's arguments; tests run it with their own and a buffer as Writer.
// It never exits the process: errors come back from Run, and those that
// carry an exit code are cli.ExitCoder.
func newApp() *cli.App {
	app := &cli.App{
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
		Flags: append(globalFlags(), indexFlag(),
			&cli.BoolFlag{Name: "version", Usage: "print the version (as rapports version) and exit"}),
		Commands: []*cli.Command{
			indexCommand(),
			searchCommand(),
			showCommand(),
			serveCommand(),
			statsCommand(),
			analyzeCommand(),
			versionCommand(),
			completionCommand(),
			manCommand(),
		},
		HideVersion:          true, // --version is the app's own flag: -v is --verbose
		Before:               keepArgs,
		Action:               runRoot,
		OnUsageError:         onUsageError,
		EnableBashCompletion: true,
		// Errors are returned to main, which prints them and exits.
		ExitErrHandler: func(*cli.Context, error) {},
	}
	for _, cmd := range app.Commands {
		// The global options are accepted after the command name too.
		for _, f := range globalFlags() {
			if !slices.ContainsFunc(cmd.Flags, func(g cli.Flag) bool { return g.Names()[0] == f.Names()[0] }) {
				cmd.Flags = append(cmd.Flags, f)
			}
		}
		cmd.OnUsageError = onUsageError
	}
	return app
}

// globalFlags are the options of every command, accepted before the
// command name or after it: "rapports --verbose index" and "rapports index
// --verbose" are the same.
func globalFlags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "log debug messages"},
		&cli.BoolFlag{Name: "log-json", Usage: "log as JSON lines instead of text (durations in milliseconds)"},
	}
}

// flagString returns the value of the option name, given after the
// command name or before it (the one after wins), or its default.
func flagString(c *cli.Context, name string) string {
	for _, cc := range c.Lineage() {
		if cc.Command != nil && cc.IsSet(name) {
			return cc.String(name)
		}
	}
	return c.String(name)
}

// flagBool is flagString for a boolean option.
func flagBool(c *cli.Context, name string) bool {
	for _, cc := range c.Lineage() {
		if cc.Command != nil && cc.IsSet(name) {
			return cc.Bool(name)
		}
	}
	return false
}

// runRoot is the action of "rapports" without a command: --version, the
// help, or an unknown command.
func runRoot(c *cli.Context) error {
	if c.Bool("version") {
		return runVersion(c)
	}
	if c.NArg() > 0 {
		return unknownCommand(c, c.Args().First())
	}
	return cli.ShowAppHelp(c)
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
	if dir := flagString(c, "index"); dir != "" {
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

// lockTimeout is how long a command waits for an index another process
// holds. An index run on a locked index thus fails within a few seconds.
const lockTimeout = 3 * time.Second

// openIndex opens the index in dir: read-only for searching (several
// processes may then search it at once, and a missing index is an error
// saying how to make one), or for writing, creating it when absent. When
// another process holds it, the error says so and how to get past it.
func openIndex(ctx context.Context, dir string, readOnly bool) (*index.Index, error) {
	idx, err := index.Open(dir, index.Options{LockTimeout: lockTimeout, ReadOnly: readOnly})
	if err != nil {
		return nil, openError(ctx, dir, readOnly, err)
	}
	return idx, nil
}

// openError turns the error of opening the index in dir into the message
// for the user.
func openError(ctx context.Context, dir string, readOnly bool, err error) error {
	switch {
	case readOnly && errors.Is(err, fs.ErrNotExist):
		return cli.Exit(fmt.Sprintf("no index in %s: make one with \"rapports index --index %s PATH...\"", dir, dir), exitError)
	case errors.Is(err, index.ErrLocked):
		holder := "another rapports process (a running \"rapports serve\" or \"rapports index\"?)"
		if srv, err := findServer(ctx, dir); err == nil {
			holder = "another rapports process: rapports serve at " + srv.String()
		}
		if readOnly {
			return cli.Exit(fmt.Sprintf("the index %s is in use by %s: wait for it to finish or stop it, "+
				"or give another folder with --index", dir, holder), exitError)
		}
		return cli.Exit(fmt.Sprintf("the index %s is in use by %s: stop it, or give another folder with --index; "+
			"to add reports while serving, let serve index them: \"rapports serve --index %s --watch FOLDER\"", dir, holder, dir), exitError)
	case errors.Is(err, index.ErrDamaged):
		return cli.Exit(damagedMessage(dir, err), exitError)
	case errors.Is(err, index.ErrIncompatible):
		return cli.Exit(fmt.Sprintf("the index %s was built by another version of rapports: "+
			"delete the folder and index again (%v)", dir, err), exitError)
	}
	return fmt.Errorf("open index %s: %w", dir, err)
}

// damagedMessage tells what to do with the damaged index in dir.
func damagedMessage(dir string, err error) string {
	detail := strings.TrimPrefix(err.Error(), index.ErrDamaged.Error()+": "+dir+": ")
	return fmt.Sprintf("the index %s is damaged: %s\nThe reports are safe in their files, the index is only built from them: "+
		"build it again with \"rapports index --rebuild --index %s PATH...\" (it moves the damaged index aside and deletes nothing), "+
		"or into a new folder with \"rapports index --index NEWDIR PATH...\"", dir, detail, dir)
}

// reader is what search, stats and show read: the index, or the running
// "rapports serve" that holds it, asked over HTTP.
type reader struct {
	server.Searcher
	idx    *index.Index   // nil when asking a server
	remote *server.Client // nil when reading the index
}

// done closes the index after a read that returned err, and returns err,
// naming the server when the read asked one, or the error of closing.
func (r reader) done(err error) error {
	if r.remote != nil {
		if err != nil {
			err = fmt.Errorf("rapports serve at %s: %w", r.remote, err)
		}
		return err
	}
	if cerr := r.idx.Close(); cerr != nil && err == nil {
		err = fmt.Errorf("close index: %w", cerr)
	}
	return err
}

// openReader opens the index in dir read-only for search, stats and show.
// When a live "rapports serve" holds the index (its serve.json in dir
// points to it), it returns a client of that server instead, and says so
// on the app's ErrWriter.
func openReader(c *cli.Context, dir string) (reader, error) {
	ctx := c.Context
	srv, why := findServer(ctx, dir)
	timeout := lockTimeout
	if srv != nil {
		// The lock is most likely the server's: do not wait for it.
		timeout = shortLockTimeout
	}
	idx, err := index.Open(dir, index.Options{LockTimeout: timeout, ReadOnly: true})
	if errors.Is(err, index.ErrLocked) && srv == nil {
		// The server may have started while we waited.
		srv, why = findServer(ctx, dir)
	}
	if errors.Is(err, index.ErrLocked) && srv != nil {
		fmt.Fprintf(errWriter(c), "rapports: the index is in use by rapports serve at %s: asking it\n", srv)
		return reader{Searcher: srv, remote: srv}, nil
	}
	if why != nil && !errors.Is(why, fs.ErrNotExist) {
		logger(c).Debug("ignoring "+serveFileName, "index", dir, "reason", why.Error())
	}
	if err != nil {
		return reader{}, openError(ctx, dir, true, err)
	}
	return reader{Searcher: idx, idx: idx}, nil
}

// errWriter returns the app's ErrWriter, or standard error.
func errWriter(c *cli.Context) io.Writer {
	if w := c.App.ErrWriter; w != nil {
		return w
	}
	return os.Stderr
}

// logger returns the command's logger, writing to the app's ErrWriter.
func logger(c *cli.Context) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if flagBool(c, "verbose") {
		opts.Level = slog.LevelDebug
	}
	w := errWriter(c)
	if flagBool(c, "log-json") {
		opts.ReplaceAttr = durationMS
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// durationMS writes the durations of JSON logs in milliseconds (a number,
// 1.5 for 1.5ms), as the text log shows them ("1.5ms"), instead of
// slog's nanoseconds.
func durationMS(_ []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() == slog.KindDuration {
		ms := float64(a.Value.Duration().Microseconds()) / 1000
		return slog.Float64(a.Key+"_ms", ms)
	}
	return a
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
