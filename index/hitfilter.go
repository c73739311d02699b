package index

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/numeric"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// Filters checked on the hits (issue #15). Bleve filters a search by a
// second searcher of the filter query, advanced to each hit of the words:
// a date range is a disjunction of up to a few hundred terms of the date
// field at several precisions, each with its postings, and a country a
// disjunction of its terms. And a filter on a disjunctive facet (countries,
// organisations) needed a second search, of the words without that filter,
// to count the facet's values. On a disk index the filters are checked on
// each hit of the words instead, from the columns of the filtered fields
// (facetcount.go): an array access and a comparison per hit. The search
// runs once, over the words and the filters but those of the disjunctive
// facets it counts; a hit that fails only the filter of such a facet is
// counted by that facet and dropped; the others go on to the facets, the
// top hits and the total. Every hit of Bleve's filtered search is a hit of
// the words, so the hits, scores and counts are the same.

// bleveFilters makes disk searches filter with Bleve's filter queries and
// count the disjunctive facets with searches of their own, as before:
// tests set it to check that both find the same. Searches never change it.
var bleveFilters bool

// hitFilter is the filters of a plan, checked on each hit.
type hitFilter struct {
	terms []termFilter
	// date: the range's first and last full-precision terms, both
	// included; no date filter when hasDate is false.
	hasDate bool
	lo, hi  string
}

// termFilter is the filter of one keyword facet: any of values matches.
type termFilter struct {
	facet  *termFacet
	values []string // sorted
	// own: the facet counts its values over the hits that pass the other
	// filters (termFacet.ownSearch).
	own bool
}

// hitFilter returns the filters of p, nil for none.
func (p *plan) hitFilter() *hitFilter {
	f := &hitFilter{}
	for _, tf := range termFacets {
		values := tf.selected(p)
		if len(values) == 0 {
			continue
		}
		f.terms = append(f.terms, termFilter{facet: tf, values: slices.Sorted(slices.Values(values)), own: tf.ownSearch(p)})
	}
	if p.hasFrom || p.hasTo {
		// The bounds of Bleve's date range query (DateRangeQuery,
		// NewNumericRangeSearcher): from included, to excluded, the
		// open ends infinite.
		lo, hi := math.Inf(-1), math.Inf(1)
		if p.hasFrom {
			lo = numeric.Int64ToFloat64(p.from.UnixNano())
		}
		if p.hasTo {
			hi = numeric.Int64ToFloat64(p.to.UnixNano())
		}
		first, last := numeric.Float64ToInt64(lo), numeric.Float64ToInt64(hi)
		if last != math.MinInt64 {
			last--
		}
		f.hasDate = true
		f.lo, f.hi = string(numeric.MustNewPrefixCodedInt64(first, 0)), string(numeric.MustNewPrefixCodedInt64(last, 0))
	}
	if len(f.terms) == 0 && !f.hasDate {
		return nil
	}
	return f
}

// filterCount is the checking of a hitFilter over the hits of one search,
// or of one part of a split search: the counts of the disjunctive facets
// it counts and the number of hits that pass every filter.
type filterCount struct {
	f     *hitFilter
	cache *columnCache
	// own[i] counts the facet of f.terms[i] when it is own, else nil.
	own   []*facetCounter
	total uint64
	err   error

	// The snapshot's segments, their first global document numbers, and
	// for the segment in use, the columns of the filtered fields and the
	// ordinals of their terms that pass.
	segs    []*scorch.SegmentSnapshot
	offsets []uint64
	seg     int // -1 before the first hit
	cols    []*column
	pass    [][]bool
	dcol    *column
	dlo     uint32 // the date column's terms dlo to dhi (excluded) pass
	dhi     uint32
}

// newFilterCount returns the checking of f, with the columns of cache.
func newFilterCount(f *hitFilter, cache *columnCache) *filterCount {
	c := &filterCount{f: f, cache: cache, own: make([]*facetCounter, len(f.terms)), seg: -1}
	for i, tf := range f.terms {
		if tf.own {
			c.own[i] = newFacetCounter(cache, []string{tf.facet.field})
		}
	}
	c.cols = make([]*column, len(f.terms))
	c.pass = make([][]bool, len(f.terms))
	return c
}

// another returns a new checking of the same filters, for the other part
// of a split search.
func (c *filterCount) another() *filterCount { return newFilterCount(c.f, c.cache) }

// owns returns the counters of the disjunctive facets, by facet.
func (c *filterCount) owns() map[*termFacet]*facetCounter {
	out := map[*termFacet]*facetCounter{}
	for i, fc := range c.own {
		if fc != nil {
			out[c.f.terms[i].facet] = fc
		}
	}
	return out
}

// merge adds the counts of o, the checking of the other part.
func (c *filterCount) merge(o *filterCount) {
	c.total += o.total
	for i, fc := range c.own {
		if fc != nil {
			fc.merge(o.own[i])
		}
	}
}

