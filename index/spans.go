package index

import (
	"context"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/rapports/rapports/corpus"
)

// matchSpans runs q on the documents ids only and returns, for each one
// that matches, the byte spans of every match of q in field (its whole
// text, not only the fragments), sorted and merged. q is a plan's text
// query: the words of the query as the highlighter sees them (a phrase
// gives the spans of its matched words only, an excluded word none).
func (idx *Index) matchSpans(ctx context.Context, q query.Query, ids []string, field string) (map[string][]Span, error) {
	if len(ids) == 0 {
		return map[string][]Span{}, nil
	}
	req := bleve.NewSearchRequestOptions(&offsetsQuery{q: bleve.NewConjunctionQuery(bleve.NewDocIDQuery(ids), q)}, len(ids), 0, false)
	req.IncludeLocations = true
	res, err := idx.search(ctx, req)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]Span, len(res.Hits))
	for _, h := range res.Hits {
		out[h.ID] = spansOf(h, field)
	}
	return out, nil
}

// spansOf returns the byte spans of the term locations of h in field,
// sorted, overlapping ones merged (mergeSpans, as Document's matches). h
// must come from a search with locations (IncludeLocations or Highlight).
func spansOf(h *search.DocumentMatch, field string) []Span {
	var spans []Span
	for _, locs := range h.Locations[field] {
		for _, l := range locs {
			if l.End > l.Start {
				spans = append(spans, Span{Start: int(l.Start), End: int(l.End)})
			}
		}
	}
	return mergeSpans(spans)
}

// pagesOf returns the page numbers, ascending and without repeats, on
// which the spans of a paged body start (see corpus.Report.Page); nil
// when the body has no pages or there are no spans.
func pagesOf(spans []Span, firstPage int, pageStarts []int) []int {
	if firstPage == 0 || len(pageStarts) == 0 {
		return nil
	}
	r := corpus.Report{FirstPage: firstPage, PageStarts: pageStarts}
	var pages []int
	for _, s := range spans {
		// Spans are sorted, so pages come ascending.
		if p := r.Page(s.Start); len(pages) == 0 || pages[len(pages)-1] != p {
			pages = append(pages, p)
		}
	}
	return pages
}

// formatPageStarts writes page starts as the stored field: decimal
// offsets separated by spaces.
func formatPageStarts(starts []int) string {
	b := make([]byte, 0, 6*len(starts))
	for i, s := range starts {
		if i > 0 {
			b = append(b, ' ')
		}
		b = strconv.AppendInt(b, int64(s), 10)
	}
	return string(b)
}

// parsePageStarts reads the stored field back; a malformed or unsorted
// list (not written by this program) gives nil: no pages.
func parsePageStarts(s string) []int {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return nil
	}
	starts := make([]int, len(fields))
	for i, f := range fields {
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 || i > 0 && n < starts[i-1] {
			return nil
		}
		starts[i] = n
	}
	return starts
}

// fillPages sets the Pages of the hits of paged documents, from the
// locations of every match in their bodies: those of the highlight
// search when p highlights (bleve keeps them in the hits), else those of
// one search on these documents only. Searches without paged hits cost
// nothing more.
func (idx *Index) fillPages(ctx context.Context, p *plan, hits search.DocumentMatchCollection, out []Hit) error {
	var paged []string
	for i := range out {
		if out[i].firstPage > 0 && len(out[i].pageStarts) > 0 {
			paged = append(paged, out[i].ID)
		}
	}
	if len(paged) == 0 {
		return nil
	}
	var spans map[string][]Span
	if p.highlight {
		spans = make(map[string][]Span, len(paged))
		for _, h := range hits {
			spans[h.ID] = spansOf(h, fieldBody)
		}
	} else {
		var err error
		if spans, err = idx.matchSpans(ctx, p.text, paged, fieldBody); err != nil {
			return err
		}
	}
	for i := range out {
		h := &out[i]
		h.Pages = pagesOf(spans[h.ID], h.firstPage, h.pageStarts)
	}
	return nil
}
