package index

import (
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/rapports/rapports/analyzers"
	zap "github.com/rapports/rapports/internal/zapx"
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
// analysis.TokenFrequency) in flat arrays (analyzers.Frequencies), in a
// few allocations instead of two or three per distinct term. The segment
// builder reads them as they are (zap.CompactField); Bleve's
// TokenFrequencies are built only if something asks for them. Its Size,
// which Scorch calls on every document for its statistics only, does not
// visit every location.
//
// On the 13,040 files of tvnews-fr, analysis.TokenFrequency took 8.6% of
// the indexing CPU time and a quarter of its allocations, and
// TextField.Size 2%.
type textField struct {
	*document.TextField
	freqs analyzers.Frequencies
	// compact says that freqs holds the analysis; otherwise tfs does
	// (a text of 4 GiB or more).
	compact bool
	tfs     bleveindex.TokenFrequencies
	length  int
	once    sync.Once // builds tfs from freqs
}

// Analyze analyses the field's value (a copy of it: token filters may
// change the bytes of their terms in place, and the value is stored).
func (f *textField) Analyze() {
	value := f.Value()
	text := make([]byte, len(value))
	copy(text, value)
	if analyzers.AnalyzeFrequencies(f.Analyzer(), text, &f.freqs) {
		f.compact, f.length = true, f.freqs.Length
		return
	}
	tokens := f.Analyzer().Analyze(text)
	if analyzers.StreamFrequencies(tokens, &f.freqs) {
		f.compact, f.length = true, f.freqs.Length
		return
	}
	f.length = analyzers.FieldLength(tokens)
	f.tfs = analysis.TokenFrequency(tokens, f.ArrayPositions(), bleveindex.IncludeTermVectors)
}

// AnalyzedLength returns the field's length for ranking: its number of
// tokens, a word stored as its exact form alone counting as if stored with
// its terms (analyzers.FieldLength).
func (f *textField) AnalyzedLength() int { return f.length }

// AnalyzedTokenFrequencies returns the field's terms and their locations,
// built from its flat analysis on the first call.
func (f *textField) AnalyzedTokenFrequencies() bleveindex.TokenFrequencies {
	if f.compact {
		f.once.Do(func() { f.tfs = f.freqs.TokenFrequencies(f.ArrayPositions()) })
	}
	return f.tfs
}

// CompactFrequencies returns the field's analysis in flat arrays, for the
// segment builder.
func (f *textField) CompactFrequencies() (zap.CompactFrequencies, bool) {
	if !f.compact {
		return zap.CompactFrequencies{}, false
	}
	return zap.CompactFrequencies{
		Terms:          f.freqs.Terms,
		Counts:         f.freqs.Counts,
		Locs:           f.freqs.Locs,
		ArrayPositions: f.ArrayPositions(),
		Vocab:          f.freqs.Vocab,
		IDs:            f.freqs.IDs,
	}, true
}

// Size returns an estimate of the memory the field holds: its value and
// about 100 bytes per token.
func (f *textField) Size() int { return 64 + len(f.Name()) + len(f.Value()) + 100*f.length }
