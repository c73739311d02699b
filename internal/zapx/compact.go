// Copyright (c) 2026 the rapports authors. Licensed under the Apache
// License, Version 2.0 (see LICENSE). Added by the rapports fork.

package zap

import index "github.com/blevesearch/bleve_index_api"

// CompactField is a field whose analysis can be read in flat arrays:
// realloc builds its postings from them instead of from
// AnalyzedTokenFrequencies, which such a field need not build. What the
// arrays say must be what AnalyzedTokenFrequencies would say.
type CompactField interface {
	index.Field
	// CompactFrequencies returns the field's analysis, or false when it
	// has none in this form (AnalyzedTokenFrequencies then gives it).
	CompactFrequencies() (CompactFrequencies, bool)
}

// CompactFrequencies is the analysis of a field: its distinct terms, each
// with its frequency and its locations. A term's locations are in token
// order; the order of the terms does not matter.
type CompactFrequencies struct {
	// Terms are the distinct terms.
	Terms []string
	// Counts[i] is the frequency of Terms[i], its number of locations.
	Counts []uint32
	// Locs holds three numbers per location, its position and its start
	// and end byte offsets: the Counts[0] locations of Terms[0], then
	// those of Terms[1], and so on. They are in the field's own field.
	Locs []uint32
	// ArrayPositions are those of every location.
	ArrayPositions []uint64
	// Vocab, when not 0, names a numbering of terms: in the fields of one
	// Vocab, one term has one id, IDs[i] being that of Terms[i]. A higher
	// Vocab is a later numbering.
	Vocab uint64
	IDs   []uint32
}

// vocabPids maps the term ids of one Vocab to the postings lists of a
// field of the segment being built.
type vocabPids struct {
	vocab uint64
	pids  []uint32 // term id -> postings list id + 1 (0: not yet met)
	set   []uint32 // the ids of pids that are not 0
}

// reset empties t for the terms of vocab.
func (t *vocabPids) reset(vocab uint64) {
	for _, id := range t.set {
		t.pids[id] = 0
	}
	t.set = t.set[:0]
	t.vocab = vocab
}

// usable says whether t can hold the ids of vocab, emptying it for vocab
// when vocab is later than its own: the ids of an earlier one go by the
// terms' bytes.
func (t *vocabPids) usable(vocab uint64) bool {
	if vocab == 0 || vocab < t.vocab && len(t.set) > 0 {
		return false
	}
	if vocab != t.vocab {
		t.reset(vocab)
	}
	return true
}

// get returns the postings list id + 1 of term id (0 when not met yet).
func (t *vocabPids) get(id uint32) uint32 {
	if int(id) < len(t.pids) {
		return t.pids[id]
	}
	return 0
}

// put records pidPlus1 for term id.
func (t *vocabPids) put(id, pidPlus1 uint32) {
	if int(id) >= len(t.pids) {
		n := max(1024, 2*len(t.pids), int(id)+1)
		pids := make([]uint32, n)
		copy(pids, t.pids)
		t.pids = pids
	}
	t.pids[id] = pidPlus1
	t.set = append(t.set, id)
}

// compactFrequencies returns the flat analysis of field, if it is a
// CompactField that has one.
func compactFrequencies(field index.Field) (CompactFrequencies, bool) {
	if cf, ok := field.(CompactField); ok {
		return cf.CompactFrequencies()
	}
	return CompactFrequencies{}, false
}
