package index

import (
	"context"
	"fmt"
	"html"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
)

// DocumentOptions sets what Index.Document gives besides the stored
// report. The zero value gives the report alone.
type DocumentOptions struct {
	// Query, when not blank, is a query in the syntax of Request.Query.
	// The document then carries the byte offsets of its matches in the
	// whole Title and Body (Document.TitleMatches, BodyMatches), found by
	// the index with the analysis of Search:
	//
	//   - a word marks each of its forms that Search conflates (other
	//     inflections, accents or capitals aside), in the title and the
	//     body; title: marks the title only, exact: the exact form only;
	//   - a phrase marks its words only where they stand in a row;
	//   - a prefix (milit*) marks each word that starts with it;
	//   - "w1 w2"~N marks its words where they stand within N words of
	//     each other, not their other occurrences;
	//   - a name of an organisation marks its other names and acronyms
	//     too, as Search finds them ("ONU" marks "Nations unies");
	//   - the parts of an AND or an OR each mark on their own, so a report
	//     that lacks some of the words (one opened from a link) still shows
	//     the others; excluded parts (-x, NOT x) mark nothing; stop words
	//     are marked only in a query of stop words alone, the one case in
	//     which Search matches them.
	//
	// A query that does not parse or costs too much fails as in Search
	// (*QueryError, *RequestError).
	Query string
	// HTML adds Document.TitleHTML and BodyHTML: the title and body
	// HTML-escaped, with <mark> around the matches of Query.
	HTML bool
}

// addMatches sets the matches of opts.Query in d, and its HTML with opts.HTML.
func (idx *Index) addMatches(ctx context.Context, d *Document, opts DocumentOptions) error {
	if strings.TrimSpace(opts.Query) != "" {
		var err error
		if d.TitleMatches, d.BodyMatches, err = idx.matches(ctx, d, opts.Query); err != nil {
			return err
		}
	}
	if opts.HTML {
		d.TitleHTML = markedHTML(d.Title, d.TitleMatches)
		d.BodyHTML = markedHTML(d.Body, d.BodyMatches)
	}
	return nil
}

// matches returns the spans of the matches of the query q in d's title and
// body: the term locations of the marks query (builder.marks) on d alone.
func (idx *Index) matches(ctx context.Context, d *Document, q string) (title, body []Span, err error) {
	if err := checkQueryLength(q); err != nil {
		return nil, nil, err
	}
	ast, err := parseQuery(q)
	if err != nil {
		return nil, nil, err
	}
	b := newBuilder(ctx, idx, ast)
	b.marks = true
	mq, err := b.build(ast)
	if err == nil && mq == nil {
		// Stop words only: Search matches them as exact forms.
		b.keepStops = true
		mq, err = b.build(ast)
	}
	if err != nil || mq == nil {
		return nil, nil, err
	}
	req := bleve.NewSearchRequestOptions(&offsetsQuery{q: bleve.NewConjunctionQuery(bleve.NewDocIDQuery([]string{d.ID}), mq)}, 1, 0, false)
	req.IncludeLocations = true
	res, err := idx.search(ctx, req)
	if err != nil {
		return nil, nil, fmt.Errorf("index: matches of %q in document %q: %w", q, d.ID, err)
	}
	if len(res.Hits) == 0 {
		return nil, nil, nil
	}
	h := res.Hits[0]
	return locationSpans(d.Title, h.Locations[fieldTitle]), locationSpans(d.Body, h.Locations[fieldBody]), nil
}

// locationSpans returns the spans of the term locations of a field whose
// text is s, sorted, overlapping ones merged; a location that is not a
// range of whole characters of s is left out.
func locationSpans(s string, terms search.TermLocationMap) []Span {
	var spans []Span
	for _, locs := range terms {
		for _, l := range locs {
			start, end := int(l.Start), int(l.End)
			if start < 0 || end <= start || end > len(s) || !utf8.RuneStart(s[start]) || end < len(s) && !utf8.RuneStart(s[end]) {
				continue
			}
			spans = append(spans, Span{start, end})
		}
	}
	return mergeSpans(spans)
}

// mergeSpans sorts spans by start and merges those that overlap.
func mergeSpans(spans []Span) []Span {
	slices.SortFunc(spans, func(a, b Span) int { return a.Start - b.Start })
	out := spans[:0]
	for _, sp := range spans {
		if n := len(out); n > 0 && sp.Start < out[n-1].End {
			out[n-1].End = max(out[n-1].End, sp.End)
			continue
		}
		out = append(out, sp)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// markedHTML returns s HTML-escaped with <mark> around its spans, which
// must be sorted and not overlap (as mergeSpans leaves them).
func markedHTML(s string, spans []Span) string {
	var b strings.Builder
	at := 0
	for _, sp := range spans {
		b.WriteString(html.EscapeString(s[at:sp.Start]))
		b.WriteString(markOpen)
		b.WriteString(html.EscapeString(s[sp.Start:sp.End]))
		b.WriteString(markClose)
		at = sp.End
	}
	b.WriteString(html.EscapeString(s[at:]))
	return b.String()
}
