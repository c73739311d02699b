// Copyright (c) 2026 the rapports authors. Licensed under the Apache
// License, Version 2.0 (see LICENSE). Added by the rapports fork.

package zap

import (
	"slices"
	"strings"
)

// termOrder is a term of a field being sorted: the first 8 bytes of
// termPids[idx].term, big-endian and 0-padded, and idx.
type termOrder struct {
	prefix uint64
	idx    uint32
}

const (
	radixBits = 11
	radixSize = 1 << radixBits
	// radixPasses of radixBits cover the 64 bits of a prefix
	radixPasses = (64 + radixBits - 1) / radixBits
	// below radixMin terms a comparison sort is faster
	radixMin = 256
)

// radixCounts are sortedTerms' counts of digits, kept with the interim
// (48 KB).
type radixCounts [radixPasses][radixSize]uint32

// sortedTerms returns keys in the order of their terms, as indexes into
// keys, in out[:0] (tmp is scratch space): an LSD radix sort of the
// terms' 8-byte prefixes, then the terms of one prefix sorted by their
// bytes. The order is that of slices.SortFunc(keys, compareTermPids),
// in a third of its time on the fields of 500 reports, without moving
// the keys (whose strings are pointers for the garbage collector) nor
// reading their bytes but for equal prefixes.
func sortedTerms(keys []termPid, out, tmp []termOrder, counts *radixCounts) (sorted, scratch []termOrder) {
	n := len(keys)
	out, tmp = slices.Grow(out[:0], n)[:n], slices.Grow(tmp[:0], n)[:n]
	for k := range keys {
		out[k] = termOrder{prefix: keys[k].prefix, idx: uint32(k)}
	}
	if n < radixMin {
		slices.SortFunc(out, func(a, b termOrder) int {
			if a.prefix != b.prefix {
				if a.prefix < b.prefix {
					return -1
				}
				return 1
			}
			return strings.Compare(keys[a.idx].term, keys[b.idx].term)
		})
		return out, tmp
	}
	clear(counts[:])
	for _, t := range out {
		for p := range radixPasses {
			counts[p][t.prefix>>(p*radixBits)&(radixSize-1)]++
		}
	}
	for p := range radixPasses {
		c := &counts[p]
		if c[out[0].prefix>>(p*radixBits)&(radixSize-1)] == uint32(n) {
			continue // one digit for all: the pass keeps the order
		}
		var at uint32
		for d := range c {
			at, c[d] = at+c[d], at
		}
		for _, t := range out {
			d := t.prefix >> (p * radixBits) & (radixSize - 1)
			tmp[c[d]] = t
			c[d]++
		}
		out, tmp = tmp, out
	}
	// the terms of one prefix, in the order of their bytes
	for start := 0; start < n; {
		end := start + 1
		for end < n && out[end].prefix == out[start].prefix {
			end++
		}
		if end-start > 1 {
			slices.SortFunc(out[start:end], func(a, b termOrder) int {
				return strings.Compare(keys[a.idx].term, keys[b.idx].term)
			})
		}
		start = end
	}
	return out, tmp
}
