package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rapports/rapports/corpus"
	"github.com/rapports/rapports/corpus/sample"
	"github.com/rapports/rapports/index"
	"github.com/rapports/rapports/server"
)

// readme returns the README at the root of the module.
func readme(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatalf("README.md: %v", err)
	}
	return string(b)
}

// TestREADMECommands checks that the README starts with the two set-up
// commands and that CI runs exactly its test command.
func TestREADMECommands(t *testing.T) {
	text := readme(t)
	first := regexp.MustCompile("(?s)```sh\n(.*?)```").FindStringSubmatch(text)
	if first == nil {
		t.Fatal("README.md has no sh block")
	}
	for _, cmd := range []string{"go run ./cmd/rapports serve", "go test ./..."} {
		if !strings.Contains(first[1], cmd) {
			t.Errorf("README.md's first block %q lacks %q", first[1], cmd)
		}
	}
	ci, err := os.ReadFile(filepath.Join("..", "..", ".ci", "run"))
	if err != nil {
		t.Fatalf(".ci/run: %v", err)
	}
	if !regexp.MustCompile(`(?m)^go test \./\.\.\.$`).Match(ci) || !strings.Contains(string(ci), "set -euo pipefail") {
		t.Errorf(".ci/run does not run exactly \"go test ./...\" under set -euo pipefail:\n%s", ci)
	}
}

// TestREADMEExample compiles the README's Go example against the module.
func TestREADMEExample(t *testing.T) {
	if testing.Short() {
		t.Skip("compiling the README example skipped in -short mode")
	}
	m := regexp.MustCompile("(?s)```go\n(.*?)```").FindStringSubmatch(readme(t))
	if m == nil {
		t.Fatal("README.md has no Go example")
	}
	file := filepath.Join(t.TempDir(), "main.go")
	if err := os.WriteFile(file, []byte(m[1]), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "vet", file)
	cmd.Dir = filepath.Join("..", "..")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("the README's Go example does not build: %v\n%s\n%s", err, out, m[1])
	}
}

// readmeSection returns the README's text from the heading title to the
// next heading of the same or a higher level.
func readmeSection(t *testing.T, title string) string {
	t.Helper()
	text := readme(t)
	i := strings.Index(text, "\n"+title+"\n")
	if i < 0 {
		t.Fatalf("README.md has no heading %q", title)
	}
	level, _, _ := strings.Cut(title, " ")
	rest := text[i+len(title)+2:]
	if j := regexp.MustCompile(`\n#{1,` + strconv.Itoa(len(level)) + `} `).FindStringIndex(rest); j != nil {
		rest = rest[:j[0]]
	}
	return rest
}

// sampleAPI returns the HTTP API over an index in memory of the sample
// corpus, as the first "rapports serve" builds it.
func sampleAPI(t *testing.T) http.Handler {
	t.Helper()
	idx, err := index.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	if _, err := idx.AddFS(context.Background(), sample.Files(), "sample", index.AddOptions{}); err != nil {
		t.Fatal(err)
	}
	return server.New(idx, server.Options{}, nil)
}

// apiSearch sends q to /api/search and returns the status, the error code
// (if any) and the total.
func apiSearch(t *testing.T, h http.Handler, q string) (status int, code string, total int) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/search?"+url.Values{"q": {q}}.Encode(), nil))
	var body struct {
		Total int `json:"total"`
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("/api/search?q=%s: %v\n%s", q, err, rec.Body)
	}
	return rec.Code, body.Error.Code, body.Total
}