// reset forgets the counts, to count again.
func (c *filterCount) reset() {
	c.total, c.err, c.seg, c.segs = 0, nil, -1, nil
	for _, fc := range c.own {
		if fc != nil {
			fc.reset()
		}
	}
}

// begin prepares the checking of the hits of r, a Scorch snapshot.
func (c *filterCount) begin(r bleveindex.IndexReader) error {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return fmt.Errorf("index: filter hits: reader %T is not Scorch's", r)
	}
	c.segs = snap.Segments()
	c.offsets = make([]uint64, len(c.segs)+1)
	for i, s := range c.segs {
		c.offsets[i+1] = c.offsets[i] + s.Segment().Count()
	}
	c.seg = -1
	for _, fc := range c.own {
		if fc != nil {
			if err := fc.begin(r); err != nil {
				return err
			}
		}
	}
	return nil
}

// enter makes segment i the one in use.
func (c *filterCount) enter(i int) error {
	seg := c.segs[i].Segment()
	for t, tf := range c.f.terms {
		col, err := c.cache.column(seg, tf.facet.field)
		if err != nil {
			return err
		}
		pass := make([]bool, len(col.terms))
		for _, v := range tf.values {
			if j, found := slices.BinarySearch(col.terms, v); found {
				pass[j] = true
			}
		}
		c.cols[t], c.pass[t] = col, pass
	}
	if c.f.hasDate {
		col, err := c.cache.dateColumn(seg)
		if err != nil {
			return err
		}
		lo, _ := slices.BinarySearch(col.terms, c.f.lo)
		hi, found := slices.BinarySearch(col.terms, c.f.hi)
		if found {
			hi++
		}
		c.dcol, c.dlo, c.dhi = col, uint32(lo), uint32(max(lo, hi))
	}
	c.seg = i
	return nil
}

// check returns the filters d fails: bit i for f.terms[i], bit
// len(f.terms) for the date.
func (c *filterCount) check(d *search.DocumentMatch) (uint, error) {
	num := d.IndexInternalID.Value()
	if c.seg < 0 || num < c.offsets[c.seg] || num >= c.offsets[c.seg+1] {
		i, found := slices.BinarySearch(c.offsets, num)
		if !found {
			i--
		}
		if i < 0 || i >= len(c.segs) {
			return 0, fmt.Errorf("index: filter hits: document %d is in no segment", num)
		}
		if err := c.enter(i); err != nil {
			return 0, err
		}
	}
	local := num - c.offsets[c.seg]
	var fails uint
	for t, col := range c.cols {
		ok := false
		if local+1 < uint64(len(col.start)) {
			for _, v := range col.vals[col.start[local]:col.start[local+1]] {
				if c.pass[t][v] {
					ok = true
					break
				}
			}
		}
		if !ok {
			fails |= 1 << t
		}
	}
	if c.f.hasDate {
		col, ok := c.dcol, false
		if local+1 < uint64(len(col.start)) {
			for _, v := range col.vals[col.start[local]:col.start[local+1]] {
				if v >= c.dlo && v < c.dhi {
					ok = true
					break
				}
			}
		}
		if !ok {
			fails |= 1 << len(c.f.terms)
		}
	}
	return fails, nil
}

// add checks hit d and counts it in the disjunctive facets whose filter
// alone it may fail; it reports whether d passes every filter (counted in
// total).
func (c *filterCount) add(d *search.DocumentMatch) (bool, error) {
	fails, err := c.check(d)
	if err != nil {
		return false, err
	}
	for i, fc := range c.own {
		if fc != nil && fails&^(1<<i) == 0 {
			if err := fc.add(d); err != nil {
				return false, err
			}
		}
	}
	if fails != 0 {
		return false, nil
	}
	c.total++
	return true, nil
}

// flush ends the counting.
func (c *filterCount) flush() {
	for _, fc := range c.own {
		if fc != nil {
			fc.flush()
		}
	}
}

// filteredQuery is the words of a search whose filters its hits are
// checked against (filterCount): the searcher of q as Bleve's boolean
// query of q and a filter makes it, without the filter.
type filteredQuery struct {
	q query.Query
}

// Searcher implements query.Query. Bleve's boolean query of a must and a
// filter sets the must's query norm from its weight (NewBooleanSearcher)
// and scores a hit by the must's score; with a must that matches nothing
// it searches the filter alone, every report that passes it.
func (o *filteredQuery) Searcher(ctx context.Context, r bleveindex.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	s, err := o.q.Searcher(ctx, r, m, opts)
	if err != nil {
		return nil, err
	}
	if _, none := s.(*searcher.MatchNoneSearcher); none {
		s.Close()
		return searcher.NewMatchAllSearcher(ctx, r, 1.0, opts)
	}
	s.SetQueryNorm(1.0 / math.Sqrt(s.Weight()))
	return s, nil
}
