package index

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/numeric"
	"github.com/blevesearch/bleve/v2/search"
	bleveindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Facet counting (issue #15). Bleve counts a terms facet by reading, for
// every hit, the facet fields' doc values of its document: the chunk of
// the segment holding it is found, uncompressed and decoded, and each term
// is turned into a string for a map. On a query matching half of the
// 233,987-report corpus ("France") that was most of the search's time. The
// search counts facets itself instead: each field's values are read once
// per segment from its postings into a column (document → ordinals of the
// segment's terms), kept while the segment lives (Scorch segments never
// change: new reports make new segments, merges replace them), and a hit
// adds one to a counter per value, an array access. Index readers other
// than Scorch's (the in-memory index) are counted from their doc values
// per hit, as Bleve does.

// facetCounter counts the values of some keyword fields over the hits of
// one search.
type facetCounter struct {
	fields []string
	cache  *columnCache

	// counts[field][term] once done.
	counts map[string]map[string]int
	err    error

	// Scorch: the snapshot's segments, their first global document
	// numbers, the columns of the segment in use and its counters.
	segs    []*scorch.SegmentSnapshot
	offsets []uint64
	seg     int // index in segs of the current segment, -1 before the first hit
	// col is the fields' values in the segment, one column of them all
	// (columnCache.fieldsColumn): field f's terms are ordinals
	// bases[f] to bases[f+1]; tally counts the hits of each.
	col   *column
	bases []int
	tally []int
	// Other readers: the doc values reader.
	dvr bleveindex.DocValueReader
}

// newFacetCounter returns a counter of fields, using the columns of cache.
func newFacetCounter(cache *columnCache, fields []string) *facetCounter {
	fc := &facetCounter{fields: fields, cache: cache, counts: make(map[string]map[string]int, len(fields)), seg: -1}
	for _, f := range fields {
		fc.counts[f] = map[string]int{}
	}
	return fc
}

// context returns ctx with the counter set to see every hit of the search
// run with it.
func (fc *facetCounter) context(ctx context.Context) context.Context {
	return (&hitHook{facets: fc}).context(ctx)
}

// begin prepares the counting of the hits of reader.
func (fc *facetCounter) begin(r bleveindex.IndexReader) error {
	if snap, ok := r.(*scorch.IndexSnapshot); ok {
		fc.segs = snap.Segments()
		fc.offsets = make([]uint64, len(fc.segs)+1)
		for i, s := range fc.segs {
			fc.offsets[i+1] = fc.offsets[i] + s.Segment().Count()
		}
		return nil
	}
	dvr, err := r.DocValueReader(fc.fields)
	if err != nil {
		return fmt.Errorf("index: facet counting: %w", err)
	}
	fc.dvr = dvr
	return nil
}

// add counts the values of hit d.
func (fc *facetCounter) add(d *search.DocumentMatch) error {
	if fc.dvr != nil {
		return fc.dvr.VisitDocValues(d.IndexInternalID, func(field string, term []byte) {
			if m := fc.counts[field]; m != nil {
				m[string(term)]++
			}
		})
	}
	num := d.IndexInternalID.Value()
	if fc.seg < 0 || num < fc.offsets[fc.seg] || num >= fc.offsets[fc.seg+1] {
		// Hits come in document order: a new segment.
		fc.flush()
		i, found := slices.BinarySearch(fc.offsets, num)
		if !found {
			i--
		}
		if i < 0 || i >= len(fc.segs) {
			return fmt.Errorf("index: facet counting: document %d is in no segment", num)
		}
		fc.seg = i
		col, bases, err := fc.cache.fieldsColumn(fc.segs[i].Segment(), fc.fields)
		if err != nil {
			return err
		}
		fc.col, fc.bases, fc.tally = col, bases, make([]int, len(col.terms))
	}
	local := num - fc.offsets[fc.seg]
	col := fc.col
	if local+1 >= uint64(len(col.start)) {
		return nil
	}
	t := fc.tally
	for _, v := range col.vals[col.start[local]:col.start[local+1]] {
		t[v]++
	}
	return nil
}

// flush adds the counters of the current segment to the counts.
func (fc *facetCounter) flush() {
	if fc.seg < 0 {
		return
	}
	for f, field := range fc.fields {
		m := fc.counts[field]
		for v := fc.bases[f]; v < fc.bases[f+1]; v++ {
			if n := fc.tally[v]; n > 0 {
				m[fc.col.terms[v]] += n
			}
		}
	}
	fc.tally = nil
	fc.seg = -1
}

// merge adds the counts of o, a counter of the same fields, once done.
func (fc *facetCounter) merge(o *facetCounter) {
	for field, m := range o.counts {
		into := fc.counts[field]
		for t, n := range m {
			into[t] += n
		}
	}
}

// reset forgets the counts, to count again.
func (fc *facetCounter) reset() {
	for f := range fc.counts {
		fc.counts[f] = map[string]int{}
	}
	fc.seg, fc.segs, fc.dvr = -1, nil, nil
}

// rows returns the counted values of field, most frequent first (ties in
// the terms' order, as Bleve's terms facet), at most n of them.
func (fc *facetCounter) rows(field string, n int) []termCount {
	m := fc.counts[field]
	if len(m) == 0 {
		return nil
	}
	out := make([]termCount, 0, len(m))
	for t, c := range m {
		out = append(out, termCount{term: t, count: c})
	}
	slices.SortFunc(out, func(a, b termCount) int {
		if a.count != b.count {
			return b.count - a.count
		}
		if a.term < b.term {
			return -1
		}
		if a.term > b.term {
			return 1
		}
		return 0
	})
	return out[:min(n, len(out))]
}

// column is the values of one keyword field in one segment: document d
// (the segment's number) holds terms[v] for each v of
// vals[start[d]:start[d+1]].
type column struct {
	terms []string
	start []uint32
	vals  []uint32
}

// columnCache keeps the columns of the segments searched, by segment and
// field. The zero value is ready to use.
type columnCache struct {
	mu      sync.Mutex
	entries map[columnKey]*columnEntry
	clock   uint64 // counts the uses, to drop the least recently used
}

type columnKey struct {
	seg   segment.Segment // an interface holding a pointer: comparable
	field string          // several, for fieldsColumn: joined by a NUL
	date  bool            // the full-precision terms of the date field only (dateColumn)
	many  bool            // the column of several fields (fieldsColumn)
}

type columnEntry struct {
	once  sync.Once
	col   *column
	bases []int // fieldsColumn: where each field's ordinals start, and the end
	err   error
	used  uint64 // the cache's clock when last used
}

// maxColumns is the most columns kept: past it, the least recently used
// half is dropped. Scorch keeps a few dozen segments at most, and a search
// needs a column per counted field (at most 4).
const maxColumns = 512

// column returns the column of field in seg, reading it on first use.
func (c *columnCache) column(seg segment.Segment, field string) (*column, error) {
	return c.get(columnKey{seg: seg, field: field})
}

// dateColumn returns the column of the date field's full-precision terms
// (shift 0) in seg, the sort values of Bleve's sort by date (collect.go).
func (c *columnCache) dateColumn(seg segment.Segment) (*column, error) {
	return c.get(columnKey{seg: seg, field: fieldDate, date: true})
}

// fieldsColumn returns the column of the values of fields in seg, all
// together: field f's terms are its ordinals bases[f] to bases[f+1], and a
// document's values are those of the fields in their order. A hit counted
// in several facets then reads one column instead of one per field (its
// start and values: the cache misses of a count).
func (c *columnCache) fieldsColumn(seg segment.Segment, fields []string) (*column, []int, error) {
	if len(fields) == 1 {
		col, err := c.column(seg, fields[0])
		if err != nil {
			return nil, nil, err
		}
		return col, []int{0, len(col.terms)}, nil
	}
	e := c.entry(columnKey{seg: seg, field: strings.Join(fields, "\x00"), many: true})
	e.once.Do(func() {
		cols := make([]*column, len(fields))
		e.bases = make([]int, len(fields)+1)
		n := 0
		for f, field := range fields {
			if cols[f], e.err = c.column(seg, field); e.err != nil {
				return
			}
			e.bases[f+1] = e.bases[f] + len(cols[f].terms)
			n += len(cols[f].vals)
		}
		docs := int(seg.Count())
		col := &column{start: make([]uint32, docs+1), vals: make([]uint32, 0, n), terms: make([]string, 0, e.bases[len(fields)])}
		for _, fc := range cols {
			col.terms = append(col.terms, fc.terms...)
		}
		for d := range docs {
			for f, fc := range cols {
				if d+1 < len(fc.start) {
					for _, v := range fc.vals[fc.start[d]:fc.start[d+1]] {
						col.vals = append(col.vals, v+uint32(e.bases[f]))
					}
				}
			}
			col.start[d+1] = uint32(len(col.vals))
		}
		e.col = col
	})
	return e.col, e.bases, e.err
}

// entry returns the entry of key, made on first use.
func (c *columnCache) entry(key columnKey) *columnEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[columnKey]*columnEntry{}
	}
	e := c.entries[key]
	if e == nil {
		if len(c.entries) >= maxColumns {
			c.evict()
		}
		e = &columnEntry{}
		c.entries[key] = e
	}
	c.clock++
	e.used = c.clock
	return e
}

