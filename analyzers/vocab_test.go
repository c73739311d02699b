package analyzers

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// recordTerms returns the terms and share of FieldLength of the record of
// word in v, adding it, and the terms' ids.
func recordTerms(v *vocab, word string) (terms []string, length int, ids []uint32) {
	view := *v.view.Load()
	off := v.lookup(v.table.Load(), &view, []byte(word))
	nterms, length, idsAt, at := record(view, off)
	for k := range nterms {
		id := binary.LittleEndian.Uint32(view[idsAt+8*k:])
		n := int(binary.LittleEndian.Uint32(view[idsAt+8*k+4:]))
		terms = append(terms, string(view[at:at+n]))
		ids = append(ids, id)
		at += n
	}
	return terms, length, ids
}

// TestVocabRecords checks that the records of a generation give each word
// the terms and share of FieldLength that wordTermsOf and filterIndex
// give, one id per term, in a new generation and in the one after it
// (whose words come from the first), while the tables grow.
func TestVocabRecords(t *testing.T) {
	words := []string{
		"armée", "armées", "armee", "le", "de", "l", "1er", "2ème", "travail", "travaux",
		"aujourd'hui", "états-unis", "œuvre", "etait", "était", "x", "é",
		strings.Repeat("é", maxVocabWordLen/2), strings.Repeat("a", maxVocabWordLen),
	}
	for i := range 3000 { // past the first sizes of both tables
		words = append(words, "mot"+strconv.Itoa(i))
	}
	first := newVocab(nil)
	second := newVocab(first)
	for _, v := range []*vocab{first, second} {
		idOf := map[string]uint32{}
		termOf := map[uint32]string{}
		for round := range 2 {
			for _, w := range words {
				terms, length, ids := recordTerms(v, w)
				wantTerms, wantLength := wantWordTerms(w)
				if !slices.Equal(terms, wantTerms) || length != wantLength {
					t.Fatalf("generation %d, round %d: %q has terms %q, length %d; want %q, %d",
						v.gen, round, w, terms, length, wantTerms, wantLength)
				}
				for k, id := range ids {
					if prev, ok := idOf[terms[k]]; ok && prev != id {
						t.Errorf("%q has ids %d and %d", terms[k], prev, id)
					}
					if prev, ok := termOf[id]; ok && prev != terms[k] {
						t.Errorf("id %d is %q and %q", id, prev, terms[k])
					}
					idOf[terms[k]], termOf[id] = id, terms[k]
				}
			}
		}
		if v.size != len(words) {
			t.Errorf("generation %d holds %d words; want %d", v.gen, v.size, len(words))
		}
	}
}

// wantWordTerms is what filterIndex gives a word without keywords: its
// exact form then its stems not marked, or its exact form alone, counting
// for its stems in FieldLength, when its first stem is marked.
func wantWordTerms(w string) ([]string, int) {
	wt := wordTermsOf([]byte(w))
	terms := []string{string(wt.exact())}
	stems := wt.stems()
	if stems == nil {
		return terms, 1
	}
	if isMarked(stems[0]) {
		return terms, 1 + min(len(stems)-1, maxAlone)
	}
	for i, st := range stems {
		if i == 0 || !isMarked(st) {
			terms = append(terms, string(st))
		}
	}
	return terms, len(terms)
}

// TestVocabConcurrent adds the same words from goroutines side by side,
// with small generations: every goroutine must see the same terms for a
// word and one id per term in a generation (run with -race).
func TestVocabConcurrent(t *testing.T) {
	defer func(n int) { maxVocabWords = n }(maxVocabWords)
	maxVocabWords = 500
	currentVocab.Store(newVocab(nil))
	start := currentVocab.Load().gen
	var words []string
	for i := range 2000 {
		words = append(words, fmt.Sprintf("mot%d", i%700), "armée", fmt.Sprintf("état%d", i))
	}
	var ids sync.Map // [2]any{gen, term} -> id
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range words {
				w := words[(i*7+g*13)%len(words)]
				v := currentVocab.Load()
				terms, _, got := recordTerms(v, w)
				if want, _ := wantWordTerms(w); !slices.Equal(terms, want) {
					t.Errorf("%q has terms %q; want %q", w, terms, want)
				}
				for k, id := range got {
					if prev, loaded := ids.LoadOrStore([2]any{v.gen, terms[k]}, id); loaded && prev != id {
						t.Errorf("generation %d: %q has ids %d and %d", v.gen, terms[k], prev, id)
					}
				}
			}
		})
	}
	wg.Wait()
	if v := currentVocab.Load(); v.size >= maxVocabWords || v.gen < start+2 {
		t.Errorf("generation %d of %d words; want a third generation or later of fewer than %d", v.gen, v.size, maxVocabWords)
	}
}

// TestVocabPrev checks that a generation takes the terms of a word from
// the generation before it when that one holds the word: a term altered
// in the first generation's record is the second's.
func TestVocabPrev(t *testing.T) {
	first := newVocab(nil)
	terms, _, _ := recordTerms(first, "armées")
	if len(terms) < 2 {
		t.Fatalf("armées has terms %q; want a stem", terms)
	}
	last := terms[len(terms)-1]
	view := *first.view.Load()
	off := len(view) - len(last) // the last term's bytes end the record
	if string(view[off:]) != last {
		t.Fatalf("the record ends with %q; want %q", view[off:], last)
	}
	view[off] = 'X'
	want := slices.Clone(terms)
	want[len(want)-1] = "X" + last[1:]
	second := newVocab(first)
	if got, _, _ := recordTerms(second, "armées"); !slices.Equal(got, want) {
		t.Errorf("the second generation gives armées the terms %q; want those of the first, %q", got, want)
	}
	if got, _, _ := recordTerms(newVocab(nil), "armées"); !slices.Equal(got, terms) {
		t.Errorf("a new generation gives armées the terms %q; want %q", got, terms)
	}
}

// TestTouch checks what wordTable.touch reads: the first byte of the
// record of each word found at its first slot (the low byte of the
// word's length), nothing for a hash whose slot is free or whose record
// is past the view.
func TestTouch(t *testing.T) {
	v := newVocab(nil)
	words := []string{"armée", "le", "de", strings.Repeat("x", 300)}
	for _, w := range words {
		recordTerms(v, w)
	}
	view := *v.view.Load()
	table := v.table.Load()
	var hs []uint64
	want := byte(0)
	for _, w := range words {
		h := hashBytes([]byte(w))
		hs = append(hs, h)
		if s := table.slots[h&uint64(len(table.slots)-1)]; s != 0 {
			want ^= byte(len(w))
		}
	}
	free := uint64(0) // a hash whose first slot is free
	for table.slots[free] != 0 {
		free++
	}
	for _, tc := range []struct {
		name string
		hs   []uint64
		view []byte
		want byte
	}{
		{"none", nil, view, 0},
		{"the words", hs, view, want},
		{"a free slot", []uint64{free}, view, 0},
		{"an empty view", hs, nil, 0},
	} {
		if got := table.touch(tc.hs, tc.view); got != tc.want {
			t.Errorf("%s: touch = %#x; want %#x", tc.name, got, tc.want)
		}
	}
}
