package index

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/rapports/rapports/corpus"
)

// pagingFixture returns an index of n reports about drones: some share
// their text (so their scores tie), some have no date, dates repeat.
func pagingFixture(t testing.TB, n int) *Index {
	t.Helper()
	idx, err := OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	if err := idx.Add(context.Background(), pagingReports(n)...); err != nil {
		t.Fatal(err)
	}
	return idx
}

// pagingReports returns the n reports of pagingFixture.
func pagingReports(n int) []corpus.Report {
	reports := make([]corpus.Report, n)
	for i := range reports {
		r := corpus.Report{ID: fmt.Sprintf("r%04d", i), Title: fmt.Sprintf("Note %d", i), Hash: fmt.Sprint(i),
			Countries: []string{[]string{"FR", "ML", "UA"}[i%3]}}
		switch i % 4 {
		case 0:
			r.Body = "Les drones survolent la ville." // same text: same score
		case 1:
			r.Body = strings.Repeat("Les drones et encore des drones. ", 1+i%5)
		case 2:
			r.Body = "Un rapport sur les drones de surveillance et l'armée " + fmt.Sprint(i)
		default:
			r.Body = "L'armée sans engins volants " + fmt.Sprint(i)
		}
		if i%7 != 0 {
			r.Date = day(fmt.Sprintf("20%02d-%02d", 20+i%5, 1+i%12))
		}
		reports[i] = r
	}
	return reports
}

// TestSearchCursor checks that following next_cursor gives the same hits,
// in the same order, as paging, for each sort, with ties and reports
// without date; and that the last page has no cursor.
func TestSearchCursor(t *testing.T) {
	idx := pagingFixture(t, 300)
	ctx := context.Background()
	cases := []Request{
		{Query: "drones"},
		{Query: "drones", Sort: SortDate},
		{Query: "drones", Sort: SortDateDesc},
		{Query: "armée OR drones", Countries: []string{"ML", "UA"}},
		{Countries: []string{"FR"}},                   // browse, newest first
		{From: "2021", To: "2023-06", Sort: SortDate}, // browse, oldest first
	}
	for _, base := range cases {
		t.Run(fmt.Sprintf("%+v", base), func(t *testing.T) {
			base.Size = 7
			var paged []string
			var total uint64
			for page := 1; ; page++ {
				r := base
				r.Page = page
				res, err := idx.Search(ctx, r)
				if err != nil {
					t.Fatal(err)
				}
				total = res.Total
				paged = append(paged, ids(res)...)
				if len(res.Hits) < r.Size || uint64(len(paged)) == res.Total {
					if res.NextCursor != "" {
						t.Errorf("page %d, the last: next_cursor %q; want none", page, res.NextCursor)
					}
					break
				}
				if res.NextCursor == "" {
					t.Fatalf("page %d of %d hits: no next_cursor", page, res.Total)
				}
			}
			if uint64(len(paged)) != total || total < 20 {
				t.Fatalf("paging gave %d hits of %d; want them all, and at least 20", len(paged), total)
			}
			var cursored []string
			r := base
			for range 1000 {
				res, err := idx.Search(ctx, r)
				if err != nil {
					t.Fatalf("cursor %q: %v", r.Cursor, err)
				}
				if res.Total != total {
					t.Errorf("with a cursor, total %d; want %d", res.Total, total)
				}
				cursored = append(cursored, ids(res)...)
				if res.NextCursor == "" {
					break
				}
				r.Cursor = res.NextCursor
			}
			if !slices.Equal(cursored, paged) {
				t.Errorf("following next_cursor:\n%q\npaging:\n%q", cursored, paged)
			}
		})
	}
}

// TestSearchCursorErrors checks the refusals of bad cursors.
func TestSearchCursorErrors(t *testing.T) {
	idx := newFixture(t)
	ctx := context.Background()
	res, err := idx.Search(ctx, Request{Query: "défense", Size: 1})
	if err != nil || res.NextCursor == "" {
		t.Fatalf("Search: %v, no next_cursor in %+v", err, res)
	}
	cases := []struct {
		req Request
		msg string
	}{
		{Request{Query: "défense", Cursor: "!!"}, "not base64url"},
		{Request{Query: "défense", Cursor: "e30"}, "not a cursor"}, // {}
		{Request{Query: "défense", Cursor: res.NextCursor, Page: 2}, "cursor: give cursor or page, not both"},
		{Request{Query: "défense", Cursor: res.NextCursor, Sort: SortDate}, "another sort order"},
	}
	for _, tc := range cases {
		_, err := idx.Search(ctx, tc.req)
		if !errors.Is(err, ErrBadRequest) || !strings.Contains(errString(err), tc.msg) {
			t.Errorf("Search(%+v): %v; want ErrBadRequest with %q", tc.req, err, tc.msg)
		}
	}
}

