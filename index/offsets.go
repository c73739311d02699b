package index

import (
	"context"
	"fmt"
	"reflect"
	"slices"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/highlight"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/rapports/rapports/analyzers"
)

// The index's term locations hold positions only (internal/zapx/locs.go:
// the start and end byte offsets were a quarter of the index). What needs
// offsets (the highlighter's fragments, the marks of a document, the pages
// of a hit, the written forms of a suggestion) gets them for the few
// reports it shows by analysing their stored text again with the field's
// analyzer: the same text through the same analyzers (Open checks their
// fingerprint, offsets included) gives the same tokens, and a location's
// offsets are those of the token of its term at its position. Stems and
// exact forms of a word share its position and offsets.
//
// The last filter of the index's analyzer (analyzers.IndexTermsName) makes
// a word's exact form and stems, each a copy of the word's token with its
// position and offsets, and half the analysis time: offsets are found
// from the tokens before it (positionsAnalyzer), where a position is one
// word, unless a position there has tokens of different offsets, when the
// whole analysis gives them by term and position.

// offsetsQuery is the query q whose matches have the byte offsets of their
// term locations. It is meant for searches that return few reports (a
// page's hits, one document): each match's stored text is analysed again.
// With docs set, the stored documents of every match are kept in it, by
// ID, for highlighting after the search (highlight).
type offsetsQuery struct {
	q    query.Query
	docs map[string]bleveindex.Document
}

// Searcher implements query.Query.
func (o *offsetsQuery) Searcher(ctx context.Context, r bleveindex.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	s, err := o.q.Searcher(ctx, r, m, opts)
	if err != nil {
		return nil, err
	}
	return &offsetsSearcher{Searcher: s, r: r, offsets: offsets{m: m}, docs: o.docs}, nil
}

// offsetsSearcher gives the matches of its searcher the offsets of their
// locations, from their stored text.
type offsetsSearcher struct {
	search.Searcher
	r       bleveindex.IndexReader
	offsets offsets
	docs    map[string]bleveindex.Document // kept, when not nil
	// Scorch: the snapshot's segments and their first document numbers,
	// once a document was read.
	segs  []*scorch.SegmentSnapshot
	first []uint64
}

// Next implements search.Searcher.
func (s *offsetsSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	dm, err := s.Searcher.Next(ctx)
	if err != nil || dm == nil {
		return dm, err
	}
	return dm, s.fill(dm)
}

// Advance implements search.Searcher.
func (s *offsetsSearcher) Advance(ctx *search.SearchContext, id bleveindex.IndexInternalID) (*search.DocumentMatch, error) {
	dm, err := s.Searcher.Advance(ctx, id)
	if err != nil || dm == nil {
		return dm, err
	}
	return dm, s.fill(dm)
}

// fill sets the offsets of the locations of dm, read from the stored
// fields of its report.
func (s *offsetsSearcher) fill(dm *search.DocumentMatch) error {
	if len(dm.FieldTermLocations) == 0 && len(dm.Locations) == 0 && s.docs == nil {
		return nil
	}
	id, err := s.r.ExternalID(dm.IndexInternalID)
	if err != nil {
		return fmt.Errorf("index: offsets of the matches: %w", err)
	}
	doc, err := s.document(id, dm.IndexInternalID)
	if err != nil {
		return fmt.Errorf("index: offsets of the matches in report %q: %w", id, err)
	}
	if doc == nil {
		return nil
	}
	if s.docs != nil {
		s.docs[id] = doc
	}
	texts := map[string][]byte{}
	doc.VisitFields(func(f bleveindex.Field) {
		if _, ok := texts[f.Name()]; !ok {
			texts[f.Name()] = f.Value()
		}
	})
	s.offsets.fill(dm, func(field string) []byte { return texts[field] })
	return nil
}

