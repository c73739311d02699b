package analyzers

import (
	"encoding/binary"
	"math"
	"slices"
	"sync"
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
	var tokens analysis.TokenStream
	if tok, ours := da.Tokenizer.(*tokenizer); ours {
		buf := tokenPool.Get().(*tokenBuf)
		defer buf.put()
		tokens = tok.tokenize(text, buf)
	} else {
		tokens = da.Tokenizer.Tokenize(text)
	}
	if filters := da.TokenFilters[:len(da.TokenFilters)-1]; isLowerElision(filters) {
		tokens = elide(tokens, true)
	} else {
		for _, f := range filters {
			tokens = f.Filter(tokens)
		}
	}
	for _, t := range tokens {
		if t.KeyWord || len(t.Term) > maxVocabWordLen {
			// No filter of IndexName's chain makes keywords before
			// IndexTermsName; another chain's are left to Bleve's path,
			// as are the texts of words too long for the vocabulary.
			tokens = last.Filter(tokens)
			return StreamFrequencies(tokens, f)
		}
	}
	frequencies(tokens, f)
	return true
}

// isLowerElision reports whether filters are LowerName then ElisionName,
// which elide does in one pass.
func isLowerElision(filters []analysis.TokenFilter) bool {
	if len(filters) != 2 {
		return false
	}
	_, lowers := filters[0].(lowerFilter)
	_, elides := filters[1].(elisionFilter)
	return lowers && elides
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

// freqScratch is what one call of frequencies needs, pooled.
type freqScratch struct {
	occ    []uint16 // number of terms of each token's word
	ids    []int32  // text id of each term of each token, in order
	seen   []string // terms of the text, by text id
	vids   []uint32 // their ids in the vocabulary
	counts []int32  // tokens of each text id
	next   []uint32 // the next location of each text id

	// An open-addressing table from a term's id to its text id: a slot
	// whose key's high half is not stamp is free, so that a new call
	// starts with an empty table without clearing it.
	keys  []uint64 // stamp<<32 | id of the term
	vals  []int32  // text id
	stamp uint32

	hashes  []uint64 // of each token's word
	touched byte     // what wordTable.touch read
}

var scratchPool = sync.Pool{New: func() any { return new(freqScratch) }}

// slot returns the slot of the term whose id is id.
func slot(id uint32, mask uint32) uint32 { return (id * 0x9E3779B1) >> 8 & mask }

// textID returns the id in the text of the term whose id in the
// vocabulary is id, adding it, with the bytes b[at:at+n], when new.
func (sc *freqScratch) textID(id uint32, b []byte, at, n int) int32 {
	if 2*len(sc.seen) >= len(sc.keys) {
		sc.grow()
	}
	mask := uint32(len(sc.keys) - 1)
	key := uint64(sc.stamp)<<32 | uint64(id)
	for h := slot(id, mask); ; h = (h + 1) & mask {
		k := sc.keys[h]
		if k == key {
			return sc.vals[h]
		}
		if uint32(k>>32) != sc.stamp {
			tid := int32(len(sc.seen))
			sc.keys[h], sc.vals[h] = key, tid
			sc.seen = append(sc.seen, unsafe.String(unsafe.SliceData(b[at:at+n]), n))
			sc.vids = append(sc.vids, id)
			sc.counts = append(sc.counts, 0)
			return tid
		}
	}
}

// grow doubles the table and puts the terms seen back in it.
func (sc *freqScratch) grow() {
	n := max(1024, 2*len(sc.keys))
	sc.keys, sc.vals = make([]uint64, n), make([]int32, n)
	mask := uint32(n - 1)
	for tid, id := range sc.vids {
		h := slot(id, mask)
		for uint32(sc.keys[h]>>32) == sc.stamp {
			h = (h + 1) & mask
		}
		sc.keys[h], sc.vals[h] = uint64(sc.stamp)<<32|uint64(id), int32(tid)
	}
}

// frequencies is AnalyzeFrequencies for tokens without keywords nor words
// longer than maxVocabWordLen.
func frequencies(tokens analysis.TokenStream, out *Frequencies) {
	v := currentVocab.Load()
	table := v.table.Load()
	view := *v.view.Load()
	sc := scratchPool.Get().(*freqScratch)
	defer sc.put()
	sc.stamp++
	if sc.stamp == 0 { // wrapped: no slot may look used
		clear(sc.keys)
		sc.stamp = 1
	}
	// First pass: the word of each token, and the terms of the text in
	// order of first appearance with their number of tokens.
	hs := slices.Grow(sc.hashes[:0], len(tokens))[:len(tokens)]
	for i, t := range tokens {
		hs[i] = hashBytes(t.Term)
	}
	sc.hashes = hs
	sc.touched = table.touch(hs, view)
	occ, ids := sc.occ[:0], sc.ids[:0]
	length := 0
	for i, t := range tokens {
		off := v.lookupHash(table, &view, t.Term, hs[i])
		nterms, wlen, idsAt, at := record(view, off)
		occ = append(occ, uint16(nterms))
		length += wlen
		for k := range nterms {
			p := idsAt + 8*k
			vid := binary.LittleEndian.Uint32(view[p:])
			n := int(binary.LittleEndian.Uint32(view[p+4:]))
			id := sc.textID(vid, view, at, n)
			at += n
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
		Terms:  slices.Clone(seen),
		IDs:    ints[:n:n],
		Counts: ints[n : 2*n : 2*n],
		Locs:   ints[2*n:],
		Vocab:  v.gen,
		Length: length,
	}
	copy(out.IDs, sc.vids)
	next := slices.Grow(sc.next[:0], n)[:n]
	off := uint32(0)
	for id, c := range counts {
		out.Counts[id] = uint32(c)
		next[id] = off
		off += uint32(c)
	}
	sc.next = next
	locs := out.Locs
	k := 0
	for i, t := range tokens {
		pos, start, end := uint32(t.Position), uint32(t.Start), uint32(t.End)
		for range occ[i] {
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
	if cap(sc.ids) > 2*maxScratch || len(sc.keys) > 2*maxScratch || cap(sc.hashes) > 2*maxScratch {
		return
	}
	clear(sc.seen) // no vocabulary kept alive by the pool
	sc.occ, sc.ids, sc.seen, sc.vids, sc.counts = sc.occ[:0], sc.ids[:0], sc.seen[:0], sc.vids[:0], sc.counts[:0]
	scratchPool.Put(sc)
}
