package index

import (
	"fmt"
	"reflect"
	"slices"
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
	bleveindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	zap "github.com/rapports/rapports/internal/zapx"
)

// The postings of one search request (issue #15). A split search reads
// each term's postings in two parts, and the highlighting of its page in a
// third search (restrict.go); each opened the term's postings in every
// segment of the snapshot, a look-up in each segment's dictionary, though
// a part reads half the segments and the highlighting those of ten
// reports. A postingsCache looks each term up once per segment for the
// three searches, and each of them reads the segments it needs only; its
// postings' count is the whole snapshot's, as scores need.

// postingsCache keeps the postings lists of the terms searched on one
// snapshot, by field and term. The zero value is ready to use; the first
// snapshot it sees is the only one it serves.
type postingsCache struct {
	mu      sync.Mutex
	snap    *scorch.IndexSnapshot
	segs    []*scorch.SegmentSnapshot
	offsets []uint64 // the segments' first document numbers, and the total
	lists   map[fieldTerm]*termLists
}

type fieldTerm struct{ field, term string }

// termLists are a term's postings lists in every segment, and their count.
type termLists struct {
	once  sync.Once
	pls   []segment.PostingsList
	count uint64
	err   error
}

// serves reports whether c serves the reader r, a Scorch snapshot: the
// first it is asked about.
func (c *postingsCache) serves(r bleveindex.IndexReader) bool {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok || c == nil {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.snap == nil {
		c.snap, c.segs = snap, snap.Segments()
		c.offsets = make([]uint64, len(c.segs)+1)
		for i, s := range c.segs {
			c.offsets[i+1] = c.offsets[i] + s.Segment().Count()
		}
		c.lists = map[fieldTerm]*termLists{}
	}
	return c.snap == snap
}

// get returns the postings lists of term in field, looked up once.
func (c *postingsCache) get(field string, term []byte) (*termLists, error) {
	c.mu.Lock()
	key := fieldTerm{field, string(term)}
	tl := c.lists[key]
	if tl == nil {
		tl = &termLists{}
		c.lists[key] = tl
	}
	c.mu.Unlock()
	tl.once.Do(func() {
		tl.pls = make([]segment.PostingsList, len(c.segs))
		for i, s := range c.segs {
			// A dictionary of its own: its reader of the terms is not
			// safe for concurrent use.
			dict, err := s.Segment().Dictionary(field)
			if err != nil {
				tl.err = fmt.Errorf("index: postings of %q in %s: %w", term, field, err)
				return
			}
			pl, err := dict.PostingsList(term, s.Deleted(), nil)
			if err != nil {
				tl.err = fmt.Errorf("index: postings of %q in %s: %w", term, field, err)
				return
			}
			tl.pls[i], tl.count = pl, tl.count+pl.Count()
		}
	})
	return tl, tl.err
}

// segment returns the index of the segment holding document num and its
// number there; len(c.segs) past the last.
func (c *postingsCache) segment(num uint64) (int, uint64) {
	i, found := slices.BinarySearch(c.offsets, num)
	if !found {
		i--
	}
	if i >= len(c.segs) {
		return len(c.segs), 0
	}
	return i, num - c.offsets[i]
}

// segmentFrom is segment, looking first at segment seg (a reader's).
func (c *postingsCache) segmentFrom(seg int, num uint64) (int, uint64) {
	if seg < len(c.segs) && c.offsets[seg] <= num && num < c.offsets[seg+1] {
		return seg, num - c.offsets[seg]
	}
	return c.segment(num)
}

// reader returns the postings of term in field in the segments use
// selects, as Scorch's term field reader gives them, with the count of the
// whole snapshot.
func (c *postingsCache) reader(field string, term []byte, freq, norm, vectors bool, use func(seg int) bool) (bleveindex.TermFieldReader, error) {
	tl, err := c.get(field, term)
	if err != nil {
		return nil, err
	}
	r := &cachedPostings{c: c, tl: tl, freq: freq, norm: norm, vectors: vectors, use: make([]bool, len(c.segs))}
	for i := range c.segs {
		r.use[i] = use(i)
	}
	r.open()
	return r, nil
}

// cachedPostings are a term's postings in some segments, a
// bleveindex.TermFieldReader that reads as Scorch's
// IndexSnapshotTermFieldReader (Bleve 2.6.3) does.
type cachedPostings struct {
	c                   *postingsCache
	tl                  *termLists
	freq, norm, vectors bool
	use                 []bool
	its                 []segment.PostingsIterator // nil for a segment not read
	zits                []*zap.PostingsIterator    // its, when zapx's: called directly
	seg                 int                        // the segment read
	started             bool                       // a posting was returned
	cur                 bleveindex.IndexInternalID // its ID
	// lazy: set leaves the vectors out, and fillVectors reads those of
	// last, the posting returned last (lazyVectors).
	lazy bool
	last segment.Posting
}

var reflectStaticSizeCachedPostings = int(reflect.TypeOf(cachedPostings{}).Size())

// open starts the postings anew.
func (r *cachedPostings) open() {
	if r.its == nil {
		r.its = make([]segment.PostingsIterator, len(r.use))
		r.zits = make([]*zap.PostingsIterator, len(r.use))
	}
	for i, pl := range r.tl.pls {
		if r.use[i] {
			r.its[i] = pl.Iterator(r.freq, r.norm, r.vectors, r.its[i])
			r.zits[i], _ = r.its[i].(*zap.PostingsIterator)
		}
	}
	r.seg, r.started, r.cur = 0, false, r.cur[:0]
}

// set fills rv with posting p of segment seg.
func (r *cachedPostings) set(seg int, p segment.Posting, rv *bleveindex.TermFieldDoc) *bleveindex.TermFieldDoc {
	return r.setNum(seg, p.Number(), p.Frequency(), p.Norm(), p, rv)
}

// setZap is set for a posting of zapx, read without an interface.
func (r *cachedPostings) setZap(seg int, p *zap.Posting, rv *bleveindex.TermFieldDoc) *bleveindex.TermFieldDoc {
	return r.setNum(seg, p.Number(), p.Frequency(), p.Norm(), p, rv)
}

// setNum fills rv with posting p of segment seg, its document number num
// there, of frequency freq and norm norm.
func (r *cachedPostings) setNum(seg int, num, freq uint64, norm float64, p segment.Posting, rv *bleveindex.TermFieldDoc) *bleveindex.TermFieldDoc {
	if rv == nil {
		rv = &bleveindex.TermFieldDoc{}
	}
	rv.ID = bleveindex.NewIndexInternalID(rv.ID, num+r.c.offsets[seg])
	if r.freq {
		rv.Freq = freq
	}
	if r.norm {
		rv.Norm = norm
	}
	if r.vectors && r.lazy {
		r.last = p
		rv.Vectors = rv.Vectors[:0]
	} else if r.vectors {
		r.fill(p, rv)
	}
	r.cur, r.started = append(r.cur[:0], rv.ID...), true
	return rv
}

// fill fills rv's vectors with the locations of p.
func (r *cachedPostings) fill(p segment.Posting, rv *bleveindex.TermFieldDoc) {
	locs := p.Locations()
	if cap(rv.Vectors) < len(locs) {
		rv.Vectors = make([]*bleveindex.TermFieldVector, len(locs))
		backing := make([]bleveindex.TermFieldVector, len(locs))
		for i := range backing {
			rv.Vectors[i] = &backing[i]
		}
	}
	rv.Vectors = rv.Vectors[:len(locs)]
	for i, loc := range locs {
		*rv.Vectors[i] = bleveindex.TermFieldVector{
			Start:          loc.Start(),
			End:            loc.End(),
			Pos:            loc.Pos(),
			ArrayPositions: loc.ArrayPositions(),
			Field:          loc.Field(),
		}
	}
}

// deferVectors implements lazyVectors.
func (r *cachedPostings) deferVectors() bool {
	r.lazy = r.vectors
	return r.lazy
}

// fillVectors implements lazyVectors.
func (r *cachedPostings) fillVectors(rv *bleveindex.TermFieldDoc) {
	if r.last != nil {
		r.fill(r.last, rv)
	}
}

// positionsAppender is a posting that reads its positions alone (zapx's).
type positionsAppender interface {
	AppendPositions(dst []uint64) []uint64
}

// appendPositions implements lazyVectors.
func (r *cachedPostings) appendPositions(dst []uint64) []uint64 {
	if pa, ok := r.last.(positionsAppender); ok {
		return pa.AppendPositions(dst)
	}
	if r.last != nil {
		for _, l := range r.last.Locations() {
			dst = append(dst, l.Pos())
		}
	}
	return dst
}

// lazyVectors is a term field reader that can leave the term vectors of
// its postings unread until they are asked for: a conjunction of words
// lands on many postings whose positions it never reads (issue #15).
type lazyVectors interface {
	// deferVectors makes the reader return its postings without their
	// vectors, if it reads them and can, and reports whether it does.
	deferVectors() bool
	// fillVectors fills the vectors of rv, the posting returned last,
	// before the reader moves on.
	fillVectors(rv *bleveindex.TermFieldDoc)
	// appendPositions appends the positions of the vectors of the
	// posting returned last to dst, before the reader moves on, instead
	// of fillVectors: one or the other, once.
	appendPositions(dst []uint64) []uint64
}

// Next implements bleveindex.TermFieldReader.
func (r *cachedPostings) Next(pre *bleveindex.TermFieldDoc) (*bleveindex.TermFieldDoc, error) {
	for ; r.seg < len(r.its); r.seg++ {
		if z := r.zits[r.seg]; z != nil {
			p, err := z.AdvancePosting(0)
			if err != nil {
				return nil, err
			}
			if p != nil {
				return r.setZap(r.seg, p, pre), nil
			}
			continue
		}
		it := r.its[r.seg]
		if it == nil {
			continue
		}
		p, err := it.Next()
		if err != nil {
			return nil, err
		}
		if p != nil {
			return r.set(r.seg, p, pre), nil
		}
	}
	return nil, nil
}

// Advance implements bleveindex.TermFieldReader: going back starts the
// postings anew, as Scorch's reader does.
func (r *cachedPostings) Advance(id bleveindex.IndexInternalID, pre *bleveindex.TermFieldDoc) (*bleveindex.TermFieldDoc, error) {
	if r.started && cmpID(r.cur, id) >= 0 {
		r.open()
	}
	seg, local := r.c.segmentFrom(r.seg, id.Value())
	if seg >= len(r.its) {
		return nil, fmt.Errorf("computed segment index %d out of bounds %d", seg, len(r.its))
	}
	r.seg = seg
	if z := r.zits[seg]; z != nil {
		p, err := z.AdvancePosting(local)
		if err != nil {
			return nil, err
		}
		if p != nil {
			return r.setZap(seg, p, pre), nil
		}
	} else if it := r.its[seg]; it != nil {
		p, err := it.Advance(local)
		if err != nil {
			return nil, err
		}
		if p != nil {
			return r.set(seg, p, pre), nil
		}
	}
	return r.Next(pre)
}

// Count implements bleveindex.TermFieldReader: the count in the whole
// snapshot.
func (r *cachedPostings) Count() uint64 { return r.tl.count }

// Close implements bleveindex.TermFieldReader.
func (r *cachedPostings) Close() error { return nil }

// Size implements bleveindex.TermFieldReader.
func (r *cachedPostings) Size() int {
	n := reflectStaticSizeCachedPostings + len(r.cur)
	for _, it := range r.its {
		if it != nil {
			n += it.Size()
		}
	}
	return n
}
