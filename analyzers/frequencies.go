package analyzers

import (
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/blevesearch/bleve/v2/analysis"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// Frequencies is what a text gives an index field, in flat arrays: its
// distinct terms in the order they first appear, each with its number of
// tokens and its locations, and the field's length. It holds what Bleve's
// TokenFrequencies with term vectors holds (see TokenFrequencies) without
// a map, nor a record per term or per location.
type Frequencies struct {
	// Terms are the distinct terms. Read only: they share the bytes of
	// the vocabulary or of the tokens.
	Terms []string
	// Counts[i] is the number of tokens of Terms[i], its frequency.
	Counts []uint32
	// Locs holds the locations, three numbers each (the token's position
	// and its start and end byte offsets): the Counts[0] locations of
	// Terms[0] in token order, then those of Terms[1], and so on.
	Locs []uint32
	// Vocab, when not 0, names the generation of the vocabulary that
	// numbered the terms: in the texts of one generation, one term has
	// one id.
	Vocab uint64
	// IDs[i] is the id of Terms[i] in generation Vocab (nil when Vocab is
	// 0).
	IDs []uint32
	// Length is the field's length for ranking (FieldLength).
	Length int
}

// AnalyzeFrequencies analyses text with a, an analyzer whose chain ends
// with IndexTermsName (such as IndexName), into f: the terms, frequencies,
// locations and FieldLength of its tokens. It does not build the tokens of
// the exact forms and stems: each word is looked up once, without a lock,
// in a vocabulary that holds each word's terms resolved, and the text's
// terms are counted by their ids. It may modify text, as a.Analyze does.
// It returns false, and does nothing, when a is not such an analyzer or
// text is of 4 GiB or more (offsets beyond Locs').
func AnalyzeFrequencies(a analysis.Analyzer, text []byte, f *Frequencies) bool {
	da, isDefault := a.(*analysis.DefaultAnalyzer)
	if !isDefault || len(da.CharFilters) > 0 || len(da.TokenFilters) == 0 || len(text) > math.MaxUint32 {
		return false
	}
	last, isTerms := da.TokenFilters[len(da.TokenFilters)-1].(*frenchTermsFilter)
	if !isTerms || !last.exact {
		return false
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
			return StreamFrequencies(tokens, f)
		}
	}
	frequencies(last, tokens, f)
	return true
}

// IndexFrequencies is AnalyzeFrequencies giving Bleve's TokenFrequencies
// (Frequencies.TokenFrequencies), with arrayPositions in each location.
func IndexFrequencies(a analysis.Analyzer, text []byte, arrayPositions []uint64) (freqs bleveindex.TokenFrequencies, length int, ok bool) {
	var f Frequencies
	if !AnalyzeFrequencies(a, text, &f) {
		return nil, 0, false
	}
	return f.TokenFrequencies(arrayPositions), f.Length, true
}

// TokenFrequencies returns what analysis.TokenFrequency gives with term
// vectors for the tokens f was made of: each term with its frequency and
// its locations in token order, each location with arrayPositions. The
// terms' bytes are f's: read only.
func (f *Frequencies) TokenFrequencies(arrayPositions []uint64) bleveindex.TokenFrequencies {
	freqs := make([]bleveindex.TokenFreq, len(f.Terms))
	locs := make([]bleveindex.TokenLocation, len(f.Locs)/3)
	ptrs := make([]*bleveindex.TokenLocation, len(locs))
	rv := make(bleveindex.TokenFrequencies, len(f.Terms))
	k := 0
	for i, term := range f.Terms {
		n := int(f.Counts[i])
		tf := &freqs[i]
		tf.Term = unsafe.Slice(unsafe.StringData(term), len(term))
		tf.Locations = ptrs[k : k+n : k+n]
		tf.SetFrequency(n)
		for j := range n {
			l := f.Locs[3*(k+j):]
			locs[k+j] = bleveindex.TokenLocation{
				ArrayPositions: arrayPositions,
				Position:       int(l[0]),
				Start:          int(l[1]),
				End:            int(l[2]),
			}
			ptrs[k+j] = &locs[k+j]
		}
		k += n
		rv[term] = tf
	}
	return rv
}

