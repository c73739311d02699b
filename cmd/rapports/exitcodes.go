package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"
)

// Exit statuses, as grep and ripgrep give them. main turns the error of a
// run into one of them with exitStatus.
const (
	// exitOK: the command did its work; for search, it found something.
	exitOK = 0
	// exitNoResult: search ran and found nothing (with --json too).
	exitNoResult = 1
	// exitError: a usage or input error (unknown command or option, bad
	// value, missing argument, no index, index in use...) or a failure.
	exitError = 2
	// exitInterrupted: Ctrl-C (SIGINT) or SIGTERM stopped the command.
	exitInterrupted = 130
)

// exitStatus returns the exit status of a run that returned err, when
// interrupted says a signal asked it to stop.
func exitStatus(err error, interrupted bool) int {
	if err == nil {
		return exitOK
	}
	var exit cli.ExitCoder
	if errors.As(err, &exit) && exit.ExitCode() != exitOK {
		return exit.ExitCode()
	}
	if interrupted || errors.Is(err, context.Canceled) {
		return exitInterrupted
	}
	return exitError
}

// noResult is the error of a search that found nothing: exit status 1 and
// nothing more printed.
func noResult() error {
	return cli.Exit("", exitNoResult)
}

// onUsageError turns a command line parse error (an unknown option, a
// missing or bad value) into one line and exit status 2, instead of the
// whole help. A search query that starts with - looks like an unknown
// option: the message says to put it after --.
func onUsageError(c *cli.Context, err error, isSubcommand bool) error {
	cmdName, prefix, flags := "rapports", "", c.App.Flags
	if isSubcommand {
		cmdName += " " + c.Command.Name
		prefix = c.Command.Name + ": "
		flags = c.Command.Flags
	}
	msg := err.Error()
	name, ok := strings.CutPrefix(msg, "flag provided but not defined: -")
	if !ok {
		return cli.Exit(fmt.Sprintf("%s%s (see %s --help)", prefix, msg, cmdName), exitError)
	}
	// The parser names the option with one dash: find it as typed, in
	// the arguments keepArgs kept (absent when the global options fail).
	args, _ := c.App.Metadata[argsKey].([]string)
	typed, rest := dashes(name), []string(nil)
	for i, a := range args {
		if strings.HasPrefix(a, "-") && strings.TrimLeft(a, "-") == name {
			typed, rest = a, args[i:]
			break
		}
	}
	if isSubcommand && c.Command.Name == "search" && !strings.HasPrefix(typed, "--") && len([]rune(name)) > 1 {
		query := strings.Join(rest, " ")
		if query == "" {
			query = typed
		}
		return cli.Exit(fmt.Sprintf("search: %s is not an option: a query that starts with - goes after --, "+
			"as in rapports search -- %s", typed, shellQuote(query)), exitError)
	}
	hint := ""
	if s := closest(name, flagNames(flags)); s != "" {
		hint = ": did you mean " + dashes(s) + "?"
	}
	return cli.Exit(fmt.Sprintf("%sunknown option %s%s (see %s --help)", prefix, typed, hint, cmdName), exitError)
}

// argsKey is the key of the command line's arguments in App.Metadata.
const argsKey = "args"

// keepArgs is the app's Before: it keeps the arguments after the global
// options (the command and its own arguments) in the app's Metadata, for
// the messages of parse errors, which the parser gives without them.
func keepArgs(c *cli.Context) error {
	if c.App.Metadata == nil {
		c.App.Metadata = map[string]any{}
	}
	c.App.Metadata[argsKey] = c.Args().Slice()
	return nil
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"\\$`!*?[](){}<>|&;#~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// unknownCommand is the error of "rapports WORD" when WORD is no command:
// exit status 2, with the closest command ("did you mean search?").
func unknownCommand(c *cli.Context, word string) error {
	var names []string
	for _, cmd := range c.App.Commands {
		if !cmd.Hidden {
			names = append(names, cmd.Names()...)
		}
	}
	hint := ""
	if s := closest(word, names); s != "" {
		hint = ": did you mean " + s + "?"
	}
	return cli.Exit(fmt.Sprintf("unknown command %q%s (see rapports --help)", word, hint), exitError)
}

// flagNames returns the long names of flags.
func flagNames(flags []cli.Flag) []string {
	var names []string
	for _, f := range flags {
		names = append(names, f.Names()...)
	}
	return names
}

// dashes writes a flag name as it is typed: -v, --verbose.
func dashes(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// closest returns the name nearest to word by edit distance, if it is near
// enough to be a typo (at most 2 edits, and fewer than half its letters),
// else "".
func closest(word string, names []string) string {
	best, bestD := "", 3
	for _, n := range names {
		if len(n) < 2 {
			continue
		}
		d := editDistance(strings.ToLower(word), n)
		if d < bestD && d*2 < len([]rune(n)) {
			best, bestD = n, d
		}
	}
	return best
}

// editDistance is the Damerau-Levenshtein distance (optimal string
// alignment) between a and b, in runes: "serch" is 1 from "search",
// "saerch" 1 too.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
