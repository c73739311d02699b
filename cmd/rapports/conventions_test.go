package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/rapports/rapports/index"
	"github.com/rapports/rapports/internal/buildinfo"
)

// testIndex indexes testCorpus into a new index folder and returns it.
func testIndex(t *testing.T) string {
	t.Helper()
	docs, dir := t.TempDir(), filepath.Join(t.TempDir(), "idx")
	testCorpus(t, docs)
	if _, _, err := run(t, "index", "--index", dir, docs); err != nil {
		t.Fatalf("rapports index: %v", err)
	}
	return dir
}

// TestExitCodes checks the exit statuses of the README, run in this
// process: 0 found, 1 no result (search, with --json too), 2 usage or
// input error, with the message the user sees.
func TestExitCodes(t *testing.T) {
	t.Setenv(envIndex, filepath.Join(t.TempDir(), "absent"))
	idx := testIndex(t)
	cases := []struct {
		args []string
		code int
		want string // in the output, or in the error when the code is not 0
	}{
		{[]string{"search", "--index", idx, "armées"}, 0, `2 results for "armées"`},
		{[]string{"search", "--index", idx, "--json", "armées"}, 0, `"total":2`},
		{[]string{"search", "--index", idx, "inexistant"}, 1, ""},
		{[]string{"search", "--index", idx, "--json", "inexistant"}, 1, ""},
		{[]string{"search", "--index", idx, "--country", "JP", "armées"}, 1, ""},
		// Global options after the command name, and before it.
		{[]string{"search", "--index", idx, "--verbose", "armées"}, 0, `2 results for "armées"`},
		{[]string{"--index", idx, "search", "armées"}, 0, `2 results for "armées"`},
		{[]string{"-v", "search", "--index", idx, "--log-json", "armées"}, 0, `2 results for "armées"`},
		{[]string{"search", "--index", filepath.Join(idx, "absent"), "armées"}, 2, "no index in"},
		{[]string{"search", "--index", idx, `"gaz`}, 2, "quote"},
		{[]string{"serch", "armées"}, 2, `unknown command "serch": did you mean search?`},
		{[]string{"idnex", "docs"}, 2, "did you mean index?"},
		{[]string{"bonjour"}, 2, `unknown command "bonjour" (see rapports --help)`},
		{[]string{"--verbsoe", "stats"}, 2, "unknown option --verbsoe: did you mean --verbose?"},
		{[]string{"search", "--sise", "3", "armées"}, 2, "search: unknown option --sise: did you mean --size?"},
		{[]string{"search", "-x", "armées"}, 2, "search: unknown option -x (see rapports search --help)"},
		{[]string{"search", "--size"}, 2, "flag needs an argument"},
		{[]string{"search", "-russie", "drones"}, 2, "search: -russie is not an option: a query that starts with - goes after --, as in rapports search -- '-russie drones'"},
		{[]string{"search", "-russie drones"}, 2, "as in rapports search -- '-russie drones'"},
		{[]string{"search", "--index", idx, "--", "-russie", "armées"}, 0, `2 results for "-russie armées"`},
		{[]string{"stats", "--index", idx, "--nope"}, 2, "stats: unknown option --nope"},
		{[]string{"search", "--index", idx, "--country", "PL"}, 0, "1 result for the filters, by date"},
		{[]string{"search", "--index", idx, "--from", "2030"}, 1, ""},
		{[]string{"search"}, 2, "give a QUERY, or a filter"},
		{[]string{"search", "--json", "--format", "csv", "armées"}, 2, "--json and --format csv: give one"},
		{[]string{"search", "--all", "armées"}, 2, "--all prints every hit as rows: give --format jsonl or csv"},
		{[]string{"search", "--text", "--format", "json", "armées"}, 2, "--text adds the text to rows"},
		{[]string{"search", "--format", "xml", "armées"}, 2, `--format "xml" is not a format (want text, json, jsonl, csv)`},
		{[]string{"search", "--all", "--format", "csv", "--page", "2", "armées"}, 2, "--all and --page"},
		{[]string{"search", "--index", idx, "--all", "--format", "csv", "armées"}, 0, "id,date,title,countries,organizations,source,path,score\n"},
		{[]string{"search", "--index", idx, "--format", "jsonl", "--size", "1", "armées"}, 0, `"path":"defense/`},
		{[]string{"version"}, 0, "schema"},
		{[]string{"--version"}, 0, "schema"},
		{[]string{"version", "x"}, 2, "takes no argument"},
		{[]string{"show", "--index", idx, "defense/manama.txt"}, 0, "Title:     Réunion des états-majors à Manama\n"},
		{[]string{"show", "--index", idx, "defense/absent.txt"}, 2, `show: no report "defense/absent.txt"`},
		{[]string{"show", "--index", idx}, 2, "give the ID"},
		{[]string{"show", "--index", idx, "a", "b"}, 2, "give one ID"},
		{[]string{"completion"}, 2, "give one shell"},
		{[]string{"completion", "tcsh"}, 2, `"tcsh" is not a shell`},
		{[]string{"man", "x"}, 2, "takes no argument"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			out, _, err := run(t, tc.args...)
			if got := exitCode(err); got != tc.code {
				t.Fatalf("rapports %q: exit %d (%v); want %d\n%s", tc.args, got, err, tc.code, out)
			}
			got := out
			if tc.code != 0 {
				got = err.Error()
			}
			if !strings.Contains(got, tc.want) {
				t.Errorf("rapports %q: %q; want %q in it", tc.args, got, tc.want)
			}
			if tc.code == 2 && strings.Contains(out, "USAGE:") {
				t.Errorf("rapports %q printed the help; want one line:\n%s", tc.args, out)
			}
		})
	}
}

