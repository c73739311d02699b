package index

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
)

// TestTopHits compares the pages of a search by relevance or by date, kept
// by topHits, with Bleve's own sort (score or date, then score, then ID), on
// the tied scores and dates and the undated reports of
// pagingReports, in memory and on disk (two segments, a deleted report),
// page by page and by cursor.
func TestTopHits(t *testing.T) {
	ctx := context.Background()
	disk := func(t *testing.T) *Index {
		idx, err := Open(t.TempDir(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { idx.Close() })
		reports := pagingReports(300)
		if err := idx.Add(ctx, reports[:150]...); err != nil {
			t.Fatal(err)
		}
		if err := idx.Add(ctx, reports[150:]...); err != nil {
			t.Fatal(err)
		}
		if err := idx.Delete(ctx, "r0004"); err != nil {
			t.Fatal(err)
		}
		return idx
	}
	memory := func(t *testing.T) *Index { return pagingFixture(t, 300) }
	for name, open := range map[string]func(*testing.T) *Index{"memory": memory, "disk": disk} {
		t.Run(name, func(t *testing.T) {
			idx := open(t)
			for _, r := range []Request{
				{Query: "drones", Size: 7},
				{Query: "drones", Size: 100, Countries: []string{"FR", "UA"}},
				{Query: "armée OR drones", Size: 13},
				{Query: "drones ville", Size: 5},
				// By date, ties and undated reports: topHits' date
				// order against Bleve's sort by the date's doc values.
				{Query: "drones", Size: 9, Sort: SortDate},
				{Query: "drones", Size: 11, Sort: SortDateDesc},
				{Query: "armée OR drones", Size: 30, Sort: SortDateDesc, Countries: []string{"ML"}},
				{Query: "", Size: 25, Countries: []string{"FR", "UA"}}, // browse: newest first
				{Query: "", Size: 8, Sort: SortDate, Countries: []string{"ML"}},
			} {
				want := bleveOrder(t, idx, r)
				var got []string
				for page := 1; len(got) < len(want); page++ {
					r := r
					r.Page = page
					res, err := idx.Search(ctx, r)
					if err != nil {
						t.Fatal(err)
					}
					if len(res.Hits) == 0 {
						break
					}
					for _, h := range res.Hits {
						if h.Title == "" {
							t.Errorf("Search(%+v): hit %s without its title", r, h.ID)
						}
						got = append(got, h.ID)
					}
				}
				if !slices.Equal(got, want) {
					t.Errorf("Search(%+v) pages = %v; Bleve's order %v", r, got, want)
				}
				got = got[:0]
				for c := ""; ; {
					r := r
					r.Cursor = c
					res, err := idx.Search(ctx, r)
					if err != nil {
						t.Fatal(err)
					}
					for _, h := range res.Hits {
						got = append(got, h.ID)
					}
					if c = res.NextCursor; c == "" {
						break
					}
				}
				if !slices.Equal(got, want) {
					t.Errorf("Search(%+v) by cursor = %v; Bleve's order %v", r, got, want)
				}
			}
		})
	}
}

// bleveOrder returns the IDs of every hit of r, sorted by Bleve in the
// plan's order (score or date, then score, then ID).
func bleveOrder(t *testing.T, idx *Index, r Request) []string {
	t.Helper()
	p, err := idx.validate(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	req := bleve.NewSearchRequestOptions(p.filtered(nil), 1000, 0, false)
	stats, err := idx.bm25Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	req.PreSearchData = map[string]any{search.BM25PreSearchDataKey: stats}
	req.Sort = p.sortOrder()
	res, err := idx.search(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) < 20 {
		t.Fatalf("%+v: %d hits, too few to test the order", r, len(res.Hits))
	}
	ids := make([]string, len(res.Hits))
	ties := 0
	for i, h := range res.Hits {
		ids[i] = h.ID
		if i > 0 && h.Score == res.Hits[i-1].Score {
			ties++
		}
	}
	if ties == 0 {
		t.Fatalf("%+v: no tied scores", r)
	}
	return ids
}

// TestSplitSearch checks that a search run in two parts (collect) answers
// as the same search in one: hits, scores, fragments, totals, facets,
// cursors, by relevance and by date, page by page and by cursor, with
// filters, phrases and a deleted report, on a disk index of several
// segments.
func TestSplitSearch(t *testing.T) {
	ctx := context.Background()
	idx, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	reports := append(pagingReports(400), phraseReports()...)
	for i := 0; i < len(reports); i += 60 {
		if err := idx.Add(ctx, reports[i:min(i+60, len(reports))]...); err != nil {
			t.Fatal(err)
		}
	}
	if err := idx.Delete(ctx, "r0004"); err != nil {
		t.Fatal(err)
	}
	saved := splitMin
	t.Cleanup(func() { splitMin = saved })
	facets := FacetOptions{Countries: 10, Organizations: 10, DateInterval: "year"}
	for _, base := range []Request{
		{Query: "drones", Size: 7, Facets: facets},
		{Query: "drones", Size: 100, Countries: []string{"FR", "UA"}, Facets: facets},
		{Query: "armée OR drones", Size: 13},
		{Query: "drones ville", Size: 5, Highlight: true},
		{Query: "drones -armée", Size: 6},
		{Query: `"coupe du monde"`, Size: 4, Highlight: true},
		{Query: "réforme retraites", Size: 3, Highlight: true},
		{Query: `"premier ministre" réforme`, Size: 3},
		{Query: `"drones survolent"~2`, Size: 9},
		{Query: "drones", Size: 9, Sort: SortDate, Facets: facets},
		{Query: "drones", Size: 11, Sort: SortDateDesc},
		{Query: "armée OR drones", Size: 30, Sort: SortDateDesc, Countries: []string{"ML"}},
		{Query: "", Size: 25, Countries: []string{"FR", "UA"}, Facets: facets},
		{Query: "", Size: 8, Sort: SortDate, Countries: []string{"ML"}},
		{From: "2021", To: "2023-06", Sort: SortDate, Size: 10},
		{Query: "drones", From: "2021", To: "2023-06", Size: 6, Facets: facets},
		{Query: "armée OR drones", To: "2022", Countries: []string{"FR", "UA"}, Size: 8, Highlight: true},
	} {
		t.Run(fmt.Sprintf("%+v", base), func(t *testing.T) {
			answers := func(min uint64) (out []*Result) {
				splitMin = min
				before := splits.Load()
				for page := 1; page <= 4; page++ {
					r := base
					r.Page = page
					res, err := idx.Search(ctx, r)
					if err != nil {
						t.Fatal(err)
					}
					res.TookMS = 0
					out = append(out, res)
				}
				for r, c := base, ""; len(out) < 12; {
					r.Cursor = c
					res, err := idx.Search(ctx, r)
					if err != nil {
						t.Fatal(err)
					}
					res.TookMS = 0
					out = append(out, res)
					if c = res.NextCursor; c == "" {
						break
					}
				}
				if n := splits.Load() - before; min == 0 && n == 0 {
					t.Errorf("Search(%+v): no search ran in two parts", base)
				}
				return out
			}
			want, got := answers(math.MaxUint64), answers(0)
			if len(got) != len(want) {
				t.Fatalf("Search(%+v) split: %d answers; want %d", base, len(got), len(want))
			}
			for i := range want {
				if !reflect.DeepEqual(got[i], want[i]) {
					t.Errorf("Search(%+v) answer %d split:\n%+v\nwant\n%+v", base, i, got[i], want[i])
				}
			}
			if want[0].Total == 0 {
				t.Errorf("Search(%+v): no hit", base)
			}
		})
	}
}
