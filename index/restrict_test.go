package index

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/rapports/rapports/corpus"
)

// TestOnlyQuery checks that a query on some reports only (onlyQuery, the
// highlighting search of Index.complete) finds among them what the query
// finds in the whole index, with the same scores, locations and
// fragments: on a disk index of several segments and in memory, for queries of every
// kind, reports that match and some that do not or are not in the index.
func TestOnlyQuery(t *testing.T) {
	t.Run("disk", func(t *testing.T) {
		idx, err := Open(t.TempDir(), Options{})
		testOnlyQuery(t, idx, err)
	})
	t.Run("memory", func(t *testing.T) {
		idx, err := OpenMemory()
		testOnlyQuery(t, idx, err)
	})
}

// sameScores reports whether a and b have the same hits with the same scores.
func sameScores(a, b *bleve.SearchResult) bool {
	if len(a.Hits) != len(b.Hits) {
		return false
	}
	for i := range a.Hits {
		if a.Hits[i].ID != b.Hits[i].ID || a.Hits[i].Score != b.Hits[i].Score {
			return false
		}
	}
	return true
}

func testOnlyQuery(t *testing.T, idx *Index, err error) {
	reports := phraseReports()
	idx = filled(t, idx, err, reports[:5])
	for i := 5; i < len(reports); i += 4 {
		// More segments.
		if err := idx.Add(context.Background(), reports[i:min(i+4, len(reports))]...); err != nil {
			t.Fatal(err)
		}
	}
	var filler []corpus.Report
	for i := range 40 {
		filler = append(filler, corpus.Report{ID: fmt.Sprintf("autre-%02d", i), Title: "Chronique",
			Body: fmt.Sprintf("Le monde du travail, jour %d : la coupe est pleine, le premier train part.", i)})
	}
	if err := idx.Add(context.Background(), filler...); err != nil {
		t.Fatal(err)
	}
	queries := []string{
		`"coupe du monde"`, "coupe monde", "réforme retraites", `"premier ministre" réforme`, "coupe -football",
		"monde OR gilets", "coup*", `"coupe monde"~3`, "title:sport", `exact:"coupes du monde"`, "-coupe",
	}
	sets := [][]string{
		{"coupe-titre", "coupes", "ministre", "autre-03", "gilets-corps"},
		{"autre-39", "coupe-corps", "absent", "a-cheval", "ordre", "ministres", "premier-loin", "autre-00"},
		{"saint-nazaire"},
	}
	ctx := context.Background()
	for _, q := range queries {
		p, err := idx.validate(ctx, Request{Query: q})
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		for _, ids := range sets {
			bq := bleve.NewBooleanQuery()
			bq.AddMust(bleve.NewDocIDQuery(ids))
			bq.AddShould(p.text)
			run := func(q query.Query) *bleve.SearchResult {
				req := bleve.NewSearchRequestOptions(q, 100, 0, false)
				req.Highlight = bleve.NewHighlightWithStyle("html")
				req.Highlight.Fields = []string{fieldTitle, fieldBody}
				req.Fields = hitFields
				res, err := idx.search(ctx, req)
				if err != nil {
					t.Fatalf("%s: %v", q, err)
				}
				return res
			}
			// A background merge between the two searches changes the
			// sample of average field lengths, hence the scores: search
			// again until the index searched for want did not change
			// during the search for got.
			// The internal IDs known: those of the index's current
			// snapshot, the reader of the next search unless the index
			// changes.
			known := func() *onlyQuery {
				adv, err := idx.bi.Advanced()
				if err != nil {
					t.Fatal(err)
				}
				r, err := adv.Reader()
				if err != nil {
					t.Fatal(err)
				}
				defer r.Close()
				o := &onlyQuery{ids: ids, q: bq, known: r}
				for _, id := range ids {
					in, err := r.InternalID(id)
					if err != nil {
						t.Fatal(err)
					}
					o.in = append(o.in, in)
				}
				return o
			}
			var want, got, gotKnown *bleve.SearchResult
			for try := 0; ; try++ {
				want, got, gotKnown = run(bq), run(&onlyQuery{ids: ids, q: bq}), run(known())
				if sameScores(want, run(bq)) && sameScores(got, gotKnown) || try == 9 {
					break
				}
			}
			if !reflect.DeepEqual(gotKnown.Hits, got.Hits) || gotKnown.Total != got.Total {
				t.Errorf("%s on %q with the internal IDs known: %d hits %v; want %d %v", q, ids, gotKnown.Total, gotKnown.Hits, got.Total, got.Hits)
			}
			if len(want.Hits) == 0 {
				t.Fatalf("%s on %q: no hit", q, ids)
			}
			if got.Total != want.Total || len(got.Hits) != len(want.Hits) {
				t.Fatalf("%s on %q: %d hits; want %d", q, ids, got.Total, want.Total)
			}
			for i, w := range want.Hits {
				g := got.Hits[i]
				if g.ID != w.ID || g.Score != w.Score || !reflect.DeepEqual(g.Locations, w.Locations) ||
					!reflect.DeepEqual(g.Fragments, w.Fragments) || !reflect.DeepEqual(g.Fields, w.Fields) {
					t.Errorf("%s on %q, hit %d: %s %v %v %v; want %s %v %v %v", q, ids, i,
						g.ID, g.Score, g.Locations, g.Fragments, w.ID, w.Score, w.Locations, w.Fragments)
				}
			}
		}
	}
}

// slicePostings are postings from a list, for TestOnlyPostings.
type slicePostings struct {
	docs   []bleveindex.IndexInternalID
	at     int
	opened *int // times opened
}

