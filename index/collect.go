package index

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/numeric"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// Collection of the hits (issue #15). Bleve's collector sees every hit of
// a search; rapports adds its own work there through Bleve's document
// match handler hook (search.MakeDocumentMatchHandlerKey): the facet
// counts (facetcount.go) and, for a search by relevance, the top hits.
//
// The relevance order is the score, then the report ID, so that a cursor
// names one place in it. Bleve sorts by ID by reading each hit's ID from
// the stored fields of its segment before it compares it: on "France"
// (85,000 of the 233,987 reports) that was half of the search. topHits
// reads the ID of a hit only when its score ties with the hit it is
// compared with, and the IDs of the hits kept; Bleve is then asked to
// sort by score alone, its fast path.

// hitHook is the work done on each hit of one search: facet counts, the
// top hits by relevance, or both. Without top, Bleve's top-N collector
// keeps the hits.
type hitHook struct {
	facets *facetCounter
	top    *topHits
	// filter, with top, checks the filters on each hit (hitfilter.go):
	// only the hits that pass them all go on to facets and top.
	filter *filterCount
}

// context returns ctx with the hook set for the search run with it.
func (h *hitHook) context(ctx context.Context) context.Context {
	if h.facets == nil && h.top == nil {
		return ctx
	}
	return context.WithValue(ctx, search.MakeDocumentMatchHandlerKey, search.MakeDocumentMatchHandler(h.handler))
}

// handler implements search.MakeDocumentMatchHandler.
func (h *hitHook) handler(sctx *search.SearchContext) (search.DocumentMatchHandler, bool, error) {
	var next search.DocumentMatchHandler
	var loadID bool
	if h.top == nil {
		var err error
		next, loadID, err = collector.MakeTopNDocumentMatchHandler(sctx)
		if err != nil {
			return nil, false, err
		}
		if next == nil {
			return nil, false, fmt.Errorf("index: collect hits: collector %T is not Bleve's top-N collector", sctx.Collector)
		}
	} else {
		if err := h.top.begin(sctx); err != nil {
			return nil, false, err
		}
		next = h.top.handle
	}
	if h.facets != nil {
		if err := h.facets.begin(sctx.IndexReader); err != nil {
			return nil, false, err
		}
	}
	if h.filter != nil {
		if h.top == nil {
			return nil, false, errors.New("index: collect hits: filtered without the top hits")
		}
		if err := h.filter.begin(sctx.IndexReader); err != nil {
			return nil, false, err
		}
	}
	return func(d *search.DocumentMatch) error {
		if h.filter != nil {
			if d == nil {
				h.filter.flush()
			} else if ok, err := h.filter.add(d); err != nil {
				return err
			} else if !ok {
				sctx.DocumentMatchPool.Put(d)
				return nil
			}
		}
		if h.facets != nil {
			if d == nil {
				h.facets.flush()
			} else if err := h.facets.add(d); err != nil {
				return err
			}
		}
		return next(d)
	}, loadID, nil
}

// topHits keeps the best hits of a search by relevance: score descending,
// then ID ascending; or, with date set, by date (newest or oldest first,
// undated reports last), then score descending, then ID ascending, the
// order of plan.sortOrder. It needs Bleve to sort by score only.
type topHits struct {
	keep  int // hits kept: the page's and those of the pages before it
	skip  int // hits of the pages before
	after *afterHit
	date  *dateOrder // nil: by relevance

	reader bleveindex.IndexReader
	pool   *search.DocumentMatchPool
	heap   []*search.DocumentMatch // worst first
	// By date: the hit being collected and its sort value (see handle).
	cand    *search.DocumentMatch
	candKey string
	err     error
	hits    search.DocumentMatchCollection // the page, once done
}

// afterHit is the place of a cursor: the date sort value (by date), the
// score and ID of the hit before.
type afterHit struct {
	date  string
	score float64
	id    string
}

// newTopHits returns the collection of p's page of hits.
func newTopHits(p *plan) (*topHits, error) {
	t := &topHits{keep: p.page * p.size, skip: (p.page - 1) * p.size}
	want := 2
	if p.sort == SortDate || p.sort == SortDateDesc {
		t.date = &dateOrder{desc: p.sort == SortDateDesc}
		want = 3
	}
	if p.after != nil {
		if len(p.after) != want {
			return nil, fmt.Errorf("%w: cursor: it was made for another sort order (give the sort of the search that answered it)", ErrBadRequest)
		}
		vals := p.after
		t.after = &afterHit{}
		if t.date != nil {
			t.after.date, vals = vals[0], vals[1:]
		}
		score, err := strconv.ParseFloat(vals[0], 64)
		if err != nil {
			return nil, &RequestError{Field: "cursor", Reason: "its score is not a number (give the next_cursor of a previous answer, as is)"}
		}
		t.after.score, t.after.id = score, vals[1]
		t.keep, t.skip = p.size, 0
	}
	return t, nil
}

