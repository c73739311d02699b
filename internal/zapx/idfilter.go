// Copyright (c) 2026 the rapports authors. Licensed under the Apache
// License, Version 2.0 (see LICENSE). Added by the rapports fork.

package zap

import (
	"hash/maphash"
	"math/bits"

	"github.com/blevesearch/vellum"
)

// idFilter is a blocked Bloom filter of the _id terms of a segment: an id
// it does not hold is not in the segment. Scorch looks the ids of each new
// batch up in every segment (DocNumbers) to find the documents they
// replace; when the ids are new, as when indexing a corpus, each lookup
// walked the _id FST to a missing transition: 1.9 of the 53 CPU-s of
// indexing the 233,987 reports of tvnews-fr. A lookup here reads one
// 64-bit word (4 bits of it, 16 bits of filter per id: about 1 false
// positive in 200, which the FST then answers).
type idFilter struct {
	words []uint64
	mask  uint64
}

var idFilterSeed = maphash.MakeSeed()

// newIDFilter returns a filter sized for n ids.
func newIDFilter(n int) *idFilter {
	size := 1 << bits.Len(uint(max(1, n/4)))
	return &idFilter{words: make([]uint64, size), mask: uint64(size - 1)}
}

// idFilterBits returns the word of the filter and its 4 bits for hash h.
func (f *idFilter) idFilterBits(h uint64) (uint64, uint64) {
	return h & f.mask, 1<<(h>>40&63) | 1<<(h>>46&63) | 1<<(h>>52&63) | 1<<(h>>58)
}

// add records id.
func (f *idFilter) add(id []byte) {
	w, b := f.idFilterBits(maphash.Bytes(idFilterSeed, id))
	f.words[w] |= b
}

// mayHave says whether id may have been added (false: it was not).
func (f *idFilter) mayHave(id string) bool {
	w, b := f.idFilterBits(maphash.String(idFilterSeed, id))
	return f.words[w]&b == b
}

// idFilterOf returns the filter of the terms of fst, the _id dictionary
// of sb, made on first use (two goroutines may both make it: the same).
func (sb *SegmentBase) idFilterOf(fst *vellum.FST) (*idFilter, error) {
	if f := sb.ids.Load(); f != nil {
		return f, nil
	}
	f := newIDFilter(fst.Len())
	itr, err := fst.Iterator(nil, nil)
	for err == nil {
		key, _ := itr.Current()
		f.add(key)
		err = itr.Next()
	}
	if err != vellum.ErrIteratorDone {
		return nil, err
	}
	sb.ids.Store(f)
	return f, nil
}
