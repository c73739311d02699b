package index

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
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
	// in, when set, are the internal IDs of ids in the reader known (the
	// snapshot of the main search): a search on that reader needs not look
	// them up, each in every segment's dictionary of IDs.
	known bleveindex.IndexReader
	in    []bleveindex.IndexInternalID
	// postings, when set, are those of the request (postings.go).
	postings *postingsCache
}

// Searcher implements query.Query.
func (o *onlyQuery) Searcher(ctx context.Context, r bleveindex.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	var only *onlyReader
	if o.known != nil && r == o.known && len(o.in) == len(o.ids) {
		only = newKnownOnlyReader(r, o.ids, o.in)
	} else {
		var err error
		if only, err = newOnlyReader(r, o.ids); err != nil {
			return nil, err
		}
	}
	if o.postings.serves(r) {
		only.postings = o.postings
	}
	return o.q.Searcher(ctx, keepFieldLengths(only, r), m, opts)
}

// keepFieldLengths returns restricted, a reader over part of r, with r's
// field lengths when r has them (Scorch's reader), which scores use, and
// its dictionaries' membership test when r has it (Scorch's reader).
//
// Bleve's numeric range searcher (the date filter) looks each of its
// candidate terms up in the dictionary when the reader can
// (bleveindex.IndexReaderContains); on a reader without it, it walks the
// dictionary from the range's first term to its last, which for a date
// range is every term of the date field at every precision, each with its
// postings read for their count: on the 233,987-report index, in the parts
// of split searches, that was 78% of the CPU of the querymix (40 ms a
// request, 8.4 without) and its 60 slowest requests. The dictionaries of a
// restricted reader are those of r, so the terms found are the same.
func keepFieldLengths(restricted, r bleveindex.IndexReader) bleveindex.IndexReader {
	br, lengths := r.(bleveindex.BM25Reader)
	cr, contains := r.(bleveindex.IndexReaderContains)
	switch {
	case lengths && contains:
		return &bm25ContainsReader{bm25Reader{restricted, br}, cr}
	case lengths:
		return &bm25Reader{restricted, br}
	}
	return restricted
}

// bm25Reader is a restricted reader with the field lengths of the whole
// reader it restricts.
type bm25Reader struct {
	bleveindex.IndexReader
	br bleveindex.BM25Reader
}

// FieldCardinality implements bleveindex.BM25Reader.
func (o *bm25Reader) FieldCardinality(field string) (int, error) {
	return o.br.FieldCardinality(field)
}

// bm25ContainsReader is a bm25Reader with the dictionaries' membership
// test of the whole reader.
type bm25ContainsReader struct {
	bm25Reader
	cr bleveindex.IndexReaderContains
}

// FieldDictContains implements bleveindex.IndexReaderContains.
func (o *bm25ContainsReader) FieldDictContains(field string) (bleveindex.FieldDictContains, error) {
	return o.cr.FieldDictContains(field)
}

// onlyReader is an index reader whose postings and document lists hold
// the reports ids only (in the reader's internal order).
type onlyReader struct {
	bleveindex.IndexReader
	ext   []string                     // the IDs asked for
	ids   []bleveindex.IndexInternalID // those in the index, sorted
	names []string                     // the IDs of ids
	// known: ids are internal IDs of reports of the reader (a search's
	// hits), its document lists are made of them; else (looked up, which
	// an index in memory answers for any ID) the reader lists them.
	known bool
	// postings, when set, serve the reader: the postings are read in
	// the segments of ids only.
	postings *postingsCache
}

func newOnlyReader(r bleveindex.IndexReader, ext []string) (*onlyReader, error) {
	var names []string
	var in []bleveindex.IndexInternalID
	for _, id := range ext {
		n, err := r.InternalID(id)
		if err != nil {
			return nil, fmt.Errorf("index: look up report %q: %w", id, err)
		}
		if len(n) > 0 {
			names, in = append(names, id), append(in, n)
		}
	}
	o := newKnownOnlyReader(r, names, in)
	o.ext, o.known = ext, false
	return o, nil
}

