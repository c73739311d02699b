package index

import (
	"context"
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2/index/scorch"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// TestCachedPostings checks that a postingsCache's postings read as
// Scorch's term field reader: the same documents, frequencies, norms and
// locations, by Next and by Advance (back too), with the whole snapshot's
// count, on a disk index of several segments; and that reading some
// segments only gives those of their documents.
func TestCachedPostings(t *testing.T) {
	ctx := context.Background()
	idx, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	adv, err := idx.bi.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	var most mostSegments
	defer most.close()
	reports := append(pagingReports(400), phraseReports()...)
	for i := 0; i < len(reports); i += 40 {
		if err := idx.Add(ctx, reports[i:min(i+40, len(reports))]...); err != nil {
			t.Fatal(err)
		}
		if i == 200 {
			if err := idx.Delete(ctx, "r0005"); err != nil {
				t.Fatal(err)
			}
		}
		most.see(t, adv)
	}
	snap := most.snap
	c := &postingsCache{}
	if !c.serves(snap) {
		t.Fatal("the cache does not serve its first snapshot")
	}
	if len(c.segs) < 2 {
		t.Fatalf("%d segments; want several", len(c.segs))
	}
	type doc struct {
		num     uint64
		freq    uint64
		norm    float64
		vectors []bleveindex.TermFieldVector
	}
	read := func(tfr bleveindex.TermFieldReader, steps []uint64) []doc {
		var out []doc
		var pre bleveindex.TermFieldDoc
		for _, s := range steps {
			var d *bleveindex.TermFieldDoc
			if s == 0 {
				d, err = tfr.Next(pre.Reset())
			} else {
				d, err = tfr.Advance(bleveindex.NewIndexInternalID(nil, s-1), pre.Reset())
			}
			if err != nil {
				t.Fatal(err)
			}
			if d == nil {
				out = append(out, doc{num: 1 << 62})
				continue
			}
			o := doc{num: d.ID.Value(), freq: d.Freq, norm: d.Norm}
			for _, v := range d.Vectors {
				o.vectors = append(o.vectors, *v)
			}
			out = append(out, o)
		}
		return out
	}
	next := make([]uint64, 200)
	total := c.offsets[len(c.segs)]
	// Advance to document n is step n+1.
	advances := []uint64{0, 0, 3, 30, 31, 0, 10, 0, 61, 62, total - 1, 0, 2, 0, 0}
	type fieldTerm struct{ field, term string }
	terms := []fieldTerm{{fieldBody, "absent-partout"}, {fieldCountries, "FR"}}
	for _, field := range []string{fieldBody, fieldTitle} {
		// The terms of many reports.
		d, err := snap.FieldDict(field)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for e, err := d.Next(); e != nil && n < 4; e, err = d.Next() {
			if err != nil {
				t.Fatal(err)
			}
			if e.Count >= 10 {
				terms, n = append(terms, fieldTerm{field, e.Term}), n+1
			}
		}
		d.Close()
		if n == 0 {
			t.Fatalf("no term of %s in 10 reports", field)
		}
	}
	for _, tc := range terms {
		for _, vectors := range []bool{false, true} {
			for _, steps := range [][]uint64{next, advances} {
				want, err := snap.TermFieldReader(ctx, []byte(tc.term), tc.field, true, true, vectors)
				if err != nil {
					t.Fatal(err)
				}
				got, err := c.reader(tc.field, []byte(tc.term), true, true, vectors, func(int) bool { return true })
				if err != nil {
					t.Fatal(err)
				}
				if got.Count() != want.Count() {
					t.Errorf("%s:%s: count %d; want %d", tc.field, tc.term, got.Count(), want.Count())
				}
				if g, w := read(got, steps), read(want, steps); !reflect.DeepEqual(g, w) {
					t.Errorf("%s:%s vectors %v steps %v:\n%v\nwant\n%v", tc.field, tc.term, vectors, steps[:3], g, w)
				}
				want.Close()
			}
		}
		// The odd segments only.
		got, err := c.reader(tc.field, []byte(tc.term), true, true, false, func(i int) bool { return i%2 == 1 })
		if err != nil {
			t.Fatal(err)
		}
		want, err := snap.TermFieldReader(ctx, []byte(tc.term), tc.field, true, true, false)
		if err != nil {
			t.Fatal(err)
		}
		var wantOdd []doc
		for _, d := range read(want, next) {
			if i, _ := c.segment(d.num); d.num == 1<<62 || i%2 == 1 {
				wantOdd = append(wantOdd, d)
			}
		}
		gotOdd := read(got, next[:len(wantOdd)])
		if !reflect.DeepEqual(gotOdd, wantOdd) {
			t.Errorf("%s:%s odd segments:\n%v\nwant\n%v", tc.field, tc.term, gotOdd, wantOdd)
		}
	}
}

// mostSegments keeps, of the snapshots of an index seen between its
// batches, the one of the most segments: merges in the background make
// fewer, and a reader keeps its snapshot.
type mostSegments struct {
	r    bleveindex.IndexReader
	snap *scorch.IndexSnapshot
}

// see takes a reader of adv's current snapshot, and keeps it when it has
// more segments than the one kept.
func (m *mostSegments) see(t *testing.T, adv bleveindex.Index) {
	t.Helper()
	next, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	s, ok := next.(*scorch.IndexSnapshot)
	if !ok {
		t.Fatalf("reader %T is not Scorch's", next)
	}
	if m.snap != nil && len(s.Segments()) <= len(m.snap.Segments()) {
		next.Close()
		return
	}
	m.close()
	m.r, m.snap = next, s
}

// close closes the reader kept.
func (m *mostSegments) close() {
	if m.r != nil {
		m.r.Close()
	}
}
