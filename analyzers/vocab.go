package analyzers

import (
	"encoding/binary"
	"hash/maphash"
	"sync"
	"sync/atomic"
)

// vocab is a generation of the vocabulary of AnalyzeFrequencies: each word
// seen with its terms resolved, each term numbered once. It holds no
// pointer the garbage collector would mark but a few slices: the words'
// records are bytes in one arena, found through an open-addressing table
// of offsets.
//
// A word's record (see record) holds the word, its share of FieldLength,
// and its terms (ids and bytes). Records are only appended, and never
// change once written. Lookups read the table and the arena without a
// lock: a slot is written, atomically, after its record, and the arena's
// view (view) after the record and before the slot, so that a reader who
// finds a slot finds its record in the view it loads then. A word that is
// not in the table is added under the lock. When the table is half full a
// new one twice as large replaces it; readers of the old one find the
// words added since through the lock. When a generation holds
// maxVocabWords words, a new one replaces it; calls that started with the
// old one finish with it, and the new one takes the terms of the words of
// the old one from it (prev) instead of computing them again.
type vocab struct {
	gen   uint64 // Frequencies.Vocab: its number, from 1
	table atomic.Pointer[wordTable]
	view  atomic.Pointer[[]byte] // the arena up to its last record

	mu    sync.Mutex
	arena []byte // the records; arena[:len(*view)] is published
	terms termTable
	size  int    // words added
	prev  *vocab // the generation before, or nil
}

// wordTable is the open-addressing table of a vocab's words: each slot,
// read and written atomically, is 0 (free) or the high half of the word's
// hash over the offset of its record plus 1.
type wordTable struct {
	slots []uint64
	n     int // slots used; written under the vocab's lock
}

// Layout of a record at arena[off:]: the word's length (4 bytes,
// little-endian), its number of terms (2), its share of FieldLength (2),
// the word, the id (4) and length (4) of each term, then the bytes of its
// terms one after the other, in the order filterIndex emits them.
const recHeader = 8

// maxVocabWordLen is the longest word, in bytes, that the vocabulary
// holds: a text with a longer one is analysed without it (by its filters,
// then StreamFrequencies), so that records stay far below 4 GiB, the most
// offsets address, in a generation.
const maxVocabWordLen = 1024

// record reads the record at b[off:]: the word's number of terms, its
// share of FieldLength, and the offsets in b of the terms' ids and
// lengths (8 bytes a term) and of the first term's bytes.
func record(b []byte, off int) (nterms, length, ids, bytesAt int) {
	wlen := int(binary.LittleEndian.Uint32(b[off:]))
	nterms = int(binary.LittleEndian.Uint16(b[off+4:]))
	length = int(binary.LittleEndian.Uint16(b[off+6:]))
	ids = off + recHeader + wlen
	return nterms, length, ids, ids + 8*nterms
}

// wordSeed is the seed of the words' and terms' hashes.
var wordSeed = maphash.MakeSeed()

func hashBytes(b []byte) uint64 { return maphash.Bytes(wordSeed, b) }

// maxVocabWords is the most words a vocab generation holds (about 12 MB
// of records and 4 MB of table for French news); a variable for tests.
var maxVocabWords = 1 << 18

var (
	currentVocab atomic.Pointer[vocab]
	vocabGens    atomic.Uint64 // generations made so far
)

// newVocab returns a new generation that takes the terms of known words
// from prev, when not nil.
func newVocab(prev *vocab) *vocab {
	v := &vocab{gen: vocabGens.Add(1), prev: prev}
	v.table.Store(&wordTable{slots: make([]uint64, 1024)})
	v.arena = make([]byte, 0, 64<<10)
	empty := v.arena[:0]
	v.view.Store(&empty)
	v.terms.slots = make([]uint32, 1024)
	return v
}

func init() { currentVocab.Store(newVocab(nil)) }

