package index

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/document"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/rapports/rapports/corpus"
)

// sortedFields returns the fields of doc by name, then array positions:
// mapDoc gives them in the order of a map.
func sortedFields(doc *document.Document) []document.Field {
	fs := slices.Clone(doc.Fields)
	slices.SortStableFunc(fs, func(a, b document.Field) int {
		return cmp.Or(cmp.Compare(a.Name(), b.Name()), slices.Compare(a.ArrayPositions(), b.ArrayPositions()))
	})
	return fs
}

// checkDocBuilder fails when the document built of r differs from the
// one mapDoc makes of reportDoc's map: the same fields, each with the same
// name, positions, options, value and type, and once analysed the same
// length and terms (the builder's fields share their analyses, and hold
// the report's strings, where mapDoc's hold copies).
func checkDocBuilder(t *testing.T, idx *Index, r *corpus.Report, root string) {
	t.Helper()
	want, err := idx.mapDoc(r.ID, reportDoc(r, root))
	if err != nil {
		t.Fatal(err)
	}
	got := idx.docBuilder().build(r, root)
	gf, wf := sortedFields(got), sortedFields(want)
	got.Fields, want.Fields = nil, nil
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("report %s: document %#v; mapDoc: %#v", r.ID, got, want)
	}
	if len(gf) != len(wf) {
		t.Fatalf("report %s: %d fields; mapDoc: %d", r.ID, len(gf), len(wf))
	}
	for i := range gf {
		g, w := gf[i], wf[i]
		if _, ok := w.(*textField); ok != isTextField(g) {
			t.Fatalf("report %s: field %s %T; mapDoc: %T", r.ID, w.Name(), g, w)
		}
		type props struct {
			Name    string
			Pos     []uint64
			Options bleveindex.FieldIndexingOptions
			Value   string
			Type    byte
			Plain   uint64
		}
		gp := props{g.Name(), g.ArrayPositions(), g.Options(), string(g.Value()), g.EncodedFieldType(), g.NumPlainTextBytes()}
		wp := props{w.Name(), w.ArrayPositions(), w.Options(), string(w.Value()), w.EncodedFieldType(), w.NumPlainTextBytes()}
		if !reflect.DeepEqual(gp, wp) {
			t.Fatalf("report %s: field %d %+v; mapDoc: %+v", r.ID, i, gp, wp)
		}
		if !w.Options().IsIndexed() {
			continue // Scorch analyses indexed fields only
		}
		g.Analyze()
		w.Analyze()
		if g.AnalyzedLength() != w.AnalyzedLength() {
			t.Fatalf("report %s: field %s of length %d; mapDoc: %d", r.ID, w.Name(), g.AnalyzedLength(), w.AnalyzedLength())
		}
		if gt, wt := g.AnalyzedTokenFrequencies(), w.AnalyzedTokenFrequencies(); !reflect.DeepEqual(gt, wt) {
			t.Fatalf("report %s: field %s terms %v; mapDoc: %v", r.ID, w.Name(), gt, wt)
		}
	}
}

// isTextField says whether f is a textField.
func isTextField(f document.Field) bool {
	_, ok := f.(*textField)
	return ok
}

// TestDocBuilderShares checks that the reports of one date, or one value
// of a keyword field, share its analysis, that a field of more values
// than maxSharedValues still shares them when its values repeat, and that
// a field of one value per report stops being kept.
func TestDocBuilderShares(t *testing.T) {
	idx, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	db := idx.docBuilder()
	field := func(doc *document.Document, name string) document.Field {
		for _, f := range doc.Fields {
			if f.Name() == name {
				f.Analyze()
				return f
			}
		}
		t.Fatalf("no field %s", name)
		return nil
	}
	same := func(a, b document.Field) bool {
		return reflect.ValueOf(a.AnalyzedTokenFrequencies()).UnsafePointer() == reflect.ValueOf(b.AnalyzedTokenFrequencies()).UnsafePointer()
	}
	day0 := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)
	var first, prev *document.Document
	for i := range 2*maxSharedValues + 10 {
		// Each day twice in a row, the source always the same, a new path
		// each time.
		id := fmt.Sprintf("r%d", i)
		day := corpus.Date{Time: day0.AddDate(0, 0, i/2), Precision: corpus.Day}
		doc := db.build(&corpus.Report{ID: id, Path: id, Body: "x", Date: day, Source: "S"}, "root")
		if i == 0 {
			first, prev = doc, doc
			continue
		}
		for _, tc := range []struct {
			name  string
			with  *document.Document
			share bool
		}{
			{fieldSource, first, true},
			{fieldRoot, first, true},
			{fieldDate, prev, i%2 == 1},
			{fieldDateText, prev, i%2 == 1},
			{fieldPath, prev, false},
		} {
			if got := same(field(tc.with, tc.name), field(doc, tc.name)); got != tc.share {
				t.Fatalf("report %d: field %s shares its analysis: %v, want %v", i, tc.name, got, tc.share)
			}
		}
		prev = doc
	}
	for _, tc := range []struct {
		name string
		off  bool
	}{{fieldSource, false}, {fieldDate, false}, {fieldDateText, false}, {fieldPath, true}} {
		for _, s := range db.specs[tc.name] {
			if s.shared.off != tc.off || len(s.shared.text)+len(s.shared.dates) > maxSharedValues {
				t.Errorf("field %s: keeping stopped %v (want %v), %d values kept", tc.name, s.shared.off, tc.off, len(s.shared.text)+len(s.shared.dates))
			}
		}
	}
}