func (t *topHits) begin(sctx *search.SearchContext) error {
	t.reader, t.pool = sctx.IndexReader, sctx.DocumentMatchPool
	t.heap = make([]*search.DocumentMatch, 0, t.keep)
	if t.date != nil {
		return t.date.begin(sctx.IndexReader)
	}
	return nil
}

// id returns the ID of d, read once.
func (t *topHits) id(d *search.DocumentMatch) string {
	if d.ID == "" && t.err == nil {
		id, err := t.reader.ExternalID(d.IndexInternalID)
		if err != nil {
			t.err = fmt.Errorf("index: collect hits: read an ID: %w", err)
		}
		d.ID = id
	}
	return d.ID
}

// sortKey returns the date sort value of d, a hit kept or the candidate.
func (t *topHits) sortKey(d *search.DocumentMatch) string {
	if d == t.cand {
		return t.candKey
	}
	return d.Sort[0]
}

// own gives the candidate d, about to be kept, its own Sort slice with its
// date sort value.
func (t *topHits) own(d *search.DocumentMatch) {
	if t.date != nil {
		d.Sort = []string{t.candKey}
		t.cand = nil
	}
}

// before reports whether a comes before b in the order.
func (t *topHits) before(a, b *search.DocumentMatch) bool {
	if t.date != nil {
		if c := t.date.compare(t.sortKey(a), t.sortKey(b)); c != 0 {
			return c < 0
		}
	}
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	return t.id(a) < t.id(b)
}

// past reports whether d comes after the cursor's hit.
func (t *topHits) past(d *search.DocumentMatch) bool {
	if t.date != nil {
		if c := t.date.compare(t.sortKey(d), t.after.date); c != 0 {
			return c > 0
		}
	}
	if d.Score != t.after.score {
		return d.Score < t.after.score
	}
	return t.id(d) > t.after.id
}

// handle is the document match handler: it keeps d or gives it back to
// the pool; nil ends the collection.
func (t *topHits) handle(d *search.DocumentMatch) error {
	if d == nil {
		return t.finish()
	}
	if t.date != nil {
		// Bleve gives every hit one shared Sort slice: d's own is made
		// only when it is kept.
		key, err := t.date.key(d)
		if err != nil {
			return err
		}
		t.cand, t.candKey = d, key
		defer func() { t.cand = nil }()
	}
	if t.keep == 0 || t.after != nil && !t.past(d) {
		t.pool.Put(d)
		return t.err
	}
	if len(t.heap) < t.keep {
		t.own(d)
		t.heap = append(t.heap, d)
		t.up(len(t.heap) - 1)
		return t.err
	}
	if worst := t.heap[0]; t.before(d, worst) {
		t.own(d)
		t.heap[0] = d
		t.down(0)
		t.pool.Put(worst)
	} else {
		t.pool.Put(d)
	}
	return t.err
}

// up and down keep t.heap a heap with the worst hit first.
func (t *topHits) up(i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if !t.before(t.heap[parent], t.heap[i]) {
			return
		}
		t.heap[parent], t.heap[i] = t.heap[i], t.heap[parent]
		i = parent
	}
}

func (t *topHits) down(i int) {
	for {
		worst, l, r := i, 2*i+1, 2*i+2
		if l < len(t.heap) && t.before(t.heap[worst], t.heap[l]) {
			worst = l
		}
		if r < len(t.heap) && t.before(t.heap[worst], t.heap[r]) {
			worst = r
		}
		if worst == i {
			return
		}
		t.heap[i], t.heap[worst] = t.heap[worst], t.heap[i]
		i = worst
	}
}

// finish orders the kept hits and reads their IDs, while the reader is
// open.
func (t *topHits) finish() error {
	for _, d := range t.heap {
		t.id(d)
	}
	if t.err != nil {
		return t.err
	}
	slices.SortFunc(t.heap, func(a, b *search.DocumentMatch) int {
		if t.before(a, b) {
			return -1
		}
		if t.before(b, a) {
			return 1
		}
		return 0
	})
	if t.skip < len(t.heap) {
		t.hits = t.heap[t.skip:]
	}
	if t.date != nil {
		// The sort values of Bleve's sort by plan.sortOrder, which
		// cursors are made of.
		for _, d := range t.hits {
			d.Sort = []string{d.Sort[0], "_score", d.ID}
		}
	}
	return nil
}