// TestExitStatus checks how main maps the error of a run to its status.
func TestExitStatus(t *testing.T) {
	cases := []struct {
		err         error
		interrupted bool
		want        int
	}{
		{nil, false, 0},
		{noResult(), false, 1},
		{cli.Exit("bad", 2), false, 2},
		{errors.New("disk full"), false, 2},
		{fmt.Errorf("search: %w", context.Canceled), false, 130},
		{errors.New("read: broken pipe"), true, 130},
		{cli.Exit("index: interrupted", exitInterrupted), true, 130},
		{cli.Exit("", 0), false, 2}, // an ExitCoder of 0 with an error is still a failure
	}
	for _, tc := range cases {
		if got := exitStatus(tc.err, tc.interrupted); got != tc.want {
			t.Errorf("exitStatus(%v, %v) = %d; want %d", tc.err, tc.interrupted, got, tc.want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"serch", "search", 1}, {"saerch", "search", 1}, {"search", "search", 0}, {"", "abc", 3},
		{"idnex", "index", 1}, {"sreve", "serve", 1}, {"sevre", "serve", 1}, {"kitten", "sitting", 3}, {"états", "etats", 1},
	}
	for _, tc := range cases {
		if got := editDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d; want %d", tc.a, tc.b, got, tc.want)
		}
	}
	names := []string{"index", "search", "serve", "stats", "show"}
	for in, want := range map[string]string{"serch": "search", "sevre": "serve", "stat": "stats", "bonjour": "", "x": ""} {
		if got := closest(in, names); got != want {
			t.Errorf("closest(%q) = %q; want %q", in, got, want)
		}
	}
}

// TestShow checks "rapports show": the metadata, then the text; --json is
// the document of GET /api/documents/{id}.
func TestShow(t *testing.T) {
	idx := testIndex(t)
	out, _, err := run(t, "show", "--index", idx, "eco-3")
	if err != nil {
		t.Fatal(err)
	}
	want := "ID:        eco-3\nTitle:     Le Sénégal exporte son premier pétrole\nDate:      2024-06-11\n" +
		"Countries: Sénégal (SN)\n"
	if !strings.HasPrefix(out, want) || !strings.HasSuffix(out, "\n\nLe Sénégal a chargé sa première cargaison de pétrole brut.\n") {
		t.Errorf("rapports show eco-3:\n%s\nwant it to start with\n%s\nand end with the text", out, want)
	}
	out, _, err = run(t, "show", "--index", idx, "--json", "eco-3")
	var doc index.Document
	if err != nil || json.Unmarshal([]byte(out), &doc) != nil || doc.ID != "eco-3" || doc.Date != "2024-06-11" ||
		!strings.Contains(doc.Body, "cargaison") {
		t.Errorf("rapports show --json eco-3: %v, %+v", err, doc)
	}

	// --query marks the matches of the query, found as search finds
	// them (here without accents), and counts them.
	out, _, err = run(t, "show", "--index", idx, "-q", "petrole senegal", "eco-3")
	want = "ID:        eco-3\nTitle:     Le [Sénégal] exporte son premier [pétrole]\n"
	if err != nil || !strings.HasPrefix(out, want) || !strings.Contains(out, "Matches:   4 (2 in the title)\n") ||
		!strings.HasSuffix(out, "\n\nLe [Sénégal] a chargé sa première cargaison de [pétrole] brut.\n") {
		t.Errorf("rapports show -q 'petrole senegal' eco-3: %v\n%s", err, out)
	}
	out, _, err = run(t, "show", "--index", idx, "--json", "--query", `"premier pétrole"`, "eco-3")
	doc = index.Document{}
	if err != nil || json.Unmarshal([]byte(out), &doc) != nil || len(doc.TitleMatches) != 2 || doc.BodyMatches != nil {
		t.Errorf("rapports show --json --query '\"premier pétrole\"' eco-3: %v, %+v; want 2 title matches, none in the body", err, doc)
	}
	_, _, err = run(t, "show", "--index", idx, "-q", `"pétrole`, "eco-3")
	if exitCode(err) != 2 || err == nil || !strings.Contains(err.Error(), "show: --query: ") || !strings.Contains(err.Error(), "unclosed quote") {
		t.Errorf(`rapports show -q '"pétrole' eco-3: %v; want exit 2 naming --query and the unclosed quote`, err)
	}
}

