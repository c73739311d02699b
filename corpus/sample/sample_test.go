package sample_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rapports/rapports/corpus"
	"github.com/rapports/rapports/corpus/sample"
)

// entry is what the tests read from one report of the sample corpus,
// independently of the corpus package: the file conventions themselves.
type entry struct {
	where     string // path, or path#line for JSON Lines
	date      corpus.Date
	title     string
	inline    bool // date written inline before the first sentence
	countries []string
	words     int // words of the body
}

var (
	fileName   = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*\.(txt|md|jsonl)$`)
	headerLine = regexp.MustCompile(`^(date|title|country|source|url)\s*:?\s+(.*)$`)
	code       = regexp.MustCompile(`^[A-Z]{2}$`)
)

// readEntries walks the embedded corpus and reads every report in it.
func readEntries(t *testing.T) []entry {
	t.Helper()
	var out []entry
	err := fs.WalkDir(sample.Files(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !fileName.MatchString(d.Name()) {
			t.Errorf("%s: file name is not lowercase ASCII words joined by '-' with a .txt, .md or .jsonl extension", p)
		}
		if !strings.Contains(p, "/") {
			t.Errorf("%s: report outside a theme folder", p)
		}
		data, err := fs.ReadFile(sample.Files(), p)
		if err != nil {
			return err
		}
		if path.Ext(p) == ".jsonl" {
			out = append(out, readJSONL(t, p, data)...)
		} else {
			out = append(out, readText(t, p, data))
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walking the sample corpus: %v", err)
	}
	return out
}

// readText reads the header lines of a .txt or .md report.
func readText(t *testing.T, p string, data []byte) entry {
	t.Helper()
	e := entry{where: p}
	lines := strings.Split(string(data), "\n")
	i := 0
	for ; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		m := headerLine.FindStringSubmatch(line)
		if m == nil {
			break
		}
		switch m[1] {
		case "date":
			value, rest, _ := strings.Cut(m[2], " ")
			if rest != "" {
				e.inline = true
				lines[i] = rest // the rest of the line is the first sentence
			}
			d, err := corpus.ParseISODate(value)
			if err != nil {
				t.Errorf("%s: date header %q: %v", p, line, err)
			}
			e.date = d
		case "title":
			e.title = m[2]
		case "country":
			for _, c := range strings.Split(m[2], ",") {
				e.countries = append(e.countries, strings.TrimSpace(c))
			}
		}
		if e.inline {
			break
		}
	}
	body := strings.Join(lines[i:], "\n")
	if e.title == "" && path.Ext(p) == ".md" {
		for _, line := range lines[i:] {
			if h, ok := strings.CutPrefix(line, "# "); ok {
				e.title = h
				break
			}
		}
	}
	e.words = len(strings.Fields(body))
	return e
}

// readJSONL reads a JSON Lines file, one report a line.
func readJSONL(t *testing.T, p string, data []byte) []entry {
	t.Helper()
	var out []entry
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		var r struct {
			ID        string   `json:"id"`
			Title     string   `json:"title"`
			Date      string   `json:"date"`
			Countries []string `json:"countries"`
			Source    string   `json:"source"`
			Text      string   `json:"text"`
		}
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		where := p + "#" + strconv.Itoa(n)
		if err := dec.Decode(&r); err != nil {
			t.Errorf("%s: %v", where, err)
			continue
		}
		if r.ID == "" || r.Source == "" {
			t.Errorf("%s: id %q and source %q must both be set", where, r.ID, r.Source)
		}
		d, err := corpus.ParseISODate(r.Date)
		if err != nil {
			t.Errorf("%s: date: %v", where, err)
		}
		out = append(out, entry{where: where, date: d, title: r.Title, countries: r.Countries, words: len(strings.Fields(r.Text))})
	}
	if err := sc.Err(); err != nil {
		t.Errorf("%s: %v", p, err)
	}
	return out
}

func TestReports(t *testing.T) {
	entries := readEntries(t)
	if len(entries) < 45 {
		t.Errorf("sample corpus has %d reports; want at least 45", len(entries))
	}
	years := map[int]bool{}
	countries := map[string]bool{}
	inline := 0
	for _, e := range entries {
		if e.date.IsZero() {
			t.Errorf("%s: no date", e.where)
		} else {
			years[e.date.Time.Year()] = true
		}
		if e.inline {
			inline++
		} else if e.title == "" {
			t.Errorf("%s: no title", e.where)
		}
		if e.words < 150 || e.words > 400 {
			t.Errorf("%s: %d words; want 150 to 400", e.where, e.words)
		}
		for _, c := range e.countries {
			if !code.MatchString(c) {
				t.Errorf("%s: country %q is not an ISO 3166-1 alpha-2 code", e.where, c)
			}
			countries[c] = true
		}
	}
	if len(years) < 3 {
		t.Errorf("reports span %d years; want at least 3", len(years))
	}
	if len(countries) < 25 {
		t.Errorf("headers name %d countries; want at least 25", len(countries))
	}
	if inline < 2 {
		t.Errorf("%d reports have the date inline before the first sentence; want at least 2", inline)
	}
}

func TestFormats(t *testing.T) {
	count := map[string]int{}
	err := fs.WalkDir(sample.FS, sample.Root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			count[path.Ext(p)]++
		}
		return err
	})
	if err != nil {
		t.Fatalf("walking sample.FS from %q: %v", sample.Root, err)
	}
	if count[".txt"] < 30 || count[".md"] < 2 || count[".jsonl"] < 1 {
		t.Errorf("file counts by extension = %v; want at least 30 .txt, 2 .md and 1 .jsonl", count)
	}
}

// TestFrench checks the typography the analyzers must cope with: both
// apostrophes, accents and hyphenated names appear across the corpus.
func TestFrench(t *testing.T) {
	want := []string{"'", "’", "É", "é", "è", "ê", "à", "ç", "œ", "États-Unis", "Grande-Bretagne", "état-major", "OTAN", "ONU", "CENTCOM", "1er"}
	var all strings.Builder
	err := fs.WalkDir(sample.Files(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(sample.Files(), p)
		all.Write(data)
		return err
	})
	if err != nil {
		t.Fatalf("walking the sample corpus: %v", err)
	}
	for _, s := range want {
		if !strings.Contains(all.String(), s) {
			t.Errorf("sample corpus never contains %q", s)
		}
	}
}

// walk reads the embedded corpus with the corpus package, failing the test
// on any problem or skipped file.
func walk(t *testing.T, fsys fs.FS) ([]corpus.Report, corpus.WalkCounts) {
	t.Helper()
	var reports []corpus.Report
	opts := corpus.Options{
		OnProblem: func(p corpus.Problem) { t.Errorf("problem: %v", p) },
		OnSkip:    func(path, reason string) { t.Errorf("skipped %s: %s", path, reason) },
	}
	stats, err := corpus.WalkFS(context.Background(), fsys, opts, func(r corpus.Report) error {
		reports = append(reports, r)
		return nil
	})
	if err != nil {
		t.Fatalf("corpus.WalkFS: %v", err)
	}
	return reports, stats
}

func TestWalkFS(t *testing.T) {
	reports, stats := walk(t, sample.Files())
	if len(reports) < 45 || stats.Reports != len(reports) || stats.Failed != 0 {
		t.Errorf("WalkFS: %d reports, stats %+v; want at least 45 reports and no failure", len(reports), stats)
	}
	ids := map[string]bool{}
	years := map[int]bool{}
	named := map[string]bool{}  // countries named in the text
	tagged := map[string]bool{} // countries of the reports, header included
	for _, r := range reports {
		if ids[r.ID] {
			t.Errorf("duplicate report ID %q", r.ID)
		}
		ids[r.ID] = true
		if strings.TrimSpace(r.Title) == "" {
			t.Errorf("%s: no title", r.ID)
		}
		if strings.HasPrefix(strings.ToLower(r.Title), "date") {
			t.Errorf("%s: title %q is the date header", r.ID, r.Title)
		}
		if r.Date.IsZero() {
			t.Errorf("%s: no date", r.ID)
		} else {
			years[r.Date.Time.Year()] = true
		}
		if r.Body == "" || r.Hash == "" || len(r.Countries) == 0 || len(r.Mentions) != len(r.Countries) {
			t.Errorf("%s: body %d bytes, hash %q, countries %v, mentions %v; want all set", r.ID, len(r.Body), r.Hash, r.Countries, r.Mentions)
		}
		for _, c := range r.Countries {
			tagged[c] = true
		}
		codes, _ := corpus.FindCountries(r.Title + "\n" + r.Body)
		if len(codes) == 0 {
			t.Errorf("%s: no country named in the text", r.ID)
		}
		for _, c := range codes {
			named[c] = true
		}
	}
	if len(years) < 3 {
		t.Errorf("reports span %d years %v; want at least 3", len(years), years)
	}
	if len(named) < 25 || len(tagged) < len(named) {
		t.Errorf("text names %d countries, reports carry %d; want at least 25, and every named country carried", len(named), len(tagged))
	}
}

// TestWalkFSRoot checks that walking sample.FS itself, not only Files,
// finds the same reports under the reports folder.
func TestWalkFSRoot(t *testing.T) {
	sub, _ := walk(t, sample.Files())
	root, _ := walk(t, sample.FS)
	if len(root) != len(sub) {
		t.Fatalf("WalkFS(sample.FS) found %d reports, WalkFS(sample.Files()) %d; want the same", len(root), len(sub))
	}
	for i := range root {
		if want := sample.Root + "/" + sub[i].Path; root[i].Path != want {
			t.Errorf("report %d: path %q from sample.FS, want %q", i, root[i].Path, want)
		}
	}
}