// dateOrder is the order of hits by date for topHits: the date's sort
// value is Bleve's for SortFieldAuto on the date field (its full-precision
// prefix-coded term), or for a report without a date the value that sorts
// it last. On Scorch it comes from a column per segment of the date field,
// read once (facetcount.go); Bleve read each hit's doc values, and its ID.
type dateOrder struct {
	desc bool
	// Scorch: the snapshot's segments, their first global document
	// numbers and the column of the segment in use.
	segs    []*scorch.SegmentSnapshot
	offsets []uint64
	seg     int
	col     *column
	cache   *columnCache
	// Other readers: the doc values reader.
	dvr   bleveindex.DocValueReader
	terms [][]byte
}

func (o *dateOrder) begin(r bleveindex.IndexReader) error {
	o.seg = -1
	if snap, ok := r.(*scorch.IndexSnapshot); ok && o.cache != nil {
		o.segs = snap.Segments()
		o.offsets = make([]uint64, len(o.segs)+1)
		for i, s := range o.segs {
			o.offsets[i+1] = o.offsets[i] + s.Segment().Count()
		}
		return nil
	}
	dvr, err := r.DocValueReader([]string{fieldDate})
	if err != nil {
		return fmt.Errorf("index: sort by date: %w", err)
	}
	o.dvr = dvr
	return nil
}

// missing is the sort value of a report without a date: last.
func (o *dateOrder) missing() string {
	if o.desc {
		return search.LowTerm
	}
	return search.HighTerm
}

// compare compares two sort values in the order: negative when a comes
// first.
func (o *dateOrder) compare(a, b string) int {
	c := strings.Compare(a, b)
	if o.desc {
		return -c
	}
	return c
}

// key returns the date's sort value of hit d.
func (o *dateOrder) key(d *search.DocumentMatch) (string, error) {
	if o.dvr != nil {
		o.terms = o.terms[:0]
		err := o.dvr.VisitDocValues(d.IndexInternalID, func(field string, term []byte) {
			if field == fieldDate {
				o.terms = append(o.terms, term)
			}
		})
		if err != nil {
			return "", fmt.Errorf("index: sort by date: %w", err)
		}
		return o.fromTerms(o.terms), nil
	}
	num := d.IndexInternalID.Value()
	if o.seg < 0 || num < o.offsets[o.seg] || num >= o.offsets[o.seg+1] {
		i, found := slices.BinarySearch(o.offsets, num)
		if !found {
			i--
		}
		if i < 0 || i >= len(o.segs) {
			return "", fmt.Errorf("index: sort by date: document %d is in no segment", num)
		}
		col, err := o.cache.dateColumn(o.segs[i].Segment())
		if err != nil {
			return "", err
		}
		o.seg, o.col = i, col
	}
	local := num - o.offsets[o.seg]
	if local+1 >= uint64(len(o.col.start)) || o.col.start[local] == o.col.start[local+1] {
		return o.missing(), nil
	}
	// The smallest full-precision term, as Bleve's first doc value.
	return o.col.terms[o.col.vals[o.col.start[local]]], nil
}

// fromTerms returns the sort value of a report whose date field holds
// terms, as Bleve's SortField of type SortFieldAuto (mode default, missing
// last) makes it.
func (o *dateOrder) fromTerms(terms [][]byte) string {
	all, zero := true, terms[:0:0]
	for _, t := range terms {
		valid, shift := numeric.ValidPrefixCodedTermBytes(t)
		if valid && shift == 0 {
			zero = append(zero, t)
		} else if !valid {
			all = false
		}
	}
	if all && len(zero) > 0 {
		terms = zero
	}
	if len(terms) == 0 {
		return o.missing()
	}
	return string(terms[0])
}

// searching counts the main searches running in this process: a search
// runs in two parts, on two cores, only when there are cores to spare
// (collect).
var searching atomic.Int32

// splitMin is the fewest reports of an index whose searches run in two
// parts: below it, the second part's setup costs more than it saves.
// Tests change it.
var splitMin uint64 = 20000

// splits counts the searches run in two parts, for tests.
var splits atomic.Int64

