package index

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"testing"
)

// TestHitFilter checks that a search of a disk index whose filters are
// checked on its hits (hitfilter.go) answers as the same search with
// Bleve's filter queries and the disjunctive facets' own searches: same
// hits, scores, totals, facets, fragments and cursors, page by page and by
// cursor, by relevance and by date, split in two parts or not, for filters
// of each kind and their combinations, a prefix and a word that match
// nothing, a filter that matches nothing and a deleted report.
func TestHitFilter(t *testing.T) {
	ctx := context.Background()
	idx, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	reports := append(pagingReports(400), phraseReports()...)
	for i := range reports {
		switch i % 5 {
		case 0:
			reports[i].Organizations = []string{"ONU"}
		case 1:
			reports[i].Organizations = []string{"OTAN", "ONU"}
		case 2:
			reports[i].Organizations = []string{"MSF"}
		}
		if i%6 == 1 {
			reports[i].Countries = append(reports[i].Countries, "DE")
		}
	}
	for i := 0; i < len(reports); i += 60 {
		if err := idx.Add(ctx, reports[i:min(i+60, len(reports))]...); err != nil {
			t.Fatal(err)
		}
	}
	if err := idx.Delete(ctx, "r0010"); err != nil {
		t.Fatal(err)
	}
	savedMin, savedFilters := splitMin, bleveFilters
	t.Cleanup(func() { splitMin, bleveFilters = savedMin, savedFilters })
	facets := FacetOptions{Countries: 10, Organizations: 10, DateInterval: "year"}
	for _, base := range []Request{
		{Query: "drones", Size: 7, Countries: []string{"FR"}, Facets: facets},
		{Query: "drones", Size: 9, Countries: []string{"UA", "DE"}, Facets: facets, Highlight: true},
		{Query: "drones", Size: 8, Organizations: []string{"ONU"}, Facets: facets},
		{Query: "drones armée", Size: 5, Countries: []string{"ML", "DE"}, Organizations: []string{"MSF", "OTAN"}, Facets: facets},
		{Query: "drones", Size: 6, From: "2021", To: "2023-06", Facets: facets},
		{Query: "drones", Size: 6, From: "2022-03-01", Facets: facets},
		{Query: "drones", Size: 6, To: "2022", Countries: []string{"FR", "UA"}, Facets: facets},
		{Query: "armée OR drones", Size: 13, Countries: []string{"ML"}, From: "2020-05", To: "2024", Facets: facets},
		{Query: "drones -armée", Size: 6, Organizations: []string{"ONU"}},
		{Query: `"coupe du monde"`, Size: 4, From: "2000", Highlight: true},
		{Query: "réforme retraites", Size: 3, Countries: []string{"FR"}, Highlight: true},
		{Query: "drone*", Size: 9, Countries: []string{"FR"}, From: "2021", Facets: facets},
		{Query: "zzyzx*", Size: 5, Countries: []string{"FR"}, Facets: facets},
		{Query: "zzyzx", Size: 5, Countries: []string{"FR"}},
		{Query: "drones", Size: 5, Countries: []string{"JP"}, Facets: facets},
		{Query: "drones", Size: 9, Sort: SortDate, Countries: []string{"FR", "ML"}, To: "2023", Facets: facets},
		{Query: "armée OR drones", Size: 30, Sort: SortDateDesc, Organizations: []string{"OTAN"}, Facets: facets},
		{Query: "drones", Size: 10, Facets: FacetOptions{Countries: -1, Organizations: -1, DateInterval: "none"}, Countries: []string{"UA"}},
	} {
		t.Run(fmt.Sprintf("%+v", base), func(t *testing.T) {
			answers := func(min uint64, bleve bool) (out []*Result) {
				splitMin, bleveFilters = min, bleve
				for page := 1; page <= 3; page++ {
					r := base
					r.Page = page
					res, err := idx.Search(ctx, r)
					if err != nil {
						t.Fatal(err)
					}
					res.TookMS = 0
					out = append(out, res)
				}
				for r, c := base, ""; len(out) < 10; {
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
				return out
			}
			want := answers(math.MaxUint64, true)
			for _, min := range []uint64{math.MaxUint64, 0} {
				got := answers(min, false)
				if len(got) != len(want) {
					t.Fatalf("Search(%+v) split %v: %d answers; want %d", base, min == 0, len(got), len(want))
				}
				for i := range want {
					if !reflect.DeepEqual(got[i], want[i]) {
						t.Errorf("Search(%+v) answer %d, split %v:\n%+v\nwant\n%+v", base, i, min == 0, got[i], want[i])
					}
				}
			}
		})
	}
}
