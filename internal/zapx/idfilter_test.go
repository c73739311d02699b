// Copyright (c) 2026 the rapports authors. Licensed under the Apache
// License, Version 2.0 (see LICENSE). Added by the rapports fork.

package zap

import (
	"fmt"
	"math/rand"
	"slices"
	"testing"
)

// TestIDFilter checks that an idFilter holds every id added and few others.
func TestIDFilter(t *testing.T) {
	for _, n := range []int{0, 1, 100, 40000} {
		t.Run(fmt.Sprint(n, " ids"), func(t *testing.T) {
			f := newIDFilter(n)
			for k := range n {
				f.add(fmt.Appendf(nil, "tv-%012x", k))
			}
			for k := range n {
				if id := fmt.Sprintf("tv-%012x", k); !f.mayHave(id) {
					t.Fatalf("%s added, not held", id)
				}
			}
			wrong := 0
			const others = 20000
			for k := range others {
				if f.mayHave(fmt.Sprintf("tv-%012x", n+k)) {
					wrong++
				}
			}
			if n > 0 && wrong > others/50 {
				t.Errorf("%d false positives in %d ids not added", wrong, others)
			}
		})
	}
}

// TestDocNumbers checks that DocNumbers finds the documents of ids
// present, and none of ids absent, through the filter.
func TestDocNumbers(t *testing.T) {
	r := rand.New(rand.NewSource(15))
	docs, _ := compactCorpus(r, 300, []map[string]uint32{{}}, true)
	s, _, err := (&ZapPlugin{}).New(docs)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sb := s.(*SegmentBase)
	tests := []struct {
		name string
		ids  []string
		want []uint32
	}{
		{"none", nil, nil},
		{"present", []string{"d0000", "d0007", "d0299"}, []uint32{0, 7, 299}},
		{"absent", []string{"d0300", "d1000", "a", "zzz", ""}, nil},
		{"mixed", []string{"d9999", "d0150", "d0150", "x", "d0001"}, []uint32{1, 150}},
	}
	for round := range 2 { // the filter made, then reused
		for _, tc := range tests {
			t.Run(fmt.Sprint(tc.name, " ", round), func(t *testing.T) {
				bm, err := sb.DocNumbers(tc.ids)
				if err != nil {
					t.Fatal(err)
				}
				if got := bm.ToArray(); !slices.Equal(got, tc.want) {
					t.Errorf("DocNumbers(%q) = %v, want %v", tc.ids, got, tc.want)
				}
			})
		}
	}
}

// BenchmarkDocNumbers looks 500 new ids up in a segment of 2,000
// documents: by DocNumbers, and by the _id FST alone (zapx v17's loop).
func BenchmarkDocNumbers(b *testing.B) {
	r := rand.New(rand.NewSource(15))
	docs, _ := compactCorpus(r, 2000, []map[string]uint32{{}}, true)
	s, _, err := (&ZapPlugin{}).New(docs)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	sb := s.(*SegmentBase)
	var ids []string
	for k := range 500 {
		ids = append(ids, fmt.Sprintf("d%04d", 2000+k))
	}
	b.Run("DocNumbers", func(b *testing.B) {
		for b.Loop() {
			if _, err := sb.DocNumbers(ids); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("FST", func(b *testing.B) {
		dict, err := sb.dictionary("_id")
		if err != nil {
			b.Fatal(err)
		}
		pl := emptyPostingsList
		for b.Loop() {
			for _, id := range ids {
				if pl, err = dict.postingsList([]byte(id), nil, pl); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