// TestVersion checks what "rapports version" says of a build from git and
// of one without build information.
func TestVersion(t *testing.T) {
	fp, err := index.AnalyzerVersion()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		bi   *debug.BuildInfo
		want string
	}{
		{nil, fmt.Sprintf("rapports (devel) (%s, schema %d, analyzers %s)", buildinfo.FromBuildInfo(nil).GoVersion, index.SchemaVersion, fp)},
		{&debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Path: "github.com/rapports/rapports", Version: "v1.2.0"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.modified", Value: "true"}}},
			fmt.Sprintf("rapports v1.2.0 (commit 0123456789ab+modified, go1.26.0, schema %d, analyzers %s)", index.SchemaVersion, fp)},
	}
	for _, tc := range cases {
		if got := buildinfo.FromBuildInfo(tc.bi).String(); got != tc.want {
			t.Errorf("version of %+v:\n%s\nwant\n%s", tc.bi, got, tc.want)
		}
	}
	out, _, err := run(t, "version", "--json")
	var info buildinfo.Info
	if err != nil || json.Unmarshal([]byte(out), &info) != nil || info.Schema != index.SchemaVersion || info.Analyzer != fp ||
		info.Module != "github.com/rapports/rapports" || !strings.HasPrefix(info.GoVersion, "go") {
		t.Errorf("rapports version --json: %v, %s", err, out)
	}
}

// TestVersionFromGit builds the binary from the git checkout, as a user
// does, and checks that "rapports --version" names its commit.
func TestVersionFromGit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	rev, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("not in a git checkout: %v", err)
	}
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Skipf("git rev-parse --show-toplevel: %v", err)
	}
	if fi, err := os.Stat(filepath.Join(strings.TrimSpace(string(top)), ".git")); err != nil || !fi.IsDir() {
		t.Skip("a git worktree (.git is a file): Go stamps the commit only in a checkout with a .git folder")
	}
	bin := filepath.Join(t.TempDir(), "rapports")
	cmd := exec.Command("go", "build", "-buildvcs=true", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("go build -buildvcs=true: %v\n%s", err, out) // no git binary Go can use
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := "commit " + string(rev[:12]); !strings.Contains(string(out), want) {
		t.Errorf("rapports --version built from git: %q; want %q", out, want)
	}
}

// TestLogJSONDurations checks that --log-json writes durations in
// milliseconds, under a key that says so, and the text log as Go writes them.
func TestLogJSONDurations(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"x", "--log-json"}, `"took_ms":1.5,"size":3}`},
		{[]string{"x"}, `took=1.5ms size=3`},
	}
	for _, tc := range cases {
		var out bytes.Buffer
		app := &cli.App{Flags: globalFlags(), ErrWriter: &out, Action: func(c *cli.Context) error {
			logger(c).Info("done", "took", 1500*time.Microsecond, "size", 3)
			return nil
		}}
		if err := app.Run(tc.args); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), tc.want) {
			t.Errorf("%q: log %q; want %q", tc.args, out.String(), tc.want)
		}
	}
}