// find returns the offset in *view of the record of word, whose hash is
// h, in t, or false. It loads v's view again into *view when the record
// is past it.
func (t *wordTable) find(v *vocab, view *[]byte, word []byte, h uint64) (int, bool) {
	slots := t.slots
	mask := uint64(len(slots) - 1)
	tag := h >> 32
	for i := h & mask; ; i = (i + 1) & mask {
		s := atomic.LoadUint64(&slots[i])
		if s == 0 {
			return 0, false
		}
		if s>>32 != tag {
			continue
		}
		off := int(uint32(s)) - 1
		b := *view
		if off >= len(b) {
			b = *v.view.Load()
			*view = b
		}
		wlen := int(binary.LittleEndian.Uint32(b[off:]))
		if wlen == len(word) && string(b[off+recHeader:off+recHeader+wlen]) == string(word) {
			return off, true
		}
	}
}

// lookup returns the record of word, adding it when the generation does
// not hold it: the arena's view that holds it and its offset there.
func (v *vocab) lookup(t *wordTable, view *[]byte, word []byte) int {
	return v.lookupHash(t, view, word, hashBytes(word))
}

// lookupHash is lookup of word, whose hash is h.
func (v *vocab) lookupHash(t *wordTable, view *[]byte, word []byte, h uint64) int {
	if off, ok := t.find(v, view, word, h); ok {
		return off
	}
	b, off := v.add(word, h)
	*view = b
	return off
}

// touch reads the first slot of each hash of hs and the first byte of the
// record it names in view, if any, and returns them mixed: called on the
// words of a text before their lookups, it has the processor fetch their
// slots and records side by side instead of one after the other.
func (t *wordTable) touch(hs []uint64, view []byte) byte {
	slots := t.slots
	mask := uint64(len(slots) - 1)
	var x byte
	for _, h := range hs {
		s := atomic.LoadUint64(&slots[h&mask])
		if off := int(uint32(s)) - 1; uint(off) < uint(len(view)) {
			x ^= view[off]
		}
	}
	return x
}

// add returns the arena's view and the offset there of the record of
// word, whose hash is h, adding it.
func (v *vocab) add(word []byte, h uint64) ([]byte, int) {
	v.mu.Lock()
	b := *v.view.Load()
	if off, ok := v.table.Load().find(v, &b, word, h); ok {
		v.mu.Unlock()
		return b, off
	}
	prev := v.prev
	v.mu.Unlock()
	// Outside the lock: stemming a new word is slow.
	var terms [8][]byte
	wt, length := wordTermsIn(prev, word, terms[:0])
	v.mu.Lock()
	defer v.mu.Unlock()
	b = *v.view.Load()
	if off, ok := v.table.Load().find(v, &b, word, h); ok {
		return b, off
	}
	// The record, then its terms' ids.
	off := len(v.arena)
	n := recHeader + len(word) + 8*len(wt)
	for _, term := range wt {
		n += len(term)
	}
	arena := v.arena
	if len(arena)+n > cap(arena) {
		arena = make([]byte, len(arena), max(2*cap(arena), len(arena)+n))
		copy(arena, v.arena)
	}
	arena = binary.LittleEndian.AppendUint32(arena, uint32(len(word)))
	arena = binary.LittleEndian.AppendUint16(arena, uint16(len(wt)))
	arena = binary.LittleEndian.AppendUint16(arena, uint16(length))
	arena = append(arena, word...)
	ids := len(arena)
	arena = arena[:ids+8*len(wt)]
	at := len(arena)
	for k, term := range wt {
		arena = append(arena, term...)
		id := v.terms.id(arena, at, len(term))
		binary.LittleEndian.PutUint32(arena[ids+8*k:], id)
		binary.LittleEndian.PutUint32(arena[ids+8*k+4:], uint32(len(term)))
		at += len(term)
	}
	v.arena = arena
	view := arena
	v.view.Store(&view)
	v.insert(h, off)
	v.size++
	if v.size >= maxVocabWords && currentVocab.Load() == v {
		v.prev = nil // only one generation before the current one is kept
		currentVocab.CompareAndSwap(v, newVocab(v))
	}
	return arena, off
}

