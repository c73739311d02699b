package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/rapports/rapports/analyzers"
)

// TestHelpFlags checks each command's --help: every flag that takes a value
// names it (DIR, N, DURATION, ...) rather than urfave/cli's bare "value",
// and the synopsis on the USAGE line names every flag of the command.
func TestHelpFlags(t *testing.T) {
	for _, cmd := range newApp().Commands {
		out, _, err := run(t, cmd.Name, "--help")
		if err != nil {
			t.Errorf("rapports %s --help: %v", cmd.Name, err)
			continue
		}
		if m := regexp.MustCompile(`(?m)^\s+(--\S+(, -\S+)?) value\b`).FindAllStringSubmatch(out, -1); m != nil {
			for _, f := range m {
				t.Errorf("rapports %s --help: %s has the placeholder \"value\"; want a name such as DURATION", cmd.Name, f[1])
			}
		}
		synopsis, _, _ := strings.Cut(cmd.UsageText, "\n\n")
		for _, f := range cmd.Flags {
			name := f.Names()[0]
			if name == "help" || slices.ContainsFunc(globalFlags(), func(g cli.Flag) bool { return g.Names()[0] == name }) {
				continue // the options of every command
			}
			if !strings.Contains(synopsis, "--"+name) {
				t.Errorf("rapports %s --help: the synopsis %q does not name --%s", cmd.Name, synopsis, name)
			}
		}
	}
}

// TestHelpSearchFlagsFirst checks that search --help says the options come
// before the query: urfave/cli stops reading flags at the first argument,
// and runSearch refuses an option found after it.
func TestHelpSearchFlagsFirst(t *testing.T) {
	out, _, err := run(t, "search", "--help")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "before QUERY") {
		t.Errorf("rapports search --help does not say that options go before QUERY:\n%s", out)
	}
	// A query starting with "-" is taken for a flag unless it follows "--".
	if !strings.Contains(out, "rapports search -- -") {
		t.Errorf("rapports search --help does not say that a query starting with - goes after --:\n%s", out)
	}
	if _, _, err := run(t, "search", "-russie", "drones"); exitCode(err) != 2 || !strings.Contains(err.Error(), "rapports search -- '-russie drones'") {
		t.Errorf("rapports search -russie drones: err %v; want exit 2 and the line saying to put the query after --", err)
	}
}

// TestHelpIndexBadDate checks what index --help and the README say of a
// report with a bad date against what index does: the date is listed as a
// failure and the report is indexed without date.
func TestHelpIndexBadDate(t *testing.T) {
	docs, dir := t.TempDir(), filepath.Join(t.TempDir(), "idx")
	if err := os.WriteFile(filepath.Join(docs, "note.txt"), []byte("date: 2024-02-30\n\nLes armées se retirent.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err := run(t, "index", "--index", dir, docs)
	if err != nil || !strings.Contains(out, `note.txt:1: date: "2024-02-30" is not a date`) {
		t.Fatalf("rapports index: err %v; want the bad date listed:\n%s", err, out)
	}
	out, _, err = run(t, "search", "--index", dir, "--json", "armées")
	if err != nil || !strings.Contains(out, `"total":1,`) || strings.Contains(out, `"date":"`) {
		t.Fatalf("rapports search armées: err %v; want the report, without date:\n%s", err, out)
	}
	help, _, err := run(t, "index", "--help")
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"rapports index --help": help, "README.md": readme(t)} {
		if !strings.Contains(strings.Join(strings.Fields(text), " "), "a bad date is listed too, but its report is indexed without date") {
			t.Errorf("%s does not say that a report with a bad date is indexed without date", name)
		}
	}
}

// TestHelpAnalyzers checks that analyze --help describes each analyzer on
// a line of its own.
func TestHelpAnalyzers(t *testing.T) {
	out, _, err := run(t, "analyze", "--help")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range analyzers.Names() {
		if !regexp.MustCompile(`(?m)^\s+` + regexp.QuoteMeta(name) + `\s+\S.*$`).MatchString(out) {
			t.Errorf("rapports analyze --help has no line describing %s:\n%s", name, out)
		}
	}
}
