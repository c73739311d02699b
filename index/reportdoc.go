package index

import (
	"fmt"
	"sync"
	"time"
	"unsafe"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/rapports/rapports/corpus"
	zap "github.com/rapports/rapports/internal/zapx"
)

// addReport adds the Bleve document of r, from root, to b: the document
// that mapDoc makes of reportDoc(r, root), built directly (see
// docBuilder), or by mapDoc when the index's mapping gives a field that
// the builder does not make.
func (idx *Index) addReport(b *bleve.Batch, r *corpus.Report, root string) error {
	if db := idx.docBuilder(); db != nil {
		return b.IndexAdvanced(db.build(r, root))
	}
	return idx.addDoc(b, r.ID, reportDoc(r, root))
}

// docBuilder returns the builder of the index's mapping, made at the
// first call, or nil.
func (idx *Index) docBuilder() *docBuilder {
	idx.builder.once.Do(func() {
		if db, err := newDocBuilder(idx.bi.Mapping(), idx.keepsFrequencies()); err == nil {
			idx.builder.db = db
		}
	})
	return idx.builder.db
}

// keepsFrequencies says whether the index leaves the frequencies of its
// documents' fields as they are: Scorch writing rapports' segments does;
// Bleve's index in memory (upsidedown) and zapx v17 merge those of a
// document's fields of one name into the first one's.
func (idx *Index) keepsFrequencies() bool {
	_, ok := idx.scorch()
	typ, _ := idx.cfg["forceSegmentType"].(string)
	return ok && typ == zap.Type
}

// builderOnce holds an index's docBuilder.
type builderOnce struct {
	once sync.Once
	db   *docBuilder
}

// fieldKind is the kind of Bleve field a mapping gives.
type fieldKind uint8

const (
	kindText fieldKind = iota
	kindNumber
	kindDate
)

// fieldSpec is how the mapping indexes one field of reportDoc's map.
type fieldSpec struct {
	kind     fieldKind
	options  bleveindex.FieldIndexingOptions
	analyzer analysis.Analyzer // of a text field
	// wrap: analysed by textField (a text field with term vectors and
	// frequencies), as mapDoc does.
	wrap bool
	// shared, when set, holds the analyses of the field's values, which
	// every report with the same value shares (a field without term
	// vectors, whose analysis depends on its value alone).
	shared *sharedAnalyses
}

// maxSharedValues bounds the values of one field whose analysis a
// docBuilder keeps. When there are more, it forgets them and starts
// again, unless it found fewer than half as many as it missed since it
// last did: it then stops keeping (a field of one value per report, a
// path). On tvnews-fr (4,821 days, in order) dates, years, months,
// countries, organisations, roots and sources are kept.
const maxSharedValues = 1024

// sharedAnalyses holds the analyses of the values of one field, shared by
// the documents of those values: a report's date and keyword fields
// then cost no analysis and no allocation but their field (on the 233,987
// reports of tvnews-fr, Bleve's analysis of a date made 16 terms, 16
// tokens and 16 term frequencies every time, and each keyword field a
// copy of its value, a token, a map and a term frequency). What it holds
// is never changed: Scorch and its segment builder only read a field's
// frequencies (Bleve's index in memory and zapx v17 merge them, and share
// nothing: keepsFrequencies).
type sharedAnalyses struct {
	mu           sync.Mutex
	text         map[string]analysed // by value, for a keyword field
	dates        map[int64]analysed  // by Unix nanoseconds, for a date field
	hits, misses int                 // since the maps were last emptied
	off          bool                // keeping stopped
}

// textOf returns the analysis kept of a keyword value.
func (c *sharedAnalyses) textOf(value []byte) (analysed, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a, ok := c.text[string(value)]
	c.count(ok)
	return a, ok
}

// dateOf returns the analysis kept of a date.
func (c *sharedAnalyses) dateOf(nanos int64) (analysed, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a, ok := c.dates[nanos]
	c.count(ok)
	return a, ok
}

// count counts a hit or a miss.
func (c *sharedAnalyses) count(hit bool) {
	if hit {
		c.hits++
	} else {
		c.misses++
	}
}

