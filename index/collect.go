package index

import (
	"context"
	"fmt"
	"slices"
	"strconv"

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
		h.top.begin(sctx)
		next = h.top.handle
	}
	if h.facets != nil {
		if err := h.facets.begin(sctx.IndexReader); err != nil {
			return nil, false, err
		}
	}
	return func(d *search.DocumentMatch) error {
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
// then ID ascending. It needs Bleve to sort by score only.
type topHits struct {
	keep  int // hits kept: the page's and those of the pages before it
	skip  int // hits of the pages before
	after *afterHit

	reader bleveindex.IndexReader
	pool   *search.DocumentMatchPool
	heap   []*search.DocumentMatch // worst first
	err    error
	hits   search.DocumentMatchCollection // the page, once done
}

// afterHit is the place of a cursor: the score and ID of the hit before.
type afterHit struct {
	score float64
	id    string
}

// newTopHits returns the collection of p's page of hits by relevance.
func newTopHits(p *plan) (*topHits, error) {
	t := &topHits{keep: p.page * p.size, skip: (p.page - 1) * p.size}
	if p.after != nil {
		if len(p.after) != 2 {
			return nil, fmt.Errorf("%w: cursor: it was made for another sort order (give the sort of the search that answered it)", ErrBadRequest)
		}
		score, err := strconv.ParseFloat(p.after[0], 64)
		if err != nil {
			return nil, &RequestError{Field: "cursor", Reason: "its score is not a number (give the next_cursor of a previous answer, as is)"}
		}
		t.after = &afterHit{score: score, id: p.after[1]}
		t.keep, t.skip = p.size, 0
	}
	return t, nil
}

func (t *topHits) begin(sctx *search.SearchContext) {
	t.reader, t.pool = sctx.IndexReader, sctx.DocumentMatchPool
	t.heap = make([]*search.DocumentMatch, 0, t.keep)
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

// before reports whether a comes before b in the order.
func (t *topHits) before(a, b *search.DocumentMatch) bool {
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	return t.id(a) < t.id(b)
}

// past reports whether d comes after the cursor's hit.
func (t *topHits) past(d *search.DocumentMatch) bool {
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
	if t.keep == 0 || t.after != nil && !t.past(d) {
		t.pool.Put(d)
		return t.err
	}
	if len(t.heap) < t.keep {
		t.heap = append(t.heap, d)
		t.up(len(t.heap) - 1)
		return t.err
	}
	if worst := t.heap[0]; t.before(d, worst) {
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
	return nil
}
