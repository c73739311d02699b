package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// completionScript writes the script "rapports completion SHELL" prints
// to a file and returns its path.
func completionScript(t *testing.T, shell string) string {
	t.Helper()
	out, _, err := run(t, "completion", shell)
	if err != nil {
		t.Fatalf("rapports completion %s: %v", shell, err)
	}
	p := filepath.Join(t.TempDir(), "rapports."+shell)
	if err := os.WriteFile(p, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCompletionBash runs the bash script's function on command lines
// and checks what it offers.
func TestCompletionBash(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	script := completionScript(t, "bash")
	cases := []struct {
		words []string // the last one is the word being completed
		want  []string // all of them offered
		not   []string // none of them offered
	}{
		{[]string{""}, []string{"index", "search", "show", "serve", "stats", "analyze", "version", "completion", "man", "help"}, nil},
		{[]string{"se"}, []string{"search", "serve"}, []string{"show", "index"}},
		{[]string{"--index", "/tmp/idx", "se"}, []string{"search", "serve"}, nil},
		{[]string{"-"}, []string{"--verbose", "--log-json", "--index", "--version", "--help"}, nil},
		{[]string{"search", "--c"}, []string{"--country"}, []string{"--json"}},
		{[]string{"search", "--"}, []string{"--country", "--from", "--to", "--sort", "--size", "--page", "--json", "--verbose", "--index"}, nil},
		{[]string{"search", "--country", "F"}, []string{"FR", "FI"}, []string{"DE"}},
		{[]string{"search", "--country", "f"}, []string{"FR"}, nil},
		{[]string{"search", "-c", "B"}, []string{"BH", "BE"}, nil},
		{[]string{"search", "--sort", ""}, []string{"relevance", "date", "-date"}, nil},
		{[]string{"analyze", "--analyzer", "rapports_fr_e"}, []string{"rapports_fr_exact", "rapports_fr_exact_query"}, []string{"rapports_fr"}},
		{[]string{"completion", ""}, []string{"bash", "zsh", "fish"}, nil},
		{[]string{"help", "s"}, []string{"search", "serve", "stats", "show"}, nil},
		{[]string{"serve", "--w"}, []string{"--watch"}, nil},
	}
	for _, tc := range cases {
		words := append([]string{"rapports"}, tc.words...)
		quoted := make([]string, len(words))
		for i, w := range words {
			quoted[i] = bashWord(w)
		}
		prog := "source " + bashWord(script) + "\nCOMP_WORDS=(" + strings.Join(quoted, " ") + ")\nCOMP_CWORD=" +
			strconv.Itoa(len(words)-1) + "\n_rapports\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n"
		out, err := exec.Command("bash", "--norc", "--noprofile", "-c", prog).CombinedOutput()
		if err != nil {
			t.Fatalf("bash completion of %q: %v\n%s", words, err, out)
		}
		got := strings.Fields(string(out))
		for _, w := range tc.want {
			if !slices.Contains(got, w) {
				t.Errorf("bash completion of %q: %q; want %q among them", words, got, w)
			}
		}
		for _, w := range tc.not {
			if slices.Contains(got, w) {
				t.Errorf("bash completion of %q: %q; want no %q", words, got, w)
			}
		}
	}
}

// TestCompletionFish asks fish for the completions of command lines with
// the script loaded; without fish, it checks the script's lines.
func TestCompletionFish(t *testing.T) {
	script := completionScript(t, "fish")
	b, err := os.ReadFile(script)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"-a search -d 'search the index'", "-l country -s c -x -a 'AF\\\\t", "-l sort", "-a 'bash zsh fish'"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("fish script lacks %q", want)
		}
	}
	if _, err := exec.LookPath("fish"); err != nil {
		t.Skip("no fish to run the script (apt-get install fish)")
	}
	cases := []struct {
		line string
		want []string // "value" or "value\tdescription"
	}{
		{"rapports se", []string{"search\tsearch the index", "serve\tserve the search page and the JSON API"}},
		{"rapports search --country F", []string{"FR\tFrance", "FI\tFinlande"}},
		{"rapports search -c C", []string{"CI\tCôte d'Ivoire"}},
		{"rapports search --so", []string{"--sort"}},
		{"rapports search --sort ", []string{"relevance", "date", "-date"}},
		{"rapports completion ", []string{"bash", "zsh", "fish"}},
	}
	for _, tc := range cases {
		out, err := exec.Command("fish", "--no-config", "-c", "source "+fishQuote(script)+"; complete -C "+fishQuote(tc.line)).CombinedOutput()
		if err != nil {
			t.Fatalf("fish completion of %q: %v\n%s", tc.line, err, out)
		}
		lines := strings.Split(string(out), "\n")
		for _, w := range tc.want {
			if !slices.ContainsFunc(lines, func(l string) bool { return l == w || strings.HasPrefix(l, w+"\t") }) {
				t.Errorf("fish completion of %q:\n%s\nwant %q", tc.line, out, w)
			}
		}
	}
}

// TestCompletionZsh checks the zsh script's syntax with zsh -n, when zsh
// is there, and the specs of its options.
func TestCompletionZsh(t *testing.T) {
	script := completionScript(t, "zsh")
	b, err := os.ReadFile(script)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"#compdef rapports", "'search:search the index'", "'*'{-c,--country}'[keep reports naming",
		`FR\:France`, `CI\:Côte\ d'\''Ivoire`, "--sort[", ":SORT:(relevance date -date)", "'1:argument:(bash zsh fish)'", "_files -/"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("zsh script lacks %q", want)
		}
	}
	if _, err := exec.LookPath("zsh"); err != nil {
		t.Skip("no zsh to check the syntax (apt-get install zsh)")
	}
	if out, err := exec.Command("zsh", "-n", script).CombinedOutput(); err != nil {
		t.Errorf("zsh -n: %v\n%s", err, out)
	}
}

// TestMan checks that "rapports man" is a roff page naming every command
// and option, and that man can format it when it is installed.
func TestMan(t *testing.T) {
	out, _, err := run(t, "man")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, ".nh\n.TH rapports 1") {
		t.Errorf("rapports man does not start as a roff page of section 1:\n%.200s", out)
	}
	for _, cmd := range newApp().Commands {
		if !strings.Contains(out, "\n.SH "+cmd.Name+"\n"+cmd.Usage) {
			t.Errorf("rapports man has no section for the command %s", cmd.Name)
		}
		if first, _, _ := strings.Cut(cmd.Description, "\n"); !strings.Contains(out, first) {
			t.Errorf("rapports man lacks the description of %s (%q)", cmd.Name, first)
		}
		for _, f := range cmd.Flags {
			if name := f.Names()[0]; !strings.Contains(out, "--"+name) {
				t.Errorf("rapports man does not name %s --%s", cmd.Name, name)
			}
		}
	}
	if _, err := exec.LookPath("groff"); err != nil {
		t.Skip("no groff to format the page")
	}
	cmd := exec.Command("groff", "-man", "-Tutf8", "-ww")
	cmd.Stdin = strings.NewReader(out)
	page, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(page), "full-text search of French reports") {
		t.Errorf("groff -man: %v\n%.500s", err, page)
	}
}