// TestBrowse checks a search without words: the reports of the filters,
// newest first, without fragments; without a filter, a blank query is
// still ErrEmptyQuery.
func TestBrowse(t *testing.T) {
	idx := newFixture(t)
	ctx := context.Background()
	cases := []struct {
		req  Request
		want []string
	}{
		{Request{Countries: []string{"FR"}, Highlight: true}, []string{"ukraine", "mali", "economie"}},
		{Request{Query: "  ", From: "2024"}, []string{"ukraine", "defense", "senegal"}},
		{Request{From: "2023", To: "2024-06", Sort: SortDate}, []string{"mali", "senegal", "defense"}},
		{Request{Countries: []string{"FR"}, Sort: SortRelevance}, []string{"ukraine", "mali", "economie"}},
	}
	for _, tc := range cases {
		res, err := idx.Search(ctx, tc.req)
		if err != nil {
			t.Fatalf("Search(%+v): %v", tc.req, err)
		}
		if got := ids(res); !slices.Equal(got, tc.want) || res.Total != uint64(len(tc.want)) {
			t.Errorf("Search(%+v) = %q (total %d); want %q", tc.req, got, res.Total, tc.want)
		}
		for _, h := range res.Hits {
			if len(h.Fragments) > 0 {
				t.Errorf("Search(%+v): hit %s has fragments %v; want none without words", tc.req, h.ID, h.Fragments)
			}
		}
		if len(res.Facets.Date) == 0 {
			t.Errorf("Search(%+v): no date facet", tc.req)
		}
	}
	if _, err := idx.Search(ctx, Request{Query: " "}); !errors.Is(err, ErrEmptyQuery) {
		t.Errorf("Search of a blank query without filter: %v; want ErrEmptyQuery", err)
	}
}

// TestScan checks that Scan calls back every hit in the order of Search,
// past one page of scanPage, with plain text and the text when asked.
func TestScan(t *testing.T) {
	defer func(n int) { scanPage = n }(scanPage)
	scanPage = 40 // several pages of a small index
	idx := pagingFixture(t, 2*scanPage+300)
	ctx := context.Background()
	for _, r := range []Request{{Query: "drones"}, {Query: "drones OR armée", Sort: SortDateDesc}, {Countries: []string{"FR", "UA"}}} {
		var got []string
		n, err := idx.Scan(ctx, r, ScanOptions{Text: true}, func(rec Record) error {
			got = append(got, rec.ID)
			if rec.Text == "" || rec.Title == "" || len(rec.Countries) != 1 {
				return fmt.Errorf("record %+v lacks its text, title or country", rec)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("Scan(%+v): %v", r, err)
		}
		var want []string
		rr := r
		rr.Size = MaxSize
		for {
			res, err := idx.Search(ctx, rr)
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, ids(res)...)
			if res.NextCursor == "" {
				break
			}
			rr.Cursor = res.NextCursor
		}
		if n != len(got) || !slices.Equal(got, want) || n <= scanPage {
			t.Errorf("Scan(%+v): %d records; want the %d hits of Search in its order, more than %d", r, n, len(want), scanPage)
		}
	}
	stop := 0
	n, err := idx.Scan(ctx, Request{Query: "drones"}, ScanOptions{}, func(rec Record) error {
		if rec.Text != "" {
			t.Errorf("Scan without Text: record %s has its text", rec.ID)
		}
		stop++
		if stop == 5 {
			return ErrStopScan
		}
		return nil
	})
	if err != nil || n != 4 {
		t.Errorf("Scan stopped at the 5th record: %d, %v; want 4, nil", n, err)
	}
	boom := errors.New("boom")
	if _, err := idx.Scan(ctx, Request{Query: "drones"}, ScanOptions{}, func(Record) error { return boom }); !errors.Is(err, boom) {
		t.Errorf("Scan with a failing callback: %v; want it", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := idx.Scan(cctx, Request{Query: "drones"}, ScanOptions{}, func(Record) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("Scan with a canceled context: %v; want context.Canceled", err)
	}
}

// FuzzDecodeCursor checks that a cursor from a client never panics the
// decoder, and that what it accepts has the shape of a sort key.
func FuzzDecodeCursor(f *testing.F) {
	f.Add("")
	f.Add("e30")
	f.Add("eyJ2IjoxLCJzIjpbIk1DNDUiLCJjakUiXX0")
	f.Add("eyJ2IjoxLCJzIjpbIiIsIk1DNDUiLCJjakUiXX0")
	f.Fuzz(func(t *testing.T, s string) {
		vals, err := decodeCursor(s)
		if err != nil {
			if !errors.Is(err, ErrBadRequest) {
				t.Errorf("decodeCursor(%q): %v, not ErrBadRequest", s, err)
			}
			return
		}
		if len(vals) < 2 || len(vals) > 3 {
			t.Errorf("decodeCursor(%q) = %q: want 2 or 3 sort values", s, vals)
		}
	})
}

// BenchmarkDeepPaging compares a page deep in the results reached with
// Page (Bleve's From: it collects From+Size hits) and with a cursor
// (SearchAfter: it keeps Size), on a generated index of 12,000 reports.
// Run: go test ./index -run XXX -bench DeepPaging -count 5 | benchstat -
func BenchmarkDeepPaging(b *testing.B) {
	idx := pagingFixture(b, 12_000)
	ctx := context.Background()
	// No facets: they cost the same at any depth and would hide the paging.
	base := Request{Query: "drones OR armée", Size: MaxSize, Facets: FacetOptions{Countries: -1, Organizations: -1, DateInterval: "none"}}
	// The cursor after hit 9,800, as a client following next_cursor has it.
	r := base
	for range 98 {
		res, err := idx.Search(ctx, r)
		if err != nil {
			b.Fatal(err)
		}
		r.Cursor = res.NextCursor
	}
	deepCursor := r.Cursor
	cases := []struct {
		name string
		req  Request
	}{
		{"page=1", base},
		{"page=99", Request{Query: base.Query, Size: base.Size, Facets: base.Facets, Page: 99}},
		{"cursor@9800", Request{Query: base.Query, Size: base.Size, Facets: base.Facets, Cursor: deepCursor}},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := idx.Search(ctx, tc.req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