// StreamFrequencies puts into f the terms, frequencies, locations and
// FieldLength of tokens, as Bleve's analysis.TokenFrequency counts them
// (each distinct term with its tokens' locations in order), without
// vocabulary ids; the terms share the tokens' bytes. It returns false,
// and does nothing, when an offset or position is 2^32 or more.
func StreamFrequencies(tokens analysis.TokenStream, f *Frequencies) bool {
	for _, t := range tokens {
		if uint64(t.End)|uint64(t.Start)|uint64(t.Position) > math.MaxUint32 {
			return false
		}
	}
	// First pass: the terms, in order of first appearance, and the term of
	// each token.
	sc := streamPool.Get().(*streamScratch)
	defer sc.put()
	ids := slices.Grow(sc.ids[:0], len(tokens))[:len(tokens)]
	counts, terms := sc.counts[:0], sc.terms[:0]
	for i, t := range tokens {
		id, ok := sc.idxs[string(t.Term)]
		if !ok {
			id = uint32(len(counts))
			term := ""
			if len(t.Term) > 0 {
				term = unsafe.String(&t.Term[0], len(t.Term))
			}
			sc.idxs[term] = id
			counts = append(counts, 0)
			terms = append(terms, term)
		}
		counts[id]++
		ids[i] = id
	}
	n := len(counts)
	ints := make([]uint32, n+3*len(tokens))
	*f = Frequencies{
		Terms:  slices.Clone(terms),
		Counts: ints[:n:n],
		Locs:   ints[n:],
		Length: FieldLength(tokens),
	}
	// Second pass: the locations, each term's from where the previous
	// term's end.
	next := slices.Grow(sc.next[:0], n)[:n]
	off := uint32(0)
	for id, c := range counts {
		f.Counts[id] = c
		next[id] = off
		off += c
	}
	for i, t := range tokens {
		p := 3 * next[ids[i]]
		next[ids[i]]++
		f.Locs[p], f.Locs[p+1], f.Locs[p+2] = uint32(t.Position), uint32(t.Start), uint32(t.End)
	}
	clear(terms)
	sc.ids, sc.counts, sc.terms, sc.next = ids, counts, terms[:0], next
	return true
}

// streamScratch is what one call of StreamFrequencies needs, pooled.
type streamScratch struct {
	idxs              map[string]uint32
	ids, counts, next []uint32
	terms             []string
}

var streamPool = sync.Pool{New: func() any { return &streamScratch{idxs: make(map[string]uint32, 256)} }}

func (sc *streamScratch) put() {
	if len(sc.idxs) > maxScratch || cap(sc.ids) > 4*maxScratch {
		return
	}
	clear(sc.idxs)
	streamPool.Put(sc)
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
	gen   uint64 // Frequencies.Vocab: its number, from 1

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

var (
	currentVocab atomic.Pointer[vocab]
	vocabGens    atomic.Uint64 // generations made so far
)

func newVocab() *vocab {
	v := &vocab{gen: vocabGens.Add(1), pending: make(map[string]*vocabWord), terms: make(map[string]*vocabTerm)}
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
	next   []uint32     // the next location of each text id

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

// frequencies is AnalyzeFrequencies for tokens without keywords.
func frequencies(f *frenchTermsFilter, tokens analysis.TokenStream, out *Frequencies) {
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
	// Second pass: the terms and, in one array sized from the first pass,
	// the locations, each term's from where the previous term's end. The
	// terms of a word have its location.
	seen, counts := sc.seen, sc.counts
	n := len(seen)
	ints := make([]uint32, 2*n+3*len(ids))
	*out = Frequencies{
		Terms:  make([]string, n),
		IDs:    ints[:n:n],
		Counts: ints[n : 2*n : 2*n],
		Locs:   ints[2*n:],
		Vocab:  v.gen,
		Length: length,
	}
	next := slices.Grow(sc.next[:0], n)[:n]
	off := uint32(0)
	for id, vt := range seen {
		c := uint32(counts[id])
		out.Terms[id] = vt.key
		out.IDs[id] = uint32(vt.id)
		out.Counts[id] = c
		next[id] = off
		off += c
	}
	sc.next = next
	locs := out.Locs
	k := 0
	for i, t := range tokens {
		pos, start, end := uint32(t.Position), uint32(t.Start), uint32(t.End)
		for range occ[i].terms {
			id := ids[k]
			k++
			p := 3 * next[id]
			next[id]++
			locs[p], locs[p+1], locs[p+2] = pos, start, end
		}
	}
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