// insert puts the word whose hash is h and record is at off in the table,
// replacing the table by one twice as large when it is half full; v.mu is
// held.
func (v *vocab) insert(h uint64, off int) {
	t := v.table.Load()
	if 2*(t.n+1) > len(t.slots) {
		next := &wordTable{slots: make([]uint64, 2*len(t.slots)), n: t.n}
		mask := uint64(len(next.slots) - 1)
		for _, s := range t.slots {
			if s == 0 {
				continue
			}
			at := int(uint32(s)) - 1
			wlen := int(binary.LittleEndian.Uint32(v.arena[at:]))
			i := hashBytes(v.arena[at+recHeader:at+recHeader+wlen]) & mask
			for next.slots[i] != 0 {
				i = (i + 1) & mask
			}
			next.slots[i] = s
		}
		v.table.Store(next)
		t = next
	}
	mask := uint64(len(t.slots) - 1)
	i := h & mask
	for t.slots[i] != 0 {
		i = (i + 1) & mask
	}
	atomic.StoreUint64(&t.slots[i], h>>32<<32|uint64(off+1))
	t.n++
}

// wordTermsIn returns the terms of word (appended to terms) and its share
// of FieldLength, as filterIndex gives them: read from prev's record when
// prev holds word, or else computed.
func wordTermsIn(prev *vocab, word []byte, terms [][]byte) ([][]byte, int) {
	if prev != nil {
		b := *prev.view.Load()
		if off, ok := prev.table.Load().find(prev, &b, word, hashBytes(word)); ok {
			nterms, length, ids, at := record(b, off)
			for k := range nterms {
				n := int(binary.LittleEndian.Uint32(b[ids+8*k+4:]))
				terms = append(terms, b[at:at+n:at+n])
				at += n
			}
			return terms, length
		}
	}
	wt := wordTermsOf(word) // not the filter's cache: the vocabulary is one
	terms = append(terms, wt.exact())
	length := 1
	if stems := wt.stems(); stems != nil {
		if isMarked(stems[0]) {
			// Stored alone: see filterIndex and FieldLength.
			length += min(len(stems)-1, maxAlone)
		} else {
			terms = append(terms, stems[0])
			for _, st := range stems[1:] {
				if !isMarked(st) {
					terms = append(terms, st)
				}
			}
			length = len(terms)
		}
	}
	return terms, length
}

// termTable numbers the terms of a generation: an open-addressing table
// of term ids plus 1, each term's bytes being in the arena, where the
// record of the first word that had it holds them; used under the vocab's
// lock.
type termTable struct {
	slots []uint32
	at    []uint32 // offset in the arena of the bytes of each id
	len   []uint32 // their length
}

// id returns the id of the term arena[at:at+n], numbering it if new.
func (t *termTable) id(arena []byte, at, n int) uint32 {
	term := arena[at : at+n]
	h := hashBytes(term)
	mask := uint64(len(t.slots) - 1)
	i := h & mask
	for ; t.slots[i] != 0; i = (i + 1) & mask {
		id := t.slots[i] - 1
		if string(arena[t.at[id]:t.at[id]+t.len[id]]) == string(term) {
			return id
		}
	}
	id := uint32(len(t.at))
	t.slots[i] = id + 1
	t.at = append(t.at, uint32(at))
	t.len = append(t.len, uint32(n))
	if 2*len(t.at) > len(t.slots) {
		t.grow(arena)
	}
	return id
}

// grow doubles the table.
func (t *termTable) grow(arena []byte) {
	t.slots = make([]uint32, 2*len(t.slots))
	mask := uint64(len(t.slots) - 1)
	for id, at := range t.at {
		i := hashBytes(arena[at:at+t.len[id]]) & mask
		for t.slots[i] != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = uint32(id) + 1
	}
}