// newKnownOnlyReader returns the onlyReader of r on the reports ext, whose
// internal IDs in r are in (empty for a report not in r).
func newKnownOnlyReader(r bleveindex.IndexReader, ext []string, in []bleveindex.IndexInternalID) *onlyReader {
	o := &onlyReader{IndexReader: r, ext: ext, known: true}
	order := make([]int, len(in))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return bytes.Compare(in[a], in[b]) })
	for _, i := range order {
		if n := len(o.ids); len(in[i]) == 0 || n > 0 && bytes.Equal(o.ids[n-1], in[i]) {
			continue
		}
		o.ids, o.names = append(o.ids, slices.Clone(in[i])), append(o.names, ext[i])
	}
	return o
}

// TermFieldReader implements bleveindex.IndexReader.
func (o *onlyReader) TermFieldReader(ctx context.Context, term []byte, field string, freq, norm, vectors bool) (bleveindex.TermFieldReader, error) {
	open := func() (bleveindex.TermFieldReader, error) {
		return o.IndexReader.TermFieldReader(ctx, term, field, freq, norm, vectors)
	}
	if c := o.postings; c != nil {
		segs := make([]bool, len(c.segs))
		for _, id := range o.ids {
			if i, _ := c.segment(id.Value()); i < len(segs) {
				segs[i] = true
			}
		}
		open = func() (bleveindex.TermFieldReader, error) {
			return c.reader(field, term, freq, norm, vectors, func(i int) bool { return segs[i] })
		}
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
	if !o.known {
		return o.IndexReader.DocIDReaderOnly(o.ext)
	}
	return &idList{ids: o.ids}, nil
}

// DocIDReaderOnly implements bleveindex.IndexReader: those of ids among
// the reports.
func (o *onlyReader) DocIDReaderOnly(ids []string) (bleveindex.DocIDReader, error) {
	if !o.known {
		var both []string
		for _, id := range ids {
			if slices.Contains(o.ext, id) {
				both = append(both, id)
			}
		}
		return o.IndexReader.DocIDReaderOnly(both)
	}
	var both []bleveindex.IndexInternalID
	for i, name := range o.names {
		if slices.Contains(ids, name) {
			both = append(both, o.ids[i])
		}
	}
	return &idList{ids: both}, nil
}

// idList is a document list of sorted internal IDs.
type idList struct {
	ids []bleveindex.IndexInternalID
	i   int
}

var reflectStaticSizeIDList = int(reflect.TypeOf(idList{}).Size())

// Next implements bleveindex.DocIDReader. The ID is the caller's own
// (Bleve's searchers keep it in their matches).
func (l *idList) Next() (bleveindex.IndexInternalID, error) {
	if l.i >= len(l.ids) {
		return nil, nil
	}
	l.i++
	return slices.Clone(l.ids[l.i-1]), nil
}

// Advance implements bleveindex.DocIDReader.
func (l *idList) Advance(id bleveindex.IndexInternalID) (bleveindex.IndexInternalID, error) {
	for l.i < len(l.ids) && bytes.Compare(l.ids[l.i], id) < 0 {
		l.i++
	}
	return l.Next()
}

// Size implements bleveindex.DocIDReader.
func (l *idList) Size() int { return reflectStaticSizeIDList + len(l.ids)*8 }

// Close implements bleveindex.DocIDReader.
func (l *idList) Close() error { return nil }

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

// A search of many reports runs on two cores (Index.Search, split): each
// half is the query on the reports of some of the segments of one reader,
// a partQuery. Its reader's postings and document lists start at the first
// report of its segments and end before the first of the next part's, so
// that its searchers read only these; the counts of the postings stay those
// of the whole index, so scores are the same.

// errSplitSnapshot is the error of a part of a split search whose reader is
// not the one of the other part (the index changed between the two): the
// search runs again unsplit.
var errSplitSnapshot = errors.New("index: the parts of a split search read different snapshots")

// segmentSplit is the split of one snapshot's reports between the parts of
// a search: part 0 holds the reports before bound, part 1 the others.
type segmentSplit struct {
	mu    sync.Mutex
	snap  *scorch.IndexSnapshot // the snapshot the parts read, once known
	bound uint64
	// postings, when set, are those of the request (postings.go).
	postings *postingsCache
}

// boundOf returns the bound of snap, the first snapshot seen, or
// errSplitSnapshot for another one.
func (s *segmentSplit) boundOf(snap *scorch.IndexSnapshot) (uint64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.snap != nil {
		if s.snap != snap {
			return 0, errSplitSnapshot
		}
		return s.bound, nil
	}
	s.snap, s.bound = snap, splitBound(snap)
	return s.bound, nil
}

// splitBound returns the first document number of the segment that splits
// the reports of snap in two halves, the nearest to the middle.
func splitBound(snap *scorch.IndexSnapshot) uint64 {
	var total uint64
	segs := snap.Segments()
	for _, s := range segs {
		total += s.Segment().Count()
	}
	var bound, best uint64
	best = math.MaxUint64
	var sum uint64
	for _, s := range segs {
		d := max(2*sum, total) - min(2*sum, total)
		if d < best {
			best, bound = d, sum
		}
		sum += s.Segment().Count()
	}
	return bound
}

// partQuery is the query q on the reports of one part of split: part 0 the
// reports before the bound, part 1 those from it on, partWhole all of them
// (with split's postings).
type partQuery struct {
	q     query.Query
	part  int
	split *segmentSplit
}

// Searcher implements query.Query.
func (o *partQuery) Searcher(ctx context.Context, r bleveindex.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, errSplitSnapshot
	}
	pr := &partReader{IndexReader: r, lo: 0, hi: math.MaxUint64}
	if o.part != partWhole {
		bound, err := o.split.boundOf(snap)
		if err != nil {
			return nil, err
		}
		if o.part == 0 {
			pr.hi = bound
		} else {
			pr.lo = bound
		}
	}
	if o.split.postings.serves(r) {
		pr.postings = o.split.postings
	}
	return o.q.Searcher(ctx, keepFieldLengths(pr, r), m, opts)
}