// collect runs req, the main search of p, counting facets with fc (nil for
// none) and checking the filters of flt on the hits (nil when req's query
// has them), and returns the page's hits (IDs read, in p.sortOrder), the
// total and the reader searched. On a disk index of many reports, while the searches running leave
// a core idle, it runs in two parts at once, each over the reports of half
// the segments (partQuery), with their own facet counts and top hits,
// merged after: the same hits, scores, totals and counts, in about half the
// time of a search of many hits.
func (idx *Index) collect(ctx context.Context, p *plan, req *bleve.SearchRequest, fc *facetCounter, flt *filterCount, pc *postingsCache) (search.DocumentMatchCollection, uint64, bleveindex.IndexReader, error) {
	n := searching.Add(1)
	defer searching.Add(-1)
	// A prefix's words are scored by Bleve's disjunction of them, whose
	// sum depends on the order it meets them: not split, so that its
	// scores stay the same to the last bit.
	if idx.path != "" && p.prefixTerms == 0 && 2*int(n) <= runtime.GOMAXPROCS(0) {
		if count, err := idx.bi.DocCount(); err == nil && count >= splitMin {
			hits, total, r, err := idx.collectSplit(ctx, p, req, fc, flt, pc)
			if !errors.Is(err, errSplitSnapshot) {
				splits.Add(1)
				return hits, total, r, err
			}
		}
	}
	// On a disk index, a search in one part reads the postings of the
	// request too (postings.go), as each part of a split one does.
	if idx.path != "" && pc != nil {
		whole := *req
		whole.Query = &partQuery{q: req.Query, part: partWhole, split: &segmentSplit{postings: pc}}
		top, total, err := idx.collectPart(ctx, p, &whole, fc, flt, false)
		if !errors.Is(err, errSplitSnapshot) {
			if err != nil {
				return nil, 0, nil, err
			}
			return top.hits, total, top.reader, nil
		}
		if fc != nil {
			fc.reset()
		}
		if flt != nil {
			flt.reset()
		}
	}
	top, total, err := idx.collectPart(ctx, p, req, fc, flt, false)
	if err != nil {
		return nil, 0, nil, err
	}
	return top.hits, total, top.reader, nil
}

// collectPart runs req with the hits kept by a topHits of p, the facet
// counts of fc and the filters of flt (nil for none), and returns them with
// the total. With all, the topHits gives every hit it kept (those of the
// pages before too), sorted.
func (idx *Index) collectPart(ctx context.Context, p *plan, req *bleve.SearchRequest, fc *facetCounter, flt *filterCount, all bool) (*topHits, uint64, error) {
	hook := &hitHook{facets: fc, filter: flt}
	// topHits keeps the page in p.sortOrder: Bleve sorts by score only.
	top, err := newTopHits(p)
	if err != nil {
		return nil, 0, err
	}
	if all {
		top.skip = 0
	}
	if top.date != nil {
		top.date.cache = &idx.columns
	}
	hook.top = top
	req.Sort = search.SortOrder{&search.SortScore{Desc: true}}
	res, err := idx.search(hook.context(ctx), req)
	if err != nil {
		return nil, 0, err
	}
	if flt != nil {
		return top, flt.total, nil
	}
	return top, res.Total, nil
}

// collectSplit runs req in two parts at once (collect). It fails with
// errSplitSnapshot when the parts read different snapshots of the index.
func (idx *Index) collectSplit(ctx context.Context, p *plan, req *bleve.SearchRequest, fc *facetCounter, flt *filterCount, pc *postingsCache) (search.DocumentMatchCollection, uint64, bleveindex.IndexReader, error) {
	split := &segmentSplit{postings: pc}
	type outcome struct {
		top   *topHits
		total uint64
		err   error
	}
	var outs [2]outcome
	var fcs [2]*facetCounter
	if fc != nil {
		fcs[0], fcs[1] = fc, newFacetCounter(fc.cache, fc.fields)
	}
	var flts [2]*filterCount
	if flt != nil {
		flts[0], flts[1] = flt, flt.another()
	}
	// Each part keeps the hits of the pages up to the page asked for: the
	// merge skips those of the pages before.
	first, err := newTopHits(p)
	if err != nil {
		return nil, 0, nil, err
	}
	run := func(part int) {
		r := *req
		r.Query = &partQuery{q: req.Query, part: part, split: split}
		top, total, err := idx.collectPart(ctx, p, &r, fcs[part], flts[part], true)
		outs[part] = outcome{top, total, err}
	}
	var wg sync.WaitGroup
	wg.Go(func() { run(1) })
	run(0)
	wg.Wait()
	for _, o := range outs {
		if errors.Is(o.err, errSplitSnapshot) {
			if fc != nil {
				fc.reset()
			}
			if flt != nil {
				flt.reset()
			}
			return nil, 0, nil, errSplitSnapshot
		}
	}
	for _, o := range outs {
		if o.err != nil {
			return nil, 0, nil, o.err
		}
	}
	if fc != nil {
		fc.merge(fcs[1])
	}
	if flt != nil {
		flt.merge(flts[1])
	}
	a, b := outs[0].top, outs[1].top
	merged := make(search.DocumentMatchCollection, 0, len(a.hits)+len(b.hits))
	i, j := 0, 0
	for i < len(a.hits) || j < len(b.hits) {
		if j == len(b.hits) || i < len(a.hits) && !a.before(b.hits[j], a.hits[i]) {
			merged = append(merged, a.hits[i])
			i++
		} else {
			merged = append(merged, b.hits[j])
			j++
		}
	}
	merged = merged[:min(len(merged), first.keep)]
	return merged[min(first.skip, len(merged)):], outs[0].total + outs[1].total, a.reader, nil
}
