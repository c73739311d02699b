package analyzers

import (
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/blevesearch/bleve/v2/analysis"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// IndexFrequencies analyses text with a, an analyzer whose chain ends with
// IndexTermsName (such as IndexName), and returns what Bleve's
// analysis.TokenFrequency gives for its tokens with term vectors (each term
// with its locations, in token order, each with arrayPositions) and their
// FieldLength. It does not build the tokens of the exact forms and stems:
// each word is looked up once, without a lock, in a vocabulary that holds
// each word's terms resolved, the text's terms are counted by their ids,
// and the terms of a word share one location (the same position and
// offsets: equal records).
// It may modify text, as a.Analyze does. ok is false, and nothing is done,
// when a is not such an analyzer.
func IndexFrequencies(a analysis.Analyzer, text []byte, arrayPositions []uint64) (freqs bleveindex.TokenFrequencies, length int, ok bool) {
	da, isDefault := a.(*analysis.DefaultAnalyzer)
	if !isDefault || len(da.CharFilters) > 0 || len(da.TokenFilters) == 0 {
		return nil, 0, false
	}
	last, isTerms := da.TokenFilters[len(da.TokenFilters)-1].(*frenchTermsFilter)
	if !isTerms || !last.exact {
		return nil, 0, false
	}
	tokens := da.Tokenizer.Tokenize(text)
	for _, f := range da.TokenFilters[:len(da.TokenFilters)-1] {
		tokens = f.Filter(tokens)
	}
	for _, t := range tokens {
		if t.KeyWord {
			// No filter of IndexName's chain makes keywords before
			// IndexTermsName; another chain's are left to Bleve's path.
			tokens = last.Filter(tokens)
			return tokenFrequency(tokens, arrayPositions), FieldLength(tokens), true
		}
	}
	freqs, length = frequencies(last, tokens, arrayPositions)
	return freqs, length, true
}

// vocab is a generation of the vocabulary of IndexFrequencies: each word
// seen with its terms resolved, each term once. Lookups read an immutable
// snapshot of the words without a lock; a word not in it is added, under
// the lock, to pending, which becomes part of a new snapshot once it holds
// a quarter as many words. A term is one record in a generation, so that a
// text's terms are counted by their ids. When a generation holds
// maxVocabWords words, a new one replaces it; calls that started with the
// old one finish with it.
type vocab struct {
	words atomic.Pointer[map[string]*vocabWord]

	mu      sync.Mutex
	pending map[string]*vocabWord
	terms   map[string]*vocabTerm
	size    int // words in the snapshot and pending
}

// vocabWord is what a word gives in an IndexTermsName field: its terms, in
// the order filterIndex emits them, and its share of FieldLength.
type vocabWord struct {
	terms  []*vocabTerm
	length int32
}

// vocabTerm is a term of a generation: its bytes as a string (the key of
// the maps returned) and its id.
type vocabTerm struct {
	key string
	id  int32
}

// maxVocabWords is the most words a vocab generation holds (about 40 MB);
// a variable for tests.
var maxVocabWords = 1 << 18

var currentVocab atomic.Pointer[vocab]

func newVocab() *vocab {
	v := &vocab{pending: make(map[string]*vocabWord), terms: make(map[string]*vocabTerm)}
	empty := map[string]*vocabWord{}
	v.words.Store(&empty)
	return v
}

func init() { currentVocab.Store(newVocab()) }

// add returns the terms of word, which the snapshot does not hold, adding
// them.
func (v *vocab) add(f *frenchTermsFilter, word []byte) *vocabWord {
	v.mu.Lock()
	if w, ok := v.pending[string(word)]; ok {
		v.mu.Unlock()
		return w
	}
	v.mu.Unlock()
	wt := f.terms(word) // outside the lock: stemming a new word is slow
	v.mu.Lock()
	defer v.mu.Unlock()
	if w, ok := v.pending[string(word)]; ok {
		return w
	}
	w := &vocabWord{length: 1}
	w.terms = append(make([]*vocabTerm, 0, 1+len(wt.stems())), v.term(wt.exact()))
	if stems := wt.stems(); stems != nil {
		if isMarked(stems[0]) {
			// Stored alone: see filterIndex and FieldLength.
			w.length += int32(min(len(stems)-1, maxAlone))
		} else {
			w.terms = append(w.terms, v.term(stems[0]))
			for _, st := range stems[1:] {
				if !isMarked(st) {
					w.terms = append(w.terms, v.term(st))
				}
			}
			w.length = int32(len(w.terms))
		}
	}
	v.pending[string(word)] = w
	v.size++
	snapshot := *v.words.Load()
	if len(v.pending) >= max(256, len(snapshot)/4) {
		next := make(map[string]*vocabWord, len(snapshot)+len(v.pending))
		for k, x := range snapshot {
			next[k] = x
		}
		for k, x := range v.pending {
			next[k] = x
		}
		v.words.Store(&next)
		v.pending = make(map[string]*vocabWord)
	}
	if v.size >= maxVocabWords {
		currentVocab.CompareAndSwap(v, newVocab())
	}
	return w
}

// term returns the record of term, adding it; v.mu is held. term's bytes
// are the filter's cache's, never modified: the key shares them.
func (v *vocab) term(term []byte) *vocabTerm {
	if t, ok := v.terms[string(term)]; ok {
		return t
	}
	key := ""
	if len(term) > 0 {
		key = unsafe.String(&term[0], len(term))
	}
	t := &vocabTerm{key: key, id: int32(len(v.terms))}
	v.terms[key] = t
	return t
}

// freqScratch is what one call of frequencies needs, pooled.
type freqScratch struct {
	occ    []*vocabWord // word of each token
	ids    []int32      // text id of each term of each token, in order
	seen   []*vocabTerm // terms of the text, by text id
	counts []int32      // tokens of each text id

	// An open-addressing table from a term's id to its text id: a slot
	// whose key's high half is not stamp is free, so that a new call
	// starts with an empty table without clearing it.
	keys  []uint64 // stamp<<32 | id of the term
	vals  []int32  // text id
	stamp uint32
}

var scratchPool = sync.Pool{New: func() any { return new(freqScratch) }}

// slot returns the slot of the term whose id is id.
func slot(id int32, mask uint32) uint32 { return (uint32(id) * 0x9E3779B1) >> 8 & mask }

// textID returns the id in the text of t, adding it.
func (sc *freqScratch) textID(t *vocabTerm) int32 {
	if 2*len(sc.seen) >= len(sc.keys) {
		sc.grow()
	}
	mask := uint32(len(sc.keys) - 1)
	key := uint64(sc.stamp)<<32 | uint64(uint32(t.id))
	for h := slot(t.id, mask); ; h = (h + 1) & mask {
		k := sc.keys[h]
		if k == key {
			return sc.vals[h]
		}
		if uint32(k>>32) != sc.stamp {
			id := int32(len(sc.seen))
			sc.keys[h], sc.vals[h] = key, id
			sc.seen = append(sc.seen, t)
			sc.counts = append(sc.counts, 0)
			return id
		}
	}
}

// grow doubles the table and puts the terms seen back in it.
func (sc *freqScratch) grow() {
	n := max(1024, 2*len(sc.keys))
	sc.keys, sc.vals = make([]uint64, n), make([]int32, n)
	mask := uint32(n - 1)
	for id, t := range sc.seen {
		h := slot(t.id, mask)
		for uint32(sc.keys[h]>>32) == sc.stamp {
			h = (h + 1) & mask
		}
		sc.keys[h], sc.vals[h] = uint64(sc.stamp)<<32|uint64(uint32(t.id)), int32(id)
	}
}

// frequencies is IndexFrequencies for tokens without keywords.
func frequencies(f *frenchTermsFilter, tokens analysis.TokenStream, arrayPositions []uint64) (bleveindex.TokenFrequencies, int) {
	v := currentVocab.Load()
	words := *v.words.Load()
	sc := scratchPool.Get().(*freqScratch)
	defer sc.put()
	sc.stamp++
	if sc.stamp == 0 { // wrapped: no slot may look used
		clear(sc.keys)
		sc.stamp = 1
	}
	// First pass: the word of each token, and the terms of the text in
	// order of first appearance with their number of tokens.
	occ, ids := sc.occ[:0], sc.ids[:0]
	length := 0
	for _, t := range tokens {
		w, ok := words[string(t.Term)]
		if !ok {
			w = v.add(f, t.Term)
		}
		occ = append(occ, w)
		length += int(w.length)
		for _, vt := range w.terms {
			id := sc.textID(vt)
			sc.counts[id]++
			ids = append(ids, id)
		}
	}
	sc.occ, sc.ids = occ, ids
	// Second pass: the records, sized from the first, the locations of all
	// terms in one array of pointers. The terms of a word share its
	// location.
	seen, counts := sc.seen, sc.counts
	freqs := make([]bleveindex.TokenFreq, len(seen))
	locs := make([]bleveindex.TokenLocation, len(tokens))
	ptrs := make([]*bleveindex.TokenLocation, len(ids))
	rv := make(bleveindex.TokenFrequencies, len(seen))
	off := int32(0)
	for id, vt := range seen {
		n := counts[id]
		tf := &freqs[id]
		tf.Term = unsafe.Slice(unsafe.StringData(vt.key), len(vt.key)) // read only
		tf.Locations = ptrs[off : off : off+n]
		tf.SetFrequency(int(n))
		off += n
		rv[vt.key] = tf
	}
	k := 0
	for i, t := range tokens {
		loc := &locs[i]
		*loc = bleveindex.TokenLocation{
			ArrayPositions: arrayPositions,
			Start:          t.Start,
			End:            t.End,
			Position:       t.Position,
		}
		for range occ[i].terms {
			tf := &freqs[ids[k]]
			k++
			tf.Locations = append(tf.Locations, loc)
		}
	}
	return rv, length
}

// maxScratch is the most tokens a pooled freqScratch keeps room for.
const maxScratch = 1 << 16

func (sc *freqScratch) put() {
	if cap(sc.ids) > 2*maxScratch || len(sc.keys) > 2*maxScratch {
		return
	}
	clear(sc.occ) // no word kept alive by the pool
	clear(sc.seen)
	sc.occ, sc.ids, sc.seen, sc.counts = sc.occ[:0], sc.ids[:0], sc.seen[:0], sc.counts[:0]
	scratchPool.Put(sc)
}

// tokenFrequency is analysis.TokenFrequency with term vectors.
func tokenFrequency(tokens analysis.TokenStream, arrayPositions []uint64) bleveindex.TokenFrequencies {
	return analysis.TokenFrequency(tokens, arrayPositions, bleveindex.IncludeTermVectors)
}
