// Copyright (c) 2026 the rapports authors. Licensed under the Apache
// License, Version 2.0 (see LICENSE). Added by the rapports fork.

package zap

import (
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"
)

// compareTermPids orders termPids by term, as sortedTerms must.
func compareTermPids(a, b termPid) int {
	return strings.Compare(a.term, b.term)
}

// TestSortedTerms checks that sortedTerms gives the order of the terms'
// bytes, below and above radixMin terms, with terms sharing their first 8
// bytes or more, shorter than 8 bytes, empty, with NUL or high bytes.
func TestSortedTerms(t *testing.T) {
	r := rand.New(rand.NewSource(15))
	randomTerm := func() string {
		stems := []string{"", "a", "gouvernement", "gouverne", "constitution", "é", "\x00", "zz\xff", "ab\x00c"}
		var b strings.Builder
		b.WriteString(stems[r.Intn(len(stems))])
		const letters = "abcdeéz\x00\xc3\xa9\xff"
		for range r.Intn(12) {
			b.WriteByte(letters[r.Intn(len(letters))])
		}
		return b.String()
	}
	counts := new(radixCounts)
	var out, tmp []termOrder
	for _, n := range []int{0, 1, 2, radixMin - 1, radixMin, 3000, 20000} {
		t.Run(fmt.Sprint(n, " terms"), func(t *testing.T) {
			seen := map[string]bool{}
			var keys []termPid
			for len(keys) < n {
				term := randomTerm()
				if len(seen) > 0 && r.Intn(3) == 0 { // a neighbour of a term met
					term = keys[r.Intn(len(keys))].term + string(rune('a'+r.Intn(3)))
				}
				if !seen[term] {
					seen[term] = true
					keys = append(keys, newTermPid(term, uint32(len(keys))))
				}
			}
			var sorted []termOrder
			sorted, tmp = sortedTerms(keys, out, tmp, counts)
			out = sorted
			want := slices.Clone(keys)
			slices.SortFunc(want, compareTermPids)
			if len(sorted) != len(want) {
				t.Fatalf("%d terms sorted, want %d", len(sorted), len(want))
			}
			for k, o := range sorted {
				if got := keys[o.idx]; got.term != want[k].term || got.pid != want[k].pid {
					t.Fatalf("term %d: %q (pid %d), want %q (pid %d)", k, got.term, got.pid, want[k].term, want[k].pid)
				}
			}
		})
	}
}

// BenchmarkSortedTerms sorts 10,000 terms of the kind of a field of 500
// reports: by sortedTerms, and by slices.SortFunc comparing prefixes then
// terms (what realloc did before).
func BenchmarkSortedTerms(b *testing.B) {
	r := rand.New(rand.NewSource(15))
	const letters = "aaaeeeiioouunnrrsstlcdmpéèçàgbvhfqjxyzk"
	seen := map[string]bool{}
	var keys []termPid
	for len(keys) < 10000 {
		var t strings.Builder
		for range 2 + r.Intn(10) {
			t.WriteByte(letters[r.Intn(len(letters))])
		}
		if term := t.String(); !seen[term] {
			seen[term] = true
			keys = append(keys, newTermPid(term, uint32(len(keys))))
		}
	}
	b.Run("sortedTerms", func(b *testing.B) {
		counts := new(radixCounts)
		var out, tmp []termOrder
		for b.Loop() {
			out, tmp = sortedTerms(keys, out, tmp, counts)
		}
	})
	b.Run("SortFunc", func(b *testing.B) {
		work := slices.Clone(keys)
		for b.Loop() {
			copy(work, keys)
			slices.SortFunc(work, func(a, b termPid) int {
				if a.prefix != b.prefix {
					if a.prefix < b.prefix {
						return -1
					}
					return 1
				}
				return strings.Compare(a.term, b.term)
			})
		}
	})
}
