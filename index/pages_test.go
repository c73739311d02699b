package index

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/rapports/rapports/corpus"
)

// pagedReport returns a report of n pages whose page k holds the word
// "motK" (in letters: mota, motb… would stem; digits are kept as is),
// with the page starts as corpus.ReadPDF gives them.
func pagedReport(id string, n int, extra map[int]string) corpus.Report {
	var b strings.Builder
	var starts []int
	for k := 1; k <= n; k++ {
		if k > 1 {
			b.WriteString("\n\n")
		}
		starts = append(starts, b.Len())
		fmt.Fprintf(&b, "Page %d du rapport. Le marqueur mot%03d figure ici. La délégation s'est réunie.", k, k)
		if s := extra[k]; s != "" {
			b.WriteString(" " + s)
		}
	}
	return corpus.Report{ID: id, Title: "Rapport paginé", Body: b.String(), PageStarts: starts, FirstPage: 1,
		DateSource: corpus.DateFromMetadata, Date: mustDate("2020")}
}

func TestHitPages(t *testing.T) {
	ctx := context.Background()
	idx, err := OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	paged := pagedReport("paged", 12, map[int]string{3: "Les drones armés.", 7: "Des drones armés encore.", 12: "drones"})
	// A later part of a long PDF: its body starts on page 40.
	part := pagedReport("long#p2", 3, map[int]string{2: "Les drones armés."})
	part.FirstPage = 40
	plain := corpus.Report{ID: "plain", Title: "Texte", Body: "Les drones armés du Sahel.", Date: mustDate("2021")}
	if err := idx.Add(ctx, paged, part, plain); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		q    string
		want map[string][]int
	}{
		{"drones", map[string][]int{"paged": {3, 7, 12}, "long#p2": {41}, "plain": nil}},
		{`"drones armés"`, map[string][]int{"paged": {3, 7}, "long#p2": {41}, "plain": nil}},
		{"mot005", map[string][]int{"paged": {5}}},
		{"mot002 OR mot011", map[string][]int{"paged": {2, 11}, "long#p2": {41}}},
		{"drones -mot012", map[string][]int{"long#p2": {41}, "plain": nil}},
		{"title:paginé", map[string][]int{"paged": nil, "long#p2": nil}},
		{"délégation", map[string][]int{"paged": {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, "long#p2": {40, 41, 42}}},
	}
	for _, tc := range cases {
		for _, hl := range []bool{false, true} {
			res, err := idx.Search(ctx, Request{Query: tc.q, Highlight: hl, Size: MaxSize})
			if err != nil {
				t.Fatalf("Search(%q): %v", tc.q, err)
			}
			got := map[string][]int{}
			for _, h := range res.Hits {
				got[h.ID] = h.Pages
			}
			if len(got) != len(tc.want) {
				t.Errorf("Search(%q, highlight %v): hits %v; want %v", tc.q, hl, got, tc.want)
				continue
			}
			for id, want := range tc.want {
				if g, ok := got[id]; !ok || !slices.Equal(g, want) {
					t.Errorf("Search(%q, highlight %v): %s pages %v; want %v", tc.q, hl, id, g, want)
				}
			}
		}
	}
	// Browsing by filter has no matches, hence no pages.
	res, err := idx.Search(ctx, Request{From: "2000"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 3 {
		t.Errorf("browse: %d hits; want 3", len(res.Hits))
	}
	for _, h := range res.Hits {
		if h.Pages != nil {
			t.Errorf("browse: %s has pages %v; want none", h.ID, h.Pages)
		}
	}

	d, err := idx.Document(ctx, "long#p2", DocumentOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d.FirstPage != 40 || !slices.Equal(d.PageStarts, part.PageStarts) || d.DateSource != corpus.DateFromMetadata ||
		d.Report.FirstPage != 40 || !slices.Equal(d.Report.PageStarts, part.PageStarts) || d.Report.DateSource != corpus.DateFromMetadata {
		t.Errorf("Document(long#p2): first page %d, starts %v, date source %q; want 40, %v, metadata", d.FirstPage, d.PageStarts, d.DateSource, part.PageStarts)
	}
	if got := d.Report.Page(strings.Index(d.Body, "drones")); got != 41 {
		t.Errorf("Document(long#p2).Report.Page(drones) = %d; want 41", got)
	}
	d, err = idx.Document(ctx, "plain", DocumentOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d.FirstPage != 0 || d.PageStarts != nil || d.DateSource != "" {
		t.Errorf("Document(plain): first page %d, starts %v, date source %q; want no pages, no source", d.FirstPage, d.PageStarts, d.DateSource)
	}
}

func TestPageStartsField(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []int
	}{
		{"0", []int{0}},
		{"0 12 300", []int{0, 12, 300}},
		{"", nil},
		{"0 12 5", nil},
		{"0 x", nil},
		{"-1", nil},
	} {
		if got := parsePageStarts(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("parsePageStarts(%q) = %v; want %v", tc.in, got, tc.want)
		}
	}
	if got := formatPageStarts([]int{0, 12, 300}); got != "0 12 300" {
		t.Errorf("formatPageStarts = %q; want \"0 12 300\"", got)
	}
}

func TestPagesOf(t *testing.T) {
	starts := []int{0, 10, 20}
	for _, tc := range []struct {
		spans []Span
		first int
		want  []int
	}{
		{[]Span{{0, 3}, {4, 6}, {12, 14}, {25, 27}}, 1, []int{1, 2, 3}},
		{[]Span{{10, 12}}, 5, []int{6}},
		{[]Span{{9, 11}}, 1, []int{1}}, // a match across a page start counts where it starts
		{nil, 1, nil},
		{[]Span{{1, 2}}, 0, nil},
	} {
		if got := pagesOf(tc.spans, tc.first, starts); !slices.Equal(got, tc.want) {
			t.Errorf("pagesOf(%v, %d) = %v; want %v", tc.spans, tc.first, got, tc.want)
		}
	}
}

func mustDate(s string) corpus.Date {
	d, err := corpus.ParseISODate(s)
	if err != nil {
		panic(err)
	}
	return d
}
