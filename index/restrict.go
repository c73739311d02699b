package index

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"slices"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// The fragments of a page's hits come from a second search of the query
// on these reports only (Index.complete). Bleve's searchers start by
// moving to their first match in the whole index: a phrase searcher reads
// the positions of every report holding its words until one has them in
// a row, which for "réforme retraites" (a phrase added for ranking, rarely
// in a row) was most of the search. onlyQuery runs a query on a reader
// whose postings hold the given reports only, so that every searcher of
// it reads at most those reports; the counts of the postings stay those
// of the whole index.

// onlyQuery is the query q on the reports ids only.
type onlyQuery struct {
	ids []string
	q   query.Query
}

// Searcher implements query.Query.
func (o *onlyQuery) Searcher(ctx context.Context, r bleveindex.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	only, err := newOnlyReader(r, o.ids)
	if err != nil {
		return nil, err
	}
	if br, ok := r.(bleveindex.BM25Reader); ok {
		// Scorch's reader: keep its field lengths, which scores use.
		return o.q.Searcher(ctx, &onlyBM25Reader{only, br}, m, opts)
	}
	return o.q.Searcher(ctx, only, m, opts)
}

// onlyBM25Reader is an onlyReader of a reader with field lengths.
type onlyBM25Reader struct {
	*onlyReader
	br bleveindex.BM25Reader
}

// FieldCardinality implements bleveindex.BM25Reader.
func (o *onlyBM25Reader) FieldCardinality(field string) (int, error) {
	return o.br.FieldCardinality(field)
}

// onlyReader is an index reader whose postings and document lists hold
// the reports ids only (in the reader's internal order).
type onlyReader struct {
	bleveindex.IndexReader
	ext []string                     // the IDs asked for
	ids []bleveindex.IndexInternalID // those in the index, sorted
}

func newOnlyReader(r bleveindex.IndexReader, ext []string) (*onlyReader, error) {
	o := &onlyReader{IndexReader: r, ext: ext}
	for _, id := range ext {
		in, err := r.InternalID(id)
		if err != nil {
			return nil, fmt.Errorf("index: look up report %q: %w", id, err)
		}
		if len(in) > 0 {
			o.ids = append(o.ids, slices.Clone(in))
		}
	}
	slices.SortFunc(o.ids, func(a, b bleveindex.IndexInternalID) int { return bytes.Compare(a, b) })
	o.ids = slices.CompactFunc(o.ids, func(a, b bleveindex.IndexInternalID) bool { return bytes.Equal(a, b) })
	return o, nil
}

// TermFieldReader implements bleveindex.IndexReader.
func (o *onlyReader) TermFieldReader(ctx context.Context, term []byte, field string, freq, norm, vectors bool) (bleveindex.TermFieldReader, error) {
	open := func() (bleveindex.TermFieldReader, error) {
		return o.IndexReader.TermFieldReader(ctx, term, field, freq, norm, vectors)
	}
	tfr, err := open()
	if err != nil {
		return nil, err
	}
	return &onlyPostings{tfr: tfr, open: open, all: o.ids, ids: o.ids}, nil
}

// DocIDReaderAll implements bleveindex.IndexReader: every one of the
// reports.
func (o *onlyReader) DocIDReaderAll() (bleveindex.DocIDReader, error) {
	return o.IndexReader.DocIDReaderOnly(o.ext)
}

// DocIDReaderOnly implements bleveindex.IndexReader: those of ids among
// the reports.
func (o *onlyReader) DocIDReaderOnly(ids []string) (bleveindex.DocIDReader, error) {
	var both []string
	for _, id := range ids {
		if slices.Contains(o.ext, id) {
			both = append(both, id)
		}
	}
	return o.IndexReader.DocIDReaderOnly(both)
}

// onlyPostings are a term's postings in the reports ids only.
type onlyPostings struct {
	tfr  bleveindex.TermFieldReader
	open func() (bleveindex.TermFieldReader, error) // opens tfr anew
	all  []bleveindex.IndexInternalID               // the reports, sorted
	ids  []bleveindex.IndexInternalID               // those of all not yet passed
	last bleveindex.IndexInternalID                 // the posting returned last
}

var reflectStaticSizeOnlyPostings = int(reflect.TypeOf(onlyPostings{}).Size())

// Next implements bleveindex.TermFieldReader.
func (p *onlyPostings) Next(pre *bleveindex.TermFieldDoc) (*bleveindex.TermFieldDoc, error) {
	for again := false; len(p.ids) > 0; again = true {
		if again && pre != nil {
			// Readers append to the ID of the document they are given.
			pre.Reset()
		}
		d, err := p.tfr.Advance(p.ids[0], pre)
		if err != nil || d == nil {
			p.ids = nil
			return nil, err
		}
		// d is the first posting at or after ids[0]: skip the reports
		// before it.
		for len(p.ids) > 0 && bytes.Compare(p.ids[0], d.ID) < 0 {
			p.ids = p.ids[1:]
		}
		if len(p.ids) > 0 && bytes.Equal(p.ids[0], d.ID) {
			p.ids = p.ids[1:]
			p.last = append(p.last[:0], d.ID...)
			return d, nil
		}
	}
	return nil, nil
}

// Advance implements bleveindex.TermFieldReader. Going back (to the
// posting returned last or before) opens the postings anew, as Scorch's
// own reader does.
func (p *onlyPostings) Advance(id bleveindex.IndexInternalID, pre *bleveindex.TermFieldDoc) (*bleveindex.TermFieldDoc, error) {
	if len(p.last) > 0 && bytes.Compare(id, p.last) <= 0 {
		tfr, err := p.open()
		if err != nil {
			return nil, err
		}
		if err := p.tfr.Close(); err != nil {
			tfr.Close()
			return nil, err
		}
		p.tfr, p.ids, p.last = tfr, p.all, p.last[:0]
	}
	for len(p.ids) > 0 && bytes.Compare(p.ids[0], id) < 0 {
		p.ids = p.ids[1:]
	}
	return p.Next(pre)
}

// Count implements bleveindex.TermFieldReader: the count in the whole
// index, as scores use it.
func (p *onlyPostings) Count() uint64 { return p.tfr.Count() }

// Close implements bleveindex.TermFieldReader.
func (p *onlyPostings) Close() error { return p.tfr.Close() }

// Size implements bleveindex.TermFieldReader.
func (p *onlyPostings) Size() int {
	return reflectStaticSizeOnlyPostings + p.tfr.Size() + len(p.all)*8
}
