package main

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/rapports/rapports/analyzers"
	"github.com/rapports/rapports/index"
	"github.com/rapports/rapports/server"
)

// run runs the application in this process with args (without the program
// name) and returns what it wrote and its error.
func run(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	app := newApp()
	app.Writer, app.ErrWriter = &out, &errOut
	err = app.Run(append([]string{"rapports"}, args...))
	return out.String(), errOut.String(), err
}

// exitCode returns the exit status main would give err.
func exitCode(err error) int {
	return exitStatus(err, false)
}

func TestHelpHasExamples(t *testing.T) {
	for _, cmd := range []string{"index", "search", "serve", "stats", "analyze"} {
		out, _, err := run(t, cmd, "--help")
		if err != nil {
			t.Errorf("rapports %s --help: %v", cmd, err)
			continue
		}
		if !strings.Contains(out, "rapports "+cmd+" ") || !strings.Contains(out, "--index") && cmd != "analyze" {
			t.Errorf("rapports %s --help shows no example or no --index:\n%s", cmd, out)
		}
	}
	out, _, err := run(t, "--help")
	if err != nil || !strings.Contains(out, envIndex) {
		t.Errorf("rapports --help: err %v, want the index folder documented (%s):\n%s", err, envIndex, out)
	}
}

func TestAnalyze(t *testing.T) {
	cases := []struct {
		args []string
		want []string // terms
	}{
		{[]string{"l’armée"}, []string{"armée"}},
		{[]string{"--analyzer", analyzers.ExactName, "L'Armée", "et", "la", "défense"}, []string{"armee", "et", "la", "defense"}},
		{[]string{"--analyzer", analyzers.ExactQueryName, "Armées"}, []string{analyzers.ExactMarker + "armees"}},
	}
	for _, tc := range cases {
		args := append([]string{"analyze", "--json"}, tc.args...)
		out, _, err := run(t, args...)
		if err != nil {
			t.Errorf("rapports %q: %v", args, err)
			continue
		}
		var a server.Analysis
		if err := json.Unmarshal([]byte(out), &a); err != nil {
			t.Errorf("rapports %q: output %q is not JSON: %v", args, out, err)
			continue
		}
		var got []string
		for _, tok := range a.Tokens {
			got = append(got, tok.Term)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("rapports %q: terms %q; want %q", args, got, tc.want)
		}
	}

	out, _, err := run(t, "analyze", "Défense aérienne")
	if err != nil {
		t.Fatalf("rapports analyze: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	want := []string{"TERM POSITION START END TEXT", "défense 1 0 8 Défense", "aérien 2 9 18 aérienne"}
	for i := range lines {
		lines[i] = strings.Join(strings.Fields(lines[i]), " ")
	}
	if !slices.Equal(lines, want) {
		t.Errorf("rapports analyze \"Défense aérienne\": table\n%q\nwant\n%q", lines, want)
	}
}

// TestUsageErrors checks that mistakes on the command line exit 2 with a
// message that names what is wrong, before any index is opened.
func TestUsageErrors(t *testing.T) {
	t.Setenv(envIndex, t.TempDir()+"/absent")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"search"}, "give a QUERY"},
		{[]string{"search", "--from", "2024-13", "armée"}, `from: "2024-13" is not a date`},
		{[]string{"search", "--country", "XX", "armée"}, `country: "XX" is not an ISO 3166-1 code`},
		{[]string{"search", "--sort", "score", "armée"}, `sort: "score"`},
		{[]string{"search", "--size", "500", "armée"}, "size: 500 is out of range"},
		{[]string{"search", "--page", "0", "armée"}, "page: 0"},
		{[]string{"search", strings.Repeat("a", 1001)}, "q: 1001 characters, at most 1000"},
		{[]string{"search", "armée", "--size", "1"}, "option --size after the query"},
		{[]string{"search", "drones", "-c", "UA"}, "option -c after the query"},
		{[]string{"search", "armée", "--from=2024"}, "option --from=2024 after the query"},
		{[]string{"index"}, "give the files or folders"},
		{[]string{"index", "/no/such/folder"}, "/no/such/folder"},
		{[]string{"analyze"}, "give the TEXT"},
		{[]string{"analyze", "--analyzer", "english", "x"}, `analyzer: "english" is not an analyzer`},
	}
	for _, tc := range cases {
		_, _, err := run(t, tc.args...)
		if exitCode(err) != 2 || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("rapports %q: exit %d, error %v; want exit 2 and %q", tc.args, exitCode(err), err, tc.want)
		}
	}
}

