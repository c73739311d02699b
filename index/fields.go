package index

import (
	"slices"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/rapports/rapports/analyzers"
)

// addDoc maps data (a reportDoc) to the Bleve document id, as Batch.Index
// does, with its text fields analysed by textField, and adds it to b.
func (idx *Index) addDoc(b *bleve.Batch, id string, data map[string]any) error {
	doc, err := idx.mapDoc(id, data)
	if err != nil {
		return err
	}
	return b.IndexAdvanced(doc)
}

// mapDoc returns the Bleve document id of data, its text fields with term
// vectors analysed by textField.
func (idx *Index) mapDoc(id string, data map[string]any) (*document.Document, error) {
	doc := document.NewDocument(id)
	if err := idx.bi.Mapping().MapDocument(doc, data); err != nil {
		return nil, err
	}
	for i, f := range doc.Fields {
		if tf, ok := f.(*document.TextField); ok && tf.Analyzer() != nil && tf.Options().IncludeTermVectors() && !tf.Options().SkipFreqNorm() {
			doc.Fields[i] = &textField{TextField: tf}
		}
	}
	return doc, nil
}

// textField is a Bleve text field whose analysis gives the same terms,
// frequencies and locations as Bleve's (document.TextField.Analyze with
// analysis.TokenFrequency) in a few allocations instead of two or three
// per distinct term, and whose Size, which Scorch calls on every document
// for its statistics only, does not visit every location.
//
// On the 13,040 files of tvnews-fr, analysis.TokenFrequency took 8.6% of
// the indexing CPU time and a quarter of its allocations, and
// TextField.Size 2%.
type textField struct {
	*document.TextField
	length int
	freqs  bleveindex.TokenFrequencies
}

// Analyze analyses the field's value (a copy of it: token filters may
// change the bytes of their terms in place, and the value is stored).
func (f *textField) Analyze() {
	value := f.Value()
	text := make([]byte, len(value))
	copy(text, value)
	if freqs, length, ok := analyzers.IndexFrequencies(f.Analyzer(), text, f.ArrayPositions()); ok {
		f.freqs, f.length = freqs, length
		return
	}
	tokens := f.Analyzer().Analyze(text)
	f.length = analyzers.FieldLength(tokens)
	f.freqs = tokenFrequencies(tokens, f.ArrayPositions())
}

// AnalyzedLength returns the field's length for ranking: its number of
// tokens, a word stored as its exact form alone counting as if stored with
// its terms (analyzers.FieldLength).
func (f *textField) AnalyzedLength() int { return f.length }

// AnalyzedTokenFrequencies returns the field's terms and their locations.
func (f *textField) AnalyzedTokenFrequencies() bleveindex.TokenFrequencies { return f.freqs }

// Size returns an estimate of the memory the field holds: its value and
// about 100 bytes per token.
func (f *textField) Size() int { return 64 + len(f.Name()) + len(f.Value()) + 100*f.length }

// tokenFrequencies returns what analysis.TokenFrequency returns for tokens
// with term vectors and frequencies: each term with its locations in token
// order. The map and the term records are sized from a first pass that
// counts the tokens of each term, and the locations of all terms share one
// array and one array of pointers.
func tokenFrequencies(tokens analysis.TokenStream, arrayPositions []uint64) bleveindex.TokenFrequencies {
	// First pass: the terms, in order of first appearance, and the term of
	// each token. Counting in a map of indexes keeps the records, and the
	// map returned, of the size they need.
	sc := scratchPool.Get().(*freqScratch)
	defer sc.put()
	idxs := sc.idxs
	ids := slices.Grow(sc.ids[:0], len(tokens))[:len(tokens)]
	counts := sc.counts[:0]
	for i, t := range tokens {
		id, ok := idxs[string(t.Term)]
		if !ok {
			id = int32(len(counts))
			idxs[string(t.Term)] = id
			counts = append(counts, 0)
		}
		counts[id]++
		ids[i] = id
	}
	freqs := make([]bleveindex.TokenFreq, len(counts))
	locs := make([]bleveindex.TokenLocation, len(tokens))
	ptrs := make([]*bleveindex.TokenLocation, len(tokens))
	rv := make(bleveindex.TokenFrequencies, len(counts))
	off := int32(0)
	for term, id := range idxs {
		n := counts[id]
		tf := &freqs[id]
		tf.Locations = ptrs[off : off : off+n]
		tf.SetFrequency(int(n))
		off += n
		rv[term] = tf
	}
	for i, t := range tokens {
		locs[i] = bleveindex.TokenLocation{
			ArrayPositions: arrayPositions,
			Start:          t.Start,
			End:            t.End,
			Position:       t.Position,
		}
		tf := &freqs[ids[i]]
		if tf.Term == nil {
			tf.Term = t.Term
		}
		tf.Locations = append(tf.Locations, &locs[i])
	}
	sc.ids, sc.counts = ids, counts
	return rv
}

// freqScratch holds what tokenFrequencies needs for the time of one call.
type freqScratch struct {
	idxs        map[string]int32
	ids, counts []int32
}

// maxScratch is the most terms a pooled freqScratch keeps room for: the
// map of one very long text is not kept.
const maxScratch = 1 << 14

func (sc *freqScratch) put() {
	if len(sc.idxs) > maxScratch || cap(sc.ids) > 4*maxScratch {
		return
	}
	clear(sc.idxs)
	scratchPool.Put(sc)
}

var scratchPool = sync.Pool{New: func() any { return &freqScratch{idxs: make(map[string]int32, 256)} }}