// partWhole is the part of a search in one part.
const partWhole = -1

// partReader is an index reader whose postings and document lists hold the
// documents numbered lo to hi (excluded) only.
type partReader struct {
	bleveindex.IndexReader
	lo, hi uint64
	// postings, when set, serve the reader: the postings are read in the
	// part's segments only.
	postings *postingsCache
}

// TermFieldReader implements bleveindex.IndexReader.
func (o *partReader) TermFieldReader(ctx context.Context, term []byte, field string, freq, norm, vectors bool) (bleveindex.TermFieldReader, error) {
	var tfr bleveindex.TermFieldReader
	var err error
	whole := false
	if c := o.postings; c != nil {
		tfr, err = c.reader(field, term, freq, norm, vectors, func(i int) bool {
			return c.offsets[i+1] > o.lo && c.offsets[i] < o.hi
		})
		// The part's bounds are those of segments (splitBound): the
		// segments read hold the part's documents only.
		_, lo := slices.BinarySearch(c.offsets, o.lo)
		_, hi := slices.BinarySearch(c.offsets, o.hi)
		whole = lo && (hi || o.hi >= c.offsets[len(c.offsets)-1])
	} else {
		tfr, err = o.IndexReader.TermFieldReader(ctx, term, field, freq, norm, vectors)
	}
	if err != nil {
		return nil, err
	}
	return &partPostings{tfr: tfr, lo: o.lo, hi: o.hi, whole: whole}, nil
}

// DocIDReaderAll implements bleveindex.IndexReader.
func (o *partReader) DocIDReaderAll() (bleveindex.DocIDReader, error) {
	r, err := o.IndexReader.DocIDReaderAll()
	if err != nil {
		return nil, err
	}
	return &partDocIDs{r: r, lo: o.lo, hi: o.hi}, nil
}

// DocIDReaderOnly implements bleveindex.IndexReader.
func (o *partReader) DocIDReaderOnly(ids []string) (bleveindex.DocIDReader, error) {
	r, err := o.IndexReader.DocIDReaderOnly(ids)
	if err != nil {
		return nil, err
	}
	return &partDocIDs{r: r, lo: o.lo, hi: o.hi}, nil
}

// partPostings are a term's postings in the documents lo to hi only.
type partPostings struct {
	tfr     bleveindex.TermFieldReader
	lo, hi  uint64
	started bool
	done    bool
	buf     [8]byte
	// whole: tfr holds the documents lo to hi only (unwrap).
	whole bool
}

// unwrap returns the postings tfr reads, when it is a partPostings whose
// postings hold the part's documents only, for a reader that never
// advances them out of the part (the ranking's word searcher: each of
// its targets is a posting's); else tfr.
func unwrap(tfr bleveindex.TermFieldReader) bleveindex.TermFieldReader {
	if p, ok := tfr.(*partPostings); ok && p.whole {
		return p.tfr
	}
	return tfr
}