// TestREADMEErrorTable sends the example queries of the README's table of
// HTTP errors (written `q=...` in a row) and checks that each answers the
// row's status and code.
func TestREADMEErrorTable(t *testing.T) {
	section := readmeSection(t, "## HTTP API")
	row := regexp.MustCompile("(?m)^\\| (\\d{3}) \\| `([a-z_]+)`.*\\|(.*)\\|$")
	example := regexp.MustCompile("`q=([^`]+)`")
	h := sampleAPI(t)
	n := 0
	for _, m := range row.FindAllStringSubmatch(section, -1) {
		for _, ex := range example.FindAllStringSubmatch(m[3], -1) {
			n++
			status, code, _ := apiSearch(t, h, ex[1])
			if strconv.Itoa(status) != m[1] || code != m[2] {
				t.Errorf("README: /api/search?q=%s answers %d %q; the README's table says %s %q", ex[1], status, code, m[1], m[2])
			}
		}
	}
	if n < 3 {
		t.Errorf("the README's table of HTTP errors has %d examples written `q=...`; want at least 3", n)
	}
}

// TestREADMEQuerySyntax runs every query of the README's query syntax table
// on the sample corpus: each must be accepted and find something.
func TestREADMEQuerySyntax(t *testing.T) {
	section := readmeSection(t, "## Query syntax")
	row := regexp.MustCompile("(?m)^\\| (`.*`) \\|")
	query := regexp.MustCompile("`([^`]+)`")
	h := sampleAPI(t)
	n := 0
	for _, m := range row.FindAllStringSubmatch(section, -1) {
		for _, q := range query.FindAllStringSubmatch(m[1], -1) {
			n++
			status, code, total := apiSearch(t, h, q[1])
			if status != http.StatusOK || total == 0 {
				t.Errorf("README query %q on the sample corpus: status %d %q, %d results; want 200 with results", q[1], status, code, total)
			}
		}
	}
	if n < 10 {
		t.Errorf("the README's query syntax table has %d queries; want at least 10", n)
	}
}