// keepText keeps the analysis of a keyword value, if there is room.
func (c *sharedAnalyses) keepText(value []byte, a analysed) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.room() {
		if c.text == nil {
			c.text = map[string]analysed{}
		}
		c.text[string(value)] = a
	}
}

// keepDate keeps the analysis of a date, if there is room.
func (c *sharedAnalyses) keepDate(nanos int64, a analysed) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.room() {
		if c.dates == nil {
			c.dates = map[int64]analysed{}
		}
		c.dates[nanos] = a
	}
}

// room says whether one more analysis may be kept, emptying the maps when
// they are full (see maxSharedValues). c.mu is held.
func (c *sharedAnalyses) room() bool {
	if c.off {
		return false
	}
	if len(c.text)+len(c.dates) < maxSharedValues {
		return true
	}
	c.off = c.hits < c.misses/2
	c.text, c.dates, c.hits, c.misses = nil, nil, 0, 0
	return !c.off
}

// analysed is the analysis of one value of a field.
type analysed struct {
	value  []byte // the field's value (of a date: prefix-coded, and its layout)
	plain  uint64 // its NumPlainTextBytes
	length int
	tfs    bleveindex.TokenFrequencies
}

// docBuilder makes the Bleve document of a report as mapDoc makes it of
// reportDoc's map (the same fields, values, array positions, options and
// analyzers), without Bleve's reflection over the map (MapDocument): on
// the 233,987 reports of tvnews-fr, mapDoc took 2.2 CPU-s and reportDoc
// 0.7. Its fields come in a fixed order, those of mapDoc in the map's.
type docBuilder struct {
	specs map[string][]fieldSpec // by field name
}

// newDocBuilder reads the specs of the fields from the document that m
// maps from a report with every field set. It fails when m gives a field
// that the builder does not make (another type, a composite field...).
// With share, the fields of a date or keyword value share its analysis
// (sharedAnalyses), which the index must not change.
func newDocBuilder(m mapping.IndexMapping, share bool) (*docBuilder, error) {
	r := corpus.Report{
		ID: "r", Path: "p", Title: "t", Body: "b", Hash: "h", Source: "s", URL: "u",
		Date:      corpus.Date{Time: time.Date(2024, 6, 15, 0, 0, 0, 0, time.UTC), Precision: corpus.Day},
		Countries: []string{"FR"}, Mentions: []int{1},
		Organizations: []string{"ONU"}, OrgMentions: []int{1},
		FirstPage: 1, PageStarts: []int{0}, DateSource: corpus.DateFromMetadata,
	}
	data := reportDoc(&r, "root")
	doc := document.NewDocument(r.ID)
	if err := m.MapDocument(doc, data); err != nil {
		return nil, err
	}
	if len(doc.CompositeFields) > 0 || len(doc.NestedDocuments) > 0 {
		return nil, fmt.Errorf("index: the mapping gives composite fields or nested documents")
	}
	db := &docBuilder{specs: map[string][]fieldSpec{}}
	for _, f := range doc.Fields {
		spec := fieldSpec{options: f.Options()}
		switch f := f.(type) {
		case *document.TextField:
			spec.analyzer = f.Analyzer()
			spec.wrap = spec.analyzer != nil && spec.options.IncludeTermVectors() && !spec.options.SkipFreqNorm()
		case *document.NumericField:
			spec.kind = kindNumber
		case *document.DateTimeField:
			spec.kind = kindDate
		default:
			return nil, fmt.Errorf("index: the mapping gives field %s of type %T", f.Name(), f)
		}
		if share && !spec.options.IncludeTermVectors() && (spec.kind == kindDate || spec.kind == kindText && !spec.wrap && spec.analyzer != nil) {
			spec.shared = &sharedAnalyses{}
		}
		want := kindText
		switch data[f.Name()].(type) {
		case string, []string:
		case float64, []float64:
			want = kindNumber
		case time.Time:
			want = kindDate
		default:
			return nil, fmt.Errorf("index: the mapping gives field %s, not in the map", f.Name())
		}
		if spec.kind != want {
			return nil, fmt.Errorf("index: the mapping gives field %s of type %T", f.Name(), f)
		}
		db.specs[f.Name()] = append(db.specs[f.Name()], spec)
	}
	return db, nil
}

// noPositions are the array positions of a field that is not in a list,
// as MapDocument gives them.
var noPositions = []uint64{}