// document returns the stored document id, whose internal ID is in: on a
// Scorch snapshot, read as its Document method reads it (Bleve 2.6.3,
// IndexSnapshot.Document) but from in rather than from a look-up of id in
// every segment's dictionary of IDs.
func (s *offsetsSearcher) document(id string, in bleveindex.IndexInternalID) (bleveindex.Document, error) {
	snap, ok := s.r.(*scorch.IndexSnapshot)
	if !ok {
		return s.r.Document(id)
	}
	if s.segs == nil {
		s.segs = snap.Segments()
		s.first = make([]uint64, len(s.segs)+1)
		for i, seg := range s.segs {
			s.first[i+1] = s.first[i] + seg.Segment().Count()
		}
	}
	num := in.Value()
	i, found := slices.BinarySearch(s.first, num)
	if !found {
		i--
	}
	if i < 0 || i >= len(s.segs) {
		return nil, fmt.Errorf("document %d is in no segment", num)
	}
	doc := document.NewDocument(id)
	err := s.segs[i].VisitDocument(num-s.first[i], func(name string, typ byte, val []byte, pos []uint64) bool {
		if name == "_id" {
			return true
		}
		doc.StoredFieldsSize += uint64(len(val))
		value := append([]byte(nil), val...)
		arrayPos := append([]uint64(nil), pos...)
		switch typ {
		case 't':
			doc.AddField(document.NewTextField(name, arrayPos, value))
		case 'n':
			doc.AddField(document.NewNumericFieldFromBytes(name, arrayPos, value))
		case 'i':
			doc.AddField(document.NewIPFieldFromBytes(name, arrayPos, value))
		case 'd':
			doc.AddField(document.NewDateTimeFieldFromBytes(name, arrayPos, value))
		case 'b':
			doc.AddField(document.NewBooleanFieldFromBytes(name, arrayPos, value))
		case 'g':
			doc.AddField(document.NewGeoPointFieldFromBytes(name, arrayPos, value))
		case 's':
			doc.AddField(document.NewGeoShapeFieldFromBytes(name, arrayPos, value))
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	return doc, nil
}

// offsets finds the offsets of term locations from the text of their
// fields, with the analyzers of a mapping.
type offsets struct {
	m         mapping.IndexMapping
	analyzers map[string]fieldAnalyzers // by field
	need      map[int][]locRef          // by position, for one field
}

// locRef is a location whose offsets are to be set.
type locRef struct {
	term string
	loc  *search.Location
}

// fill sets the start and end offsets of the locations of dm (in
// FieldTermLocations, and in Locations once the match is complete) of
// every field whose text gives, where they have none; a location whose
// term is not at its position in the text keeps offsets 0 (which the
// spans' readers leave out).
func (o *offsets) fill(dm *search.DocumentMatch, text func(field string) []byte) {
	var fields []string
	for _, ftl := range dm.FieldTermLocations {
		if len(fields) == 0 || fields[len(fields)-1] != ftl.Field {
			fields = appendNew(fields, ftl.Field)
		}
	}
	for field := range dm.Locations {
		fields = appendNew(fields, field)
	}
	for _, field := range fields {
		t := text(field)
		if t == nil {
			continue
		}
		clear(o.need)
		if o.need == nil {
			o.need = map[int][]locRef{}
		}
		for i := range dm.FieldTermLocations {
			ftl := &dm.FieldTermLocations[i]
			if ftl.Field == field {
				o.want(ftl.Term, &ftl.Location)
			}
		}
		for term, locs := range dm.Locations[field] {
			for _, l := range locs {
				o.want(term, l)
			}
		}
		o.find(field, t)
	}
}

// appendNew appends s to list unless list holds it.
func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// want asks for the offsets of l, a location of term, unless it has them
// (segments of Bleve's own formats store them).
func (o *offsets) want(term string, l *search.Location) {
	if l.End > l.Start {
		return
	}
	l.Start, l.End = 0, 0
	p := int(l.Pos)
	o.need[p] = append(o.need[p], locRef{term, l})
}

// find analyses text, the value of field, and sets the offsets of the
// locations asked for (want) from its tokens.
func (o *offsets) find(field string, text []byte) {
	if len(o.need) == 0 {
		return
	}
	a := o.analyzer(field)
	if a.full == nil {
		return
	}
	if a.positions != nil && o.byPosition(a.positions.Analyze(append([]byte(nil), text...))) {
		return
	}
	// Token filters may change the bytes of their terms in place.
	tokens := a.full.Analyze(append([]byte(nil), text...))
	left := 0
	for _, refs := range o.need {
		left += len(refs)
	}
	for _, t := range tokens {
		refs, ok := o.need[t.Position]
		if !ok {
			continue
		}
		for _, r := range refs {
			if r.loc.End == 0 && r.term == string(t.Term) {
				r.loc.Start, r.loc.End = uint64(t.Start), uint64(t.End)
				left--
			}
		}
		if left == 0 {
			return
		}
	}
}

// byPosition sets the offsets of the locations asked for to those of the
// token at their position in tokens (of a positionsAnalyzer). It reports
// false, and leaves the offsets 0, when a position asked for has tokens
// of different offsets.
func (o *offsets) byPosition(tokens analysis.TokenStream) bool {
	for _, t := range tokens {
		refs, ok := o.need[t.Position]
		if !ok {
			continue
		}
		start, end := uint64(t.Start), uint64(t.End)
		if l := refs[0].loc; l.End != 0 && (l.Start != start || l.End != end) {
			for _, refs := range o.need {
				for _, r := range refs {
					r.loc.Start, r.loc.End = 0, 0
				}
			}
			return false
		}
		for _, r := range refs {
			r.loc.Start, r.loc.End = start, end
		}
	}
	return true
}

// fieldAnalyzers are the analyzers offsets uses for a field: its own, and
// the part of it before its terms filter, or nil (positionsAnalyzer).
type fieldAnalyzers struct {
	full, positions analysis.Analyzer
}

// termsFilterType is the type of the analyzers.IndexTermsName and
// analyzers.FrenchTermsName filters.
var termsFilterType = func() reflect.Type {
	f, err := registry.NewCache().TokenFilterNamed(analyzers.IndexTermsName)
	if err != nil {
		panic(fmt.Sprintf("index: token filter %s: %v", analyzers.IndexTermsName, err))
	}
	return reflect.TypeOf(f)
}()

// positionsAnalyzer returns a without its last token filter when that is
// the French terms filter, which copies each token (position and offsets
// included) for the word's exact form and stems and drops none; nil for
// any other analyzer.
func positionsAnalyzer(a analysis.Analyzer) analysis.Analyzer {
	d, ok := a.(*analysis.DefaultAnalyzer)
	if !ok || len(d.TokenFilters) == 0 || reflect.TypeOf(d.TokenFilters[len(d.TokenFilters)-1]) != termsFilterType {
		return nil
	}
	return &analysis.DefaultAnalyzer{CharFilters: d.CharFilters, Tokenizer: d.Tokenizer, TokenFilters: d.TokenFilters[:len(d.TokenFilters)-1]}
}

// analyzer returns the analyzers of field (full nil if it has none).
func (o *offsets) analyzer(field string) fieldAnalyzers {
	if a, ok := o.analyzers[field]; ok {
		return a
	}
	if o.analyzers == nil {
		o.analyzers = map[string]fieldAnalyzers{}
	}
	full := o.m.AnalyzerNamed(o.m.AnalyzerNameForPath(field))
	a := fieldAnalyzers{full: full}
	if full != nil {
		a.positions = positionsAnalyzer(full)
	}
	o.analyzers[field] = a
	return a
}

// highlight loads the stored fields of the hits of a search of o (with
// docs set) and highlights them as Bleve's search does with req's Fields
// and Highlight (LoadAndHighlightAllFields), from the documents the
// search read for the offsets: each is read once.
func (o *offsetsQuery) highlight(hits search.DocumentMatchCollection, req *bleve.SearchRequest) error {
	var h highlight.Highlighter
	if req.Highlight != nil {
		style := bleve.Config.DefaultHighlighter
		if req.Highlight.Style != nil {
			style = *req.Highlight.Style
		}
		var err error
		if h, err = bleve.Config.Cache.HighlighterNamed(style); err != nil {
			return fmt.Errorf("index: highlighter %s: %w", style, err)
		}
	}
	r := keptDocs{docs: o.docs}
	for _, hit := range hits {
		if err, _ := bleve.LoadAndHighlightAllFields(hit, req, "", r, h); err != nil {
			return fmt.Errorf("index: highlight report %q: %w", hit.ID, err)
		}
	}
	return nil
}

// keptDocs is the reader of the documents an offsetsQuery kept: Document
// is its only method that LoadAndHighlightAllFields calls, and the only one
// it has (the others are those of a nil reader).
type keptDocs struct {
	bleveindex.IndexReader
	docs map[string]bleveindex.Document
}

// Document implements bleveindex.IndexReader: the kept document id, nil
// if there is none.
func (k keptDocs) Document(id string) (bleveindex.Document, error) {
	return k.docs[id], nil
}
