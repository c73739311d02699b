package index

import (
	"context"
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