// TestREADMESampleFormats checks that the README names exactly the file
// formats of the embedded sample corpus.
func TestREADMESampleFormats(t *testing.T) {
	para := regexp.MustCompile("(?s)\nThe sample corpus in .*?\n\n").FindString(readme(t))
	if para == "" {
		t.Fatal("README.md has no paragraph starting \"The sample corpus in\"")
	}
	named := map[string]bool{}
	for _, m := range regexp.MustCompile("`(\\.[a-z]+)`").FindAllStringSubmatch(para, -1) {
		named[m[1]] = true
	}
	present := map[string]bool{}
	err := fs.WalkDir(sample.Files(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			present[path.Ext(p)] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(named, present) {
		t.Errorf("README: the sample corpus paragraph names the formats %v; the sample corpus has %v\n%s",
			slices.Sorted(maps.Keys(named)), slices.Sorted(maps.Keys(present)), para)
	}
}

// TestREADMEFuzzTargets checks that the README's fuzzing commands name
// every fuzz target of the module, each with its package, and no other.
func TestREADMEFuzzTargets(t *testing.T) {
	root := filepath.Join("..", "..")
	fuzzFunc := regexp.MustCompile(`(?m)^func (Fuzz\w+)\(`)
	present := map[string]bool{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, filepath.Dir(p))
		if err != nil {
			return err
		}
		for _, m := range fuzzFunc.FindAllSubmatch(b, -1) {
			present["./"+filepath.ToSlash(rel)+" "+string(m[1])] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	named := map[string]bool{}
	line := regexp.MustCompile(`(?m)^go test .*-fuzz .*?(\./[\w/]+)(.*)$`)
	for _, m := range line.FindAllStringSubmatch(readme(t), -1) {
		for _, f := range regexp.MustCompile(`Fuzz\w+`).FindAllString(m[0], -1) {
			named[m[1]+" "+f] = true
		}
	}
	for k := range present {
		if !named[k] {
			t.Errorf("README: the fuzzing commands do not name the fuzz target %s", k)
		}
	}
	for k := range named {
		if !present[k] {
			t.Errorf("README: the fuzzing commands name %s, which does not exist", k)
		}
	}
}

// TestREADMELimits checks the figures of the README's limits against the
// constants that set them.
func TestREADMELimits(t *testing.T) {
	section := strings.Join(strings.Fields(readmeSection(t, "## Limits, and past one machine")), " ")
	n := func(v int) string { // 1000 → "1,000"
		s := strconv.Itoa(v)
		for i := len(s) - 3; i > 0; i -= 3 {
			s = s[:i] + "," + s[i:]
		}
		return s
	}
	for _, want := range []string{
		"at most " + n(index.MaxQueryLen) + " characters",
		n(index.MaxClauses) + " words, phrases or prefixes",
		"nested at most " + n(index.MaxDepth) + " deep",
		"at most " + n(index.MaxPrefixTerms) + " words",
		"needs " + n(index.MinPrefixLen) + " letters before",
		"at most " + n(index.MaxSize) + " hits",
		"beyond the first " + n(index.MaxWindow) + " are not paged",
		"at most " + n(server.MaxAnalyzeLen) + " characters of text",
		strconv.Itoa(int(server.DefaultSearchTimeout.Seconds())) + " s by default",
		"read up to " + n(corpus.MaxFileSize>>20) + " MB",
		n(corpus.MaxLineSize>>20) + " MB per line",
		"parts of at most " + n(corpus.MaxPartSize>>10) + " KiB",
		"fails after " + strconv.Itoa(int(lockTimeout.Seconds())) + " s",
	} {
		if !strings.Contains(section, want) {
			t.Errorf("README: the limits do not say %q", want)
		}
	}
}

// TestREADMESearchExample checks the README's example answer of
// /api/search on the sample corpus: total, first hit, its score to two
// decimals, and the date facet.
func TestREADMESearchExample(t *testing.T) {
	section := readmeSection(t, "## HTTP API")
	m := regexp.MustCompile(`(?s)"total": (\d+),.*?"hits": \[\{"id": "([^"]+)", "score": ([0-9.]+),.*?"date": (\[\{"period".*?\])\}\}`).FindStringSubmatch(section)
	if m == nil {
		t.Fatal("README: no example answer of /api/search with total, hits and a date facet")
	}
	rec := httptest.NewRecorder()
	sampleAPI(t).ServeHTTP(rec, httptest.NewRequest("GET", "/api/search?q=d%C3%A9fense+a%C3%A9rienne&country=IL&from=2024&size=1", nil))
	var got struct {
		Total int `json:"total"`
		Hits  []struct {
			ID           string          `json:"id"`
			Score        float64         `json:"score"`
			Title        string          `json:"title"`
			TitleMatches json.RawMessage `json:"title_matches"`
		} `json:"hits"`
		Facets struct {
			Date json.RawMessage `json:"date"`
		} `json:"facets"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || len(got.Hits) == 0 {
		t.Fatalf("/api/search: %v\n%s", err, rec.Body)
	}
	score, _ := strconv.ParseFloat(m[3], 64)
	wantDate := strings.ReplaceAll(m[4], " ", "")
	if strconv.Itoa(got.Total) != m[1] || got.Hits[0].ID != m[2] ||
		fmt.Sprintf("%.2f", got.Hits[0].Score) != fmt.Sprintf("%.2f", score) || string(got.Facets.Date) != wantDate {
		t.Errorf("README's /api/search example: total %s, first %s, score %s, date facet %s; the sample corpus gives %d, %s, %.4f, %s",
			m[1], m[2], m[3], wantDate, got.Total, got.Hits[0].ID, got.Hits[0].Score, got.Facets.Date)
	}
	// The title is plain text, its matches offsets.
	t2 := regexp.MustCompile(`"title": ("[^"]*"),\s*"title_matches": (\[[^\]]*\])`).FindStringSubmatch(section)
	if t2 == nil {
		t.Fatal("README: the example answer of /api/search has no title and title_matches")
	}
	var title string
	if err := json.Unmarshal([]byte(t2[1]), &title); err != nil {
		t.Fatalf("README's title %s: %v", t2[1], err)
	}
	if wantM := strings.ReplaceAll(t2[2], " ", ""); title != got.Hits[0].Title || string(got.Hits[0].TitleMatches) != wantM {
		t.Errorf("README's /api/search example: title %q, title_matches %s; the sample corpus gives %q, %s", title, wantM, got.Hits[0].Title, got.Hits[0].TitleMatches)
	}
}