// build returns the document of r from root.
func (db *docBuilder) build(r *corpus.Report, root string) *document.Document {
	doc := document.NewDocument(r.ID)
	doc.Fields = make([]document.Field, 0, 12+2*len(r.Countries)+2*len(r.Organizations))
	fields := make(fieldSlab, 0, 12+len(r.Countries)+len(r.Organizations))
	text := func(name, value string) {
		for _, s := range db.specs[name] {
			doc.Fields = append(doc.Fields, s.text(name, noPositions, value, &fields))
		}
	}
	list := func(name string, values []string) {
		specs := db.specs[name]
		if len(specs) == 0 {
			return
		}
		pos := make([]uint64, len(values))
		for i, v := range values {
			pos[i] = uint64(i)
			for _, s := range specs {
				doc.Fields = append(doc.Fields, s.text(name, pos[i:i+1:i+1], v, &fields))
			}
		}
	}
	numbers := func(name string, values []int) {
		specs := db.specs[name]
		if len(specs) == 0 {
			return
		}
		pos := make([]uint64, len(values))
		for i, v := range values {
			pos[i] = uint64(i)
			for _, s := range specs {
				doc.Fields = append(doc.Fields, document.NewNumericFieldWithIndexingOptions(name, pos[i:i+1:i+1], float64(v), s.options))
			}
		}
	}
	text(fieldTitle, r.Title)
	text(fieldBody, r.Body)
	text(fieldHash, r.Hash)
	text(fieldRoot, root)
	if !r.Date.IsZero() {
		for _, s := range db.specs[fieldDate] {
			if f := s.date(r.Date.Time, &fields); f != nil {
				doc.Fields = append(doc.Fields, f)
			}
		}
		text(fieldDateText, r.Date.String())
		text(fieldYear, r.Date.Time.Format("2006"))
		text(fieldMonth, r.Date.Time.Format("2006-01"))
	}
	if len(r.Countries) > 0 {
		list(fieldCountries, r.Countries)
	}
	if len(r.Mentions) > 0 {
		numbers(fieldMentions, r.Mentions)
	}
	if len(r.Organizations) > 0 {
		list(fieldOrgs, r.Organizations)
		numbers(fieldOrgMentions, r.OrgMentions)
	}
	if r.Source != "" {
		text(fieldSource, r.Source)
	}
	if r.URL != "" {
		text(fieldURL, r.URL)
	}
	if r.Path != "" {
		text(fieldPath, r.Path)
	}
	if r.FirstPage > 0 && len(r.PageStarts) > 0 {
		for _, s := range db.specs[fieldFirstPage] {
			doc.Fields = append(doc.Fields, document.NewNumericFieldWithIndexingOptions(fieldFirstPage, noPositions, float64(r.FirstPage), s.options))
		}
		text(fieldPageStarts, formatPageStarts(r.PageStarts))
	}
	if r.DateSource != "" {
		text(fieldDateSource, r.DateSource)
	}
	doc.SetIndexed()
	return doc
}

// text returns the text field name of value, for a spec of kindText. Its
// value holds the bytes of the string value itself: Bleve and the segment
// builder only read a field's value, and its analysis reads a copy
// (textField.Analyze, reportField.Analyze) since token filters may change
// the bytes of their terms in place. On the 233,987 reports that was one
// copy of the 313.6 MB of text fewer.
func (s fieldSpec) text(name string, pos []uint64, value string, fields *fieldSlab) document.Field {
	b := unsafe.Slice(unsafe.StringData(value), len(value))
	switch {
	case s.wrap:
		return &textField{TextField: document.NewTextFieldCustom(name, pos, b, s.options, s.analyzer)}
	case s.analyzer == nil:
		// Bleve's own single token, on a copy of the value.
		return document.NewTextFieldCustom(name, pos, []byte(value), s.options, nil)
	}
	f := fields.next()
	*f = reportField{name: name, pos: pos, value: b, options: s.options, typ: 't', plain: uint64(len(b)),
		analyzer: s.analyzer, shared: s.shared}
	return f
}