// TestDocBuilder checks that the documents of the reports built directly
// are those that Bleve's mapping makes of reportDoc's map (mapDoc): on a
// report with every field, on the sample corpus, and on the
// 13,040 reports of tvnews-fr/docs and the first 20,000 of its JSON Lines
// (all 233,987 without -short) when the shared data is there.
func TestDocBuilder(t *testing.T) {
	idx, err := Open(t.TempDir(), Options{}) // Scorch's: its builder shares analyses
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	if !idx.keepsFrequencies() {
		t.Fatal("a Scorch index of rapports' segments does not keep the frequencies")
	}
	mem, err := OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	if idx.docBuilder() == nil || mem.docBuilder() == nil {
		t.Fatal("no docBuilder for the index mapping")
	}
	for _, s := range mem.docBuilder().specs[fieldYear] {
		if s.shared != nil {
			t.Error("the builder of an index in memory shares the analyses of years")
		}
	}
	full := corpus.Report{
		ID: "a", Path: "a.pdf", Title: "Titre", Body: "Le texte.", Hash: "h", Source: "S", URL: "https://x.fr",
		Date:      corpus.Date{Time: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC), Precision: corpus.Month},
		Countries: []string{"FR", "SN", "ML"}, Mentions: []int{3, 1, 2},
		Organizations: []string{"ONU", "OMS"}, OrgMentions: []int{1, 4},
		FirstPage: 3, PageStarts: []int{0, 120, 300}, DateSource: corpus.DateFromMetadata,
	}
	checkDocBuilder(t, idx, &full, "root")
	checkDocBuilder(t, idx, &corpus.Report{ID: "b", Body: "x"}, "")
	roots := []string{"../corpus/sample", "../../shared/data/tvnews-fr/docs"}
	const big = "../../shared/data/tvnews-fr/tvnews-fr.jsonl.gz"
	if _, err := os.Stat(big); err == nil {
		roots = append(roots, big)
	}
	errEnough := errors.New("enough")
	for _, root := range roots {
		if _, err := os.Stat(root); err != nil {
			continue
		}
		// The whole JSONL file (233,987 reports, two analyses each) takes
		// about 100 s, too long for every test run: its first 20,000
		// reports are checked, as are all 13,040 files (the -short run
		// stops at 20,000 reports for each root).
		limit := 0
		if root == big || testing.Short() {
			limit = 20000
		}
		n := 0
		_, err := corpus.Walk(context.Background(), root, corpus.Options{}, func(r corpus.Report) error {
			checkDocBuilder(t, idx, &r, root)
			if n++; n == limit {
				return errEnough
			}
			return nil
		})
		if err != nil && !errors.Is(err, errEnough) {
			t.Fatal(err)
		}
		t.Logf("%s: %d reports", root, n)
	}
}

// BenchmarkDocBuilder compares the documents built directly with mapDoc's,
// on the 13,040 reports of tvnews-fr/docs (without their analysis).
//
//	go test ./index -run XXX -bench DocBuilder -count 6 | benchstat -col /by -
func BenchmarkDocBuilder(b *testing.B) {
	var reports []corpus.Report
	if _, err := corpus.Walk(context.Background(), "../../shared/data/tvnews-fr/docs", corpus.Options{}, func(r corpus.Report) error {
		reports = append(reports, r)
		return nil
	}); err != nil {
		b.Skipf("shared data absent: %v", err)
	}
	idx, err := OpenMemory()
	if err != nil {
		b.Fatal(err)
	}
	defer idx.Close()
	db := idx.docBuilder()
	b.Run("by=mapDoc", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for i := range reports {
				if _, err := idx.mapDoc(reports[i].ID, reportDoc(&reports[i], "docs")); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("by=builder", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for i := range reports {
				db.build(&reports[i], "docs")
			}
		}
	})
}