func TestCORSOrigins(t *testing.T) {
	cases := []struct {
		in   []string
		want []string
		err  string
	}{
		{nil, nil, ""},
		{[]string{"https://Carto.example.org", "http://localhost:3000"}, []string{"https://carto.example.org", "http://localhost:3000"}, ""},
		{[]string{"https://a.example,https://b.example"}, []string{"https://a.example", "https://b.example"}, ""},
		{[]string{"*"}, []string{"*"}, ""},
		{[]string{"carto.example.org"}, nil, `"carto.example.org" is not an origin`},
		{[]string{"https://a.example/page"}, nil, "is not an origin"},
		{[]string{"ftp://a.example"}, nil, "is not an origin"},
	}
	for _, tc := range cases {
		got, err := corsOrigins(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("corsOrigins(%q): %v; want an error with %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("corsOrigins(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

// TestEndToEndConventions runs the built binary, so that what main does
// with the errors (exit status, one line on stderr) is tested as a user
// meets it.
func TestEndToEndConventions(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	env := isolated(t)
	docs, idx := t.TempDir(), filepath.Join(t.TempDir(), "idx")
	testCorpus(t, docs)
	if out, errOut, code := runBinary(t, env, "index", "--index", idx, docs); code != 0 {
		t.Fatalf("index: exit %d\n%s%s", code, out, errOut)
	}
	cases := []struct {
		args   []string
		code   int
		stdout string // in stdout
		stderr string // the whole of stderr, when the code is 2
	}{
		{[]string{"search", "--index", idx, "armées"}, 0, "2 results for", ""},
		{[]string{"search", "--index", idx, "--json", "introuvable"}, 1, `"total":0`, ""},
		{[]string{"serch", "armées"}, 2, "", "rapports: unknown command \"serch\": did you mean search? (see rapports --help)\n"},
		{[]string{"search", "--sise", "3", "armées"}, 2, "", "rapports: search: unknown option --sise: did you mean --size? (see rapports search --help)\n"},
		{[]string{"search", "-russie drones"}, 2, "", "rapports: search: -russie drones is not an option: a query that starts with - goes after --, as in rapports search -- '-russie drones'\n"},
		{[]string{"search", "--index", filepath.Join(idx, "absent"), "gaz"}, 2, "", ""},
		{[]string{"--version"}, 0, "schema ", ""},
		{[]string{"version", "--json"}, 0, `"analyzer_version":"`, ""},
		{[]string{"show", "--index", idx, "eco-3"}, 0, "Title:     Le Sénégal exporte son premier pétrole\n", ""},
		{[]string{"show", "--index", idx, "--verbose", "nope"}, 2, "", "rapports: show: no report \"nope\" in " + idx + " (search lists the IDs)\n"},
		{[]string{"completion", "bash"}, 0, "complete -o default -o bashdefault -F _rapports rapports", ""},
		{[]string{"completion", "zsh"}, 0, "#compdef rapports", ""},
		{[]string{"completion", "fish"}, 0, "complete -c rapports", ""},
		{[]string{"man"}, 0, ".TH rapports 1", ""},
	}
	for _, tc := range cases {
		out, errOut, code := runBinary(t, env, tc.args...)
		if code != tc.code || !strings.Contains(out, tc.stdout) || tc.stderr != "" && errOut != tc.stderr {
			t.Errorf("rapports %q: exit %d\nstdout: %.300s\nstderr: %s\nwant exit %d, %q in stdout, stderr %q", tc.args, code, out, errOut, tc.code, tc.stdout, tc.stderr)
		}
		if code == 2 && (strings.Count(errOut, "\n") != 1 || strings.Contains(out+errOut, "USAGE:")) {
			t.Errorf("rapports %q: want one line on stderr and no help, got stdout %q stderr %q", tc.args, out, errOut)
		}
	}
	if _, errOut, code := runBinary(t, env, "serve", "--index", idx, "--cors", "carto.example.org"); code != 2 || !strings.Contains(errOut, "is not an origin") {
		t.Errorf("serve --cors carto.example.org: exit %d, %q; want 2 and why", code, errOut)
	}
	srv := startServe(t, env, "--index", idx, "--cors", "https://carto.example.org")
	for origin, want := range map[string]string{"https://carto.example.org": "https://carto.example.org", "https://autre.example": ""} {
		req, err := http.NewRequest("OPTIONS", srv.url+"api/search?q=gaz", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "GET")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Access-Control-Allow-Origin"); got != want {
			t.Errorf("serve --cors: preflight from %s: %s, Allow-Origin %q; want %q", origin, resp.Status, got, want)
		}
	}
	srv.stop(t)
}