func (s *slicePostings) Next(pre *bleveindex.TermFieldDoc) (*bleveindex.TermFieldDoc, error) {
	if s.at >= len(s.docs) {
		return nil, nil
	}
	s.at++
	if pre == nil {
		pre = &bleveindex.TermFieldDoc{}
	}
	// As Bleve's in-memory index does: the ID is appended.
	pre.ID = append(pre.ID, s.docs[s.at-1]...)
	return pre, nil
}

func (s *slicePostings) Advance(id bleveindex.IndexInternalID, pre *bleveindex.TermFieldDoc) (*bleveindex.TermFieldDoc, error) {
	if s.at > 0 && bytes.Compare(s.docs[s.at-1], id) >= 0 {
		return nil, fmt.Errorf("advance to %v from %v: backwards", id, s.docs[s.at-1])
	}
	for s.at < len(s.docs) && bytes.Compare(s.docs[s.at], id) < 0 {
		s.at++
	}
	return s.Next(pre)
}

func (s *slicePostings) Count() uint64 { return uint64(len(s.docs)) }
func (s *slicePostings) Close() error  { return nil }
func (s *slicePostings) Size() int     { return 0 }

// TestOnlyPostings checks the postings of onlyPostings: the documents of
// the list that hold the term, in order, whichever way they are asked
// for, never moving the postings backwards, with the whole count.
func TestOnlyPostings(t *testing.T) {
	id := func(n byte) bleveindex.IndexInternalID { return bleveindex.IndexInternalID{0, n} }
	postings := []bleveindex.IndexInternalID{id(1), id(3), id(5), id(7), id(9), id(11)}
	only := []bleveindex.IndexInternalID{id(2), id(3), id(7), id(8), id(11), id(12)}
	type step struct {
		advance byte // 0 for Next
		want    byte // 0 for the end
	}
	tests := []struct {
		name   string
		steps  []step
		opened int
	}{
		{"next", []step{{0, 3}, {0, 7}, {0, 11}, {0, 0}, {0, 0}}, 1},
		{"advance", []step{{4, 7}, {7, 7}, {12, 0}}, 2}, // 7 again: postings anew, as Scorch's
		{"advance past a posting", []step{{0, 3}, {5, 7}, {10, 11}}, 1},
		{"back", []step{{0, 3}, {0, 7}, {1, 3}, {0, 7}}, 2},
		{"past the end", []step{{13, 0}, {0, 0}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opened := 0
			open := func() (bleveindex.TermFieldReader, error) {
				opened++
				return &slicePostings{docs: postings}, nil
			}
			tfr, _ := open()
			p := &onlyPostings{tfr: tfr, open: open, all: only, ids: only}
			var got []byte
			var pre bleveindex.TermFieldDoc
			for _, s := range tt.steps {
				var d *bleveindex.TermFieldDoc
				var err error
				if s.advance == 0 {
					d, err = p.Next(pre.Reset())
				} else {
					d, err = p.Advance(id(s.advance), pre.Reset())
				}
				if err != nil {
					t.Fatal(err)
				}
				n := byte(0)
				if d != nil {
					if len(d.ID) != 2 {
						t.Fatalf("step %d: ID %v", len(got)+1, d.ID)
					}
					n = d.ID[1]
				}
				got = append(got, n)
				if n != s.want {
					t.Errorf("step %d (advance %d): %d; want %d", len(got), s.advance, n, s.want)
				}
			}
			if opened != tt.opened {
				t.Errorf("postings opened %d times; want %d", opened, tt.opened)
			}
			if p.Count() != uint64(len(postings)) {
				t.Errorf("Count() = %d; want %d", p.Count(), len(postings))
			}
		})
	}
}

// TestRestrictedReaderContains checks that the readers of part of a
// Scorch snapshot (a part of a split search, a page's reports) keep the
// snapshot's field lengths and its dictionaries' membership test, which
// Bleve's date range searcher needs not to walk the whole date dictionary.
func TestRestrictedReaderContains(t *testing.T) {
	idx, err := Open(t.TempDir(), Options{})
	idx = filled(t, idx, err, phraseReports())
	adv, err := idx.bi.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	dict, err := r.FieldDict(fieldBody)
	if err != nil {
		t.Fatal(err)
	}
	first, err := dict.Next()
	if err != nil || first == nil {
		t.Fatalf("first term of %s: %v, %v", fieldBody, first, err)
	}
	dict.Close()
	only, err := newOnlyReader(r, []string{"coupes"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name       string
		restricted bleveindex.IndexReader
	}{
		{"part", &partReader{IndexReader: r, lo: 0, hi: 1}},
		{"only", only},
	} {
		t.Run(tt.name, func(t *testing.T) {
			kept := keepFieldLengths(tt.restricted, r)
			if _, ok := kept.(bleveindex.BM25Reader); !ok {
				t.Errorf("keepFieldLengths(%T) is no BM25Reader", tt.restricted)
			}
			cr, ok := kept.(bleveindex.IndexReaderContains)
			if !ok {
				t.Fatalf("keepFieldLengths(%T) is no IndexReaderContains", tt.restricted)
			}
			d, err := cr.FieldDictContains(fieldBody)
			if err != nil {
				t.Fatal(err)
			}
			for term, want := range map[string]bool{first.Term: true, "absent-partout": false} {
				if found, err := d.Contains([]byte(term)); err != nil || found != want {
					t.Errorf("FieldDictContains(%s).Contains(%q) = %v, %v; want %v", fieldBody, term, found, err, want)
				}
			}
		})
	}
}
