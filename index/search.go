package index

import (
	"context"
	"fmt"
	"html"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// validate checks r and builds its plan, with the Bleve queries of its
// text. A blank Query with a filter (countries, organisations or dates)
// browses: every matching report, newest first. Errors are those of
// Request.Normalized, and those of building the query (a prefix that
// expands to too many words, a query of punctuation only).
func (idx *Index) validate(ctx context.Context, r Request) (*plan, error) {
	p, ast, err := checkRequest(r)
	if err != nil {
		return nil, err
	}
	if p.browse {
		// Browse: no words, only filters. Nothing to rank by: newest
		// first, unless the request asks for oldest first.
		p.text, p.highlight = bleve.NewMatchAllQuery(), false
		p.ranked = p.text
		if p.sort == SortRelevance {
			p.sort = SortDateDesc
		}
		return p, nil
	}
	b := newBuilder(ctx, idx, ast)
	q, err := b.build(ast)
	if err != nil {
		return nil, err
	}
	if q == nil {
		// Every word was a stop word: search them as exact forms.
		b.keepStops = true
		if q, err = b.build(ast); err != nil {
			return nil, err
		}
	}
	if q == nil {
		return nil, &QueryError{Kind: KindEmpty, Msg: fmt.Sprintf("nothing to search for in %q (only punctuation)", r.Query), Err: ErrEmptyQuery}
	}
	rb := b
	rb.rank = true
	if p.ranked, err = rb.build(ast); err != nil {
		return nil, err
	}
	if q, err = b.boostPhrase(ast, q); err != nil {
		return nil, err
	}
	p.text = q
	if bleveRanking {
		p.ranked = q
	}
	p.prefixTerms = b.prefixes.total
	return p, nil
}

// bleveRanking makes searches rank by Bleve's scoring of the query, as
// before issue #13, instead of BM25F: benchmarks set it to compare the two
// in one run (export_test.go). Searches never change it.
var bleveRanking bool

// Search runs r against the index and returns one page of hits with facets
// over the whole result set. Words are ANDed: every word must match, in any
// form the French stemmer conflates. It fails with ErrEmptyQuery,
// ErrBadQuery, ErrTooExpensive or ErrBadRequest on a bad request, with a
// *BusyError (ErrBusy) when it is expensive and too many such searches run
// (Limits), with
// ErrClosed after Close, and stops when ctx is done.
func (idx *Index) Search(ctx context.Context, r Request) (*Result, error) {
	start := time.Now()
	if err := idx.reader(); err != nil {
		return nil, err
	}
	defer idx.mu.RUnlock()
	p, err := idx.validate(ctx, r)
	if err != nil {
		return nil, err
	}
	done, err := idx.turn(ctx, p)
	if err != nil {
		return nil, searchError(r.Query, err)
	}
	defer done()
	// On a disk index, the filters of a search of words are checked on its
	// hits (hitfilter.go).
	q := p.filtered(nil)
	var flt *filterCount
	if idx.path != "" && !bleveFilters && !p.browse {
		if f := p.hitFilter(); f != nil {
			flt = newFilterCount(f, &idx.columns)
			q = &filteredQuery{q: p.ranked}
		}
	}
	req := bleve.NewSearchRequestOptions(q, p.size, (p.page-1)*p.size, false)
	stats, err := idx.bm25Stats(ctx)
	if err != nil {
		return nil, searchError(r.Query, err)
	}
	if stats != nil {
		req.PreSearchData = map[string]any{search.BM25PreSearchDataKey: stats}
	}
	facets := idx.planFacets(p)
	if flt == nil {
		facets.start(ctx, idx)
	}
	// The postings of the main search and of the page's highlighting
	// (postings.go).
	pc := &postingsCache{}
	hits, total, searched, err := idx.collect(ctx, p, req, facets.main, flt, pc)
	own, ferr := facets.wait()
	if flt != nil {
		own = flt.owns()
	}
	if err == nil {
		err = ferr
	}
	if err != nil {
		return nil, searchError(r.Query, err)
	}
	if len(hits) > 0 {
		var text query.Query
		if p.highlight {
			text = p.text
		}
		if err := idx.complete(ctx, text, hits, true, searched, pc); err != nil {
			return nil, searchError(r.Query, err)
		}
	}
	out := &Result{
		Query: r.Query,
		Total: total,
		Page:  p.page,
		Size:  p.size,
		Hits:  make([]Hit, 0, len(hits)),
	}
	out.MaxWindow = MaxWindow
	for _, h := range hits {
		out.Hits = append(out.Hits, makeHit(h))
	}
	if !p.browse {
		if err := idx.fillPages(ctx, p, hits, out.Hits); err != nil {
			return nil, searchError(r.Query, err)
		}
	}
	if len(hits) == p.size && uint64((p.page-1)*p.size+len(hits)) < total || p.after != nil && len(hits) == p.size {
		out.NextCursor = encodeCursor(p.sortOrder(), hits[len(hits)-1])
	}
	facets.fill(&out.Facets, own)
	if total <= SuggestBelow {
		if out.Suggestion, err = idx.suggest(ctx, p, r.Query, total); err != nil {
			return nil, searchError(r.Query, err)
		}
	}
	out.TookMS = float64(time.Since(start).Microseconds()) / 1000
	return out, nil
}

// complete fills the hits' fragments, with text (nil for none), and their
// stored fields when fields is set. It runs the text query again on these
// documents only (onlyQuery: its searchers read the postings of these
// documents only): highlighting in the main search would collect the term
// locations of every match, not only of the page (it doubled the time of
// broad queries on the 233,987-report corpus); reading the fields there is
// what Bleve's collector does after the search, for the page's hits. A
// report deleted between the two searches keeps its ID and score only.
// The hits' internal IDs are those of the reader searched (nil if
// unknown): the second search uses them when it reads the same snapshot.
func (idx *Index) complete(ctx context.Context, text query.Query, hits search.DocumentMatchCollection, fields bool, searched bleveindex.IndexReader, pc *postingsCache) error {
	ids := make([]string, len(hits))
	in := make([]bleveindex.IndexInternalID, len(hits))
	for i, h := range hits {
		ids[i], in[i] = h.ID, h.IndexInternalID
	}
	var q query.Query = bleve.NewDocIDQuery(ids)
	if text != nil {
		// Every hit comes back, with the locations of text where it
		// matches.
		bq := bleve.NewBooleanQuery()
		bq.AddMust(q)
		bq.AddShould(text)
		q = bq
	}
	q = &onlyQuery{ids: ids, q: q, known: searched, in: in, postings: pc}
	var oq *offsetsQuery
	if text != nil {
		// The locations' offsets, for the fragments and pages, come from
		// the stored text (offsets.go), read once for them and for the
		// highlighting after the search.
		oq = &offsetsQuery{q: q, docs: make(map[string]bleveindex.Document, len(ids))}
		q = oq
	}
	req := bleve.NewSearchRequestOptions(q, len(ids), 0, false)
	hl := &bleve.SearchRequest{Highlight: bleve.NewHighlightWithStyle("html")}
	hl.Highlight.Fields = []string{fieldTitle, fieldBody}
	if fields {
		req.Fields, hl.Fields = hitFields, hitFields
	}
	if text != nil {
		req.IncludeLocations, req.Fields = true, nil
	} else {
		req.Score = "none"
	}
	res, err := idx.search(ctx, req)
	if err != nil {
		return err
	}
	if oq != nil {
		if err := oq.highlight(res.Hits, hl); err != nil {
			return err
		}
	}
	byID := make(map[string]*search.DocumentMatch, len(res.Hits))
	for _, h := range res.Hits {
		byID[h.ID] = h
	}
	for _, h := range hits {
		got := byID[h.ID]
		if got == nil {
			continue
		}
		// The locations of every match give the hit's pages (fillPages).
		h.Fragments, h.Locations = got.Fragments, got.Locations
		if fields {
			h.Fields = got.Fields
		}
	}
	return nil
}

// searchError wraps an error of Bleve's search (context.Canceled and
// context.DeadlineExceeded among them) with the query.
func searchError(q string, err error) error {
	return fmt.Errorf("index: search %q: %w", q, err)
}

// makeHit converts a Bleve hit. Its strings are plain text; the html
// highlighter's output (escaped, with <mark>) is kept in TitleHTML and
// FragmentsHTML, and parsed into the plain Title and Fragments with the
// offsets of their matches.
func makeHit(h *search.DocumentMatch) Hit {
	hit := Hit{
		ID:            h.ID,
		Score:         h.Score,
		Title:         str(h.Fields[fieldTitle]),
		Date:          str(h.Fields[fieldDateText]),
		Countries:     strs(h.Fields[fieldCountries]),
		Organizations: strs(h.Fields[fieldOrgs]),
		Source:        str(h.Fields[fieldSource]),
	}
	if fp := nums(h.Fields[fieldFirstPage]); len(fp) > 0 && fp[0] >= 1 {
		hit.firstPage, hit.pageStarts = int(fp[0]), parsePageStarts(str(h.Fields[fieldPageStarts]))
	}
	if t := h.Fragments[fieldTitle]; len(t) > 0 && utf8.ValidString(t[0]) {
		// The html highlighter escapes the text and adds only <mark>.
		hit.TitleHTML = t[0]
		hit.Title, hit.TitleMatches = parseMarked(t[0])
	} else if len(h.Fragments) > 0 {
		hit.TitleHTML = html.EscapeString(hit.Title)
	}
	for _, f := range h.Fragments[fieldBody] {
		f = tidyFragment(f)
		text, spans := parseMarked(f)
		hit.FragmentsHTML = append(hit.FragmentsHTML, f)
		hit.Fragments = append(hit.Fragments, Fragment{Text: text, Matches: spans})
	}
	return hit
}