var reflectStaticSizePartPostings = int(reflect.TypeOf(partPostings{}).Size())

// check returns d, or nil once past the part.
func (p *partPostings) check(d *bleveindex.TermFieldDoc, err error) (*bleveindex.TermFieldDoc, error) {
	if err != nil || d == nil {
		p.done = err == nil
		return nil, err
	}
	if d.ID.Value() >= p.hi {
		p.done = true
		return nil, nil
	}
	return d, nil
}

// Next implements bleveindex.TermFieldReader.
func (p *partPostings) Next(pre *bleveindex.TermFieldDoc) (*bleveindex.TermFieldDoc, error) {
	if p.done {
		return nil, nil
	}
	if !p.started {
		p.started = true
		if p.lo > 0 {
			return p.check(p.tfr.Advance(bleveindex.NewIndexInternalID(p.buf[:], p.lo), pre))
		}
	}
	return p.check(p.tfr.Next(pre))
}

// Advance implements bleveindex.TermFieldReader.
func (p *partPostings) Advance(id bleveindex.IndexInternalID, pre *bleveindex.TermFieldDoc) (*bleveindex.TermFieldDoc, error) {
	p.started = true
	num := id.Value()
	if num >= p.hi {
		p.done = true
		return nil, nil
	}
	p.done = false
	if num < p.lo {
		id = bleveindex.NewIndexInternalID(p.buf[:], p.lo)
	}
	return p.check(p.tfr.Advance(id, pre))
}

// Count implements bleveindex.TermFieldReader: the count in the whole
// index, as scores use it.
func (p *partPostings) Count() uint64 { return p.tfr.Count() }

// deferVectors implements lazyVectors, when the postings read do.
func (p *partPostings) deferVectors() bool {
	l, ok := p.tfr.(lazyVectors)
	return ok && l.deferVectors()
}

// fillVectors implements lazyVectors.
func (p *partPostings) fillVectors(rv *bleveindex.TermFieldDoc) {
	p.tfr.(lazyVectors).fillVectors(rv)
}

// appendPositions implements lazyVectors.
func (p *partPostings) appendPositions(dst []uint64) []uint64 {
	return p.tfr.(lazyVectors).appendPositions(dst)
}

// Close implements bleveindex.TermFieldReader.
func (p *partPostings) Close() error { return p.tfr.Close() }

// Size implements bleveindex.TermFieldReader.
func (p *partPostings) Size() int { return reflectStaticSizePartPostings + p.tfr.Size() }

// partDocIDs are a document list's documents lo to hi only.
type partDocIDs struct {
	r       bleveindex.DocIDReader
	lo, hi  uint64
	started bool
	done    bool
	buf     [8]byte
}

var reflectStaticSizePartDocIDs = int(reflect.TypeOf(partDocIDs{}).Size())

func (p *partDocIDs) check(id bleveindex.IndexInternalID, err error) (bleveindex.IndexInternalID, error) {
	if err != nil || id == nil {
		p.done = err == nil
		return nil, err
	}
	if id.Value() >= p.hi {
		p.done = true
		return nil, nil
	}
	return id, nil
}

// Next implements bleveindex.DocIDReader.
func (p *partDocIDs) Next() (bleveindex.IndexInternalID, error) {
	if p.done {
		return nil, nil
	}
	if !p.started {
		p.started = true
		if p.lo > 0 {
			return p.check(p.r.Advance(bleveindex.NewIndexInternalID(p.buf[:], p.lo)))
		}
	}
	return p.check(p.r.Next())
}

// Advance implements bleveindex.DocIDReader.
func (p *partDocIDs) Advance(id bleveindex.IndexInternalID) (bleveindex.IndexInternalID, error) {
	p.started = true
	num := id.Value()
	if num >= p.hi {
		p.done = true
		return nil, nil
	}
	p.done = false
	if num < p.lo {
		id = bleveindex.NewIndexInternalID(p.buf[:], p.lo)
	}
	return p.check(p.r.Advance(id))
}

// Size implements bleveindex.DocIDReader.
func (p *partDocIDs) Size() int { return reflectStaticSizePartDocIDs + p.r.Size() }

// Close implements bleveindex.DocIDReader.
func (p *partDocIDs) Close() error { return p.r.Close() }