// date returns the date field of t, as Bleve's DateTimeField of reportDoc's
// time.Time (RFC 3339, as MapDocument gives it), or nil when Bleve cannot
// represent t. Its value and analysis are shared with the other reports of
// that date.
func (s fieldSpec) date(t time.Time, fields *fieldSlab) document.Field {
	key := t.UnixNano()
	if s.shared != nil {
		if a, ok := s.shared.dateOf(key); ok {
			return s.dateField(a, fields)
		}
	}
	f, err := document.NewDateTimeFieldWithIndexingOptions(fieldDate, noPositions, t, time.RFC3339, s.options)
	if err != nil {
		return nil
	}
	if s.shared == nil {
		return f
	}
	f.Analyze()
	a := analysed{value: f.Value(), plain: f.NumPlainTextBytes(), length: f.AnalyzedLength(), tfs: f.AnalyzedTokenFrequencies()}
	s.shared.keepDate(key, a)
	return s.dateField(a, fields)
}

// dateField returns the date field of analysis a.
func (s fieldSpec) dateField(a analysed, fields *fieldSlab) *reportField {
	f := fields.next()
	*f = reportField{name: fieldDate, pos: noPositions, value: a.value, options: s.options, typ: 'd', plain: a.plain,
		done: true, length: a.length, tfs: a.tfs}
	return f
}

// fieldSlab holds the reportFields of one document, to allocate them
// together.
type fieldSlab []reportField

// next returns a new field of the slab.
func (s *fieldSlab) next() *reportField {
	if len(*s) == cap(*s) {
		*s = make(fieldSlab, 0, 8)
	}
	*s = (*s)[:len(*s)+1]
	return &(*s)[len(*s)-1]
}

// reportField is a keyword or date field of a report's document made by
// docBuilder, which gives the same value, terms and frequencies as Bleve's
// TextField or DateTimeField, its analysis shared with the other fields of
// its value (sharedAnalyses).
type reportField struct {
	name     string
	pos      []uint64
	value    []byte
	options  bleveindex.FieldIndexingOptions
	typ      byte   // EncodedFieldType: 't' text, 'd' date
	plain    uint64 // NumPlainTextBytes
	analyzer analysis.Analyzer
	shared   *sharedAnalyses // where to find and keep the analysis, if set
	done     bool            // analysed
	length   int
	tfs      bleveindex.TokenFrequencies
}

// Analyze analyses the field's value, as Bleve's TextField does, unless
// done: the analysis of its value kept in f.shared, or else that of a copy
// of the value, then kept there if there is room.
func (f *reportField) Analyze() {
	if f.done {
		return
	}
	f.done = true
	if f.shared != nil {
		if a, ok := f.shared.textOf(f.value); ok {
			f.length, f.tfs = a.length, a.tfs
			return
		}
	}
	text := make([]byte, len(f.value))
	copy(text, f.value)
	tokens := f.analyzer.Analyze(text)
	f.length = len(tokens)
	f.tfs = analysis.TokenFrequency(tokens, f.pos, f.options)
	if f.shared != nil {
		f.shared.keepText(f.value, analysed{length: f.length, tfs: f.tfs})
	}
}

// Name returns the field's name.
func (f *reportField) Name() string { return f.name }

// ArrayPositions returns the field's position in its list.
func (f *reportField) ArrayPositions() []uint64 { return f.pos }

// Options returns how the field is indexed.
func (f *reportField) Options() bleveindex.FieldIndexingOptions { return f.options }

// Value returns the field's value.
func (f *reportField) Value() []byte { return f.value }

// NumPlainTextBytes returns the size of the field's text for Bleve's
// statistics.
func (f *reportField) NumPlainTextBytes() uint64 { return f.plain }

// EncodedFieldType returns the type of the field's stored value.
func (f *reportField) EncodedFieldType() byte { return f.typ }

// AnalyzedLength returns the field's number of tokens.
func (f *reportField) AnalyzedLength() int { return f.length }

// AnalyzedTokenFrequencies returns the field's terms and frequencies,
// shared with other fields: they must not be changed.
func (f *reportField) AnalyzedTokenFrequencies() bleveindex.TokenFrequencies { return f.tfs }

// Size returns an estimate of the memory the field holds, for Scorch's
// statistics: the field and its value, its shared analysis aside.
func (f *reportField) Size() int { return 96 + len(f.name) + len(f.value) + 8*len(f.pos) }