func TestIndexDir(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("HOME", cache)
	t.Setenv(envIndex, "")
	cases := []struct {
		env, flag   string
		want        string
		wantDefault bool
	}{
		{"", "", cache + "/rapports/index", true},
		{"/env/idx", "", "/env/idx", true},
		{"/env/idx", "/flag/idx", "/flag/idx", false},
	}
	for _, tc := range cases {
		t.Setenv(envIndex, tc.env)
		var got string
		var isDefault bool
		app := &cli.App{
			Flags: []cli.Flag{indexFlag()},
			Action: func(c *cli.Context) (err error) {
				got, isDefault, err = indexDir(c)
				return err
			},
		}
		args := []string{"x"}
		if tc.flag != "" {
			args = append(args, "--index", tc.flag)
		}
		if err := app.Run(args); err != nil {
			t.Fatal(err)
		}
		if got != tc.want || isDefault != tc.wantDefault {
			t.Errorf("indexDir with %s=%q, --index %q: %q, default %v; want %q, %v",
				envIndex, tc.env, tc.flag, got, isDefault, tc.want, tc.wantDefault)
		}
	}
}

func TestFormatBytes(t *testing.T) {
	cases := map[int64]string{0: "0 B", 999: "999 B", 1000: "1.0 kB", 1_536_000: "1.5 MB", 3_200_000_000: "3.2 GB"}
	for in, want := range cases {
		if got := formatBytes(in); got != want {
			t.Errorf("formatBytes(%d) = %q; want %q", in, got, want)
		}
	}
}

func TestPrintResult(t *testing.T) {
	res := &index.Result{
		Query: "défense aérienne", Total: 12, TookMS: 3.1, Page: 2, Size: 1,
		Hits: []index.Hit{{ID: "defense/manama.txt", Score: 1.7, Title: "L'armée à Manama", Date: "2024-06",
			TitleMatches: []index.Span{{Start: 2, End: 8}},
			Countries:    []string{"IL", "BH"},
			Fragments:    []index.Fragment{{Text: "…la défense aérienne &\n antimissile…", Matches: []index.Span{{Start: 6, End: 24}}}}}},
		Facets: index.Facets{
			Country: []index.CountryCount{{Code: "IL", Name: "Israël", Count: 7}, {Code: "BH", Name: "Bahreïn", Count: 2}},
			Date:    []index.DateCount{{Period: "2024-06", Count: 3}},
		},
	}
	cases := []struct {
		colour bool
		want   []string
		not    []string
	}{
		{false, []string{`12 results for "défense aérienne" (3.1 ms), page 2 of 12`,
			"  2. 2024-06  L'[armée] à Manama  (1.70)", "defense/manama.txt  IL BH",
			"     …la [défense aérienne] & antimissile…\n", "Countries: Israël (IL) 7, Bahreïn (BH) 2", "Dates: 2024-06 3"},
			[]string{"\x1b[", "<mark>", "&amp;"}},
		{true, []string{ansiMark + "défense aérienne" + ansiReset, ansiBold + "L'" + ansiMark + "armée" + ansiReset + ansiBold + " à Manama" + ansiReset}, nil},
	}
	past := *res
	past.Page, past.Hits = 13, nil
	var b bytes.Buffer
	if err := printResult(&b, &past, false); err != nil {
		t.Fatal(err)
	}
	if want := "No hits on page 13: the last page is 12 (--page 12)."; !strings.Contains(b.String(), want) {
		t.Errorf("printResult(page past the end) =\n%s\nwant it to contain %q", b.String(), want)
	}
	for _, tc := range cases {
		var b bytes.Buffer
		if err := printResult(&b, res, tc.colour); err != nil {
			t.Fatal(err)
		}
		for _, w := range tc.want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("printResult(colour %v) =\n%s\nwant it to contain %q", tc.colour, b.String(), w)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(b.String(), w) {
				t.Errorf("printResult(colour %v) =\n%s\nwant no %q", tc.colour, b.String(), w)
			}
		}
	}
}
