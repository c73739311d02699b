package main

import (
	"regexp"
	"strings"
	"testing"
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
			if name == "help" {
				continue
			}
			if !strings.Contains(synopsis, "--"+name) {
				t.Errorf("rapports %s --help: the synopsis %q does not name --%s", cmd.Name, synopsis, name)
			}
		}
	}
}

// TestHelpSearchFlagsFirst checks that search --help says the options come
// before the query: urfave/cli stops reading flags at the first argument, so
// "rapports search armée --size 1" searches for "armée --size 1".
func TestHelpSearchFlagsFirst(t *testing.T) {
	out, _, err := run(t, "search", "--help")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "before QUERY") {
		t.Errorf("rapports search --help does not say that options go before QUERY:\n%s", out)
	}
}