func (c *columnCache) get(key columnKey) (*column, error) {
	seg, field := key.seg, key.field
	e := c.entry(key)
	e.once.Do(func() {
		keep := func([]byte) bool { return true }
		if key.date {
			keep = func(term []byte) bool {
				valid, shift := numeric.ValidPrefixCodedTermBytes(term)
				return valid && shift == 0
			}
		}
		e.col, e.err = readColumn(seg, field, keep)
	})
	return e.col, e.err
}

// evict drops the least recently used half of the entries. c.mu is held.
func (c *columnCache) evict() {
	used := make([]uint64, 0, len(c.entries))
	for _, e := range c.entries {
		used = append(used, e.used)
	}
	slices.Sort(used)
	cut := used[len(used)/2]
	for k, e := range c.entries {
		if e.used < cut {
			delete(c.entries, k)
		}
	}
}

// allTerms is an automaton that accepts every term.
type allTerms struct{}

func (allTerms) Start() int               { return 0 }
func (allTerms) IsMatch(int) bool         { return true }
func (allTerms) CanMatch(int) bool        { return true }
func (allTerms) WillAlwaysMatch(int) bool { return true }
func (allTerms) Accept(int, byte) int     { return 0 }

// readColumn reads the column of field in seg from the postings of each of
// its terms that keep accepts (deleted documents included: they are never
// hits).
func readColumn(seg segment.Segment, field string, keep func(term []byte) bool) (*column, error) {
	dict, err := seg.Dictionary(field)
	if err != nil {
		return nil, fmt.Errorf("index: facet counting: terms of %s: %w", field, err)
	}
	n := seg.Count()
	col := &column{start: make([]uint32, n+1)}
	var docs []uint32 // the documents of each term, one after the other
	var ends []int    // where each term's documents end in docs
	var pl segment.PostingsList
	var pi segment.PostingsIterator
	it := dict.AutomatonIterator(allTerms{}, nil, nil)
	for {
		e, err := it.Next()
		if err != nil {
			return nil, fmt.Errorf("index: facet counting: terms of %s: %w", field, err)
		}
		if e == nil {
			break
		}
		if !keep([]byte(e.Term)) {
			continue
		}
		if pl, err = dict.PostingsList([]byte(e.Term), nil, pl); err != nil {
			return nil, fmt.Errorf("index: facet counting: postings of %q in %s: %w", e.Term, field, err)
		}
		pi = pl.Iterator(false, false, false, pi)
		for {
			p, err := pi.Next()
			if err != nil {
				return nil, fmt.Errorf("index: facet counting: postings of %q in %s: %w", e.Term, field, err)
			}
			if p == nil {
				break
			}
			d := p.Number()
			if d >= n {
				return nil, fmt.Errorf("index: facet counting: %q in %s: document %d of a segment of %d", e.Term, field, d, n)
			}
			docs = append(docs, uint32(d))
			col.start[d+1]++
		}
		col.terms = append(col.terms, e.Term)
		ends = append(ends, len(docs))
	}
	for d := range n {
		col.start[d+1] += col.start[d]
	}
	col.vals = make([]uint32, len(docs))
	next := slices.Clone(col.start[:n])
	from := 0
	for v, end := range ends {
		for _, d := range docs[from:end] {
			col.vals[next[d]] = uint32(v)
			next[d]++
		}
		from = end
	}
	return col, nil
}
