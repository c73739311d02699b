package index

import (
	"cmp"
	"context"
	"errors"
	"os"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/document"

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
// one mapDoc makes of reportDoc's map.
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
		if !reflect.DeepEqual(gf[i], wf[i]) {
			t.Fatalf("report %s: field %d %#v; mapDoc: %#v", r.ID, i, gf[i], wf[i])
		}
	}
}

// TestDocBuilder checks that the documents of the reports built directly
// are those that Bleve's mapping makes of reportDoc's map (mapDoc): on a
// report with every field, on the sample corpus, and on the
// 13,040 reports of tvnews-fr/docs and the first 20,000 of its JSON Lines
// (all 233,987 without -short) when the shared data is there.
func TestDocBuilder(t *testing.T) {
	idx, err := OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	if idx.docBuilder() == nil {
		t.Fatal("no docBuilder for the index mapping")
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
		n := 0
		_, err := corpus.Walk(context.Background(), root, corpus.Options{}, func(r corpus.Report) error {
			checkDocBuilder(t, idx, &r, root)
			if n++; testing.Short() && n == 20000 {
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
