package index

import (
	"fmt"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/rapports/rapports/corpus"
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
		if db, err := newDocBuilder(idx.bi.Mapping()); err == nil {
			idx.builder.db = db
		}
	})
	return idx.builder.db
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
func newDocBuilder(m mapping.IndexMapping) (*docBuilder, error) {
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
	text := func(name, value string) {
		for _, s := range db.specs[name] {
			doc.Fields = append(doc.Fields, s.text(name, noPositions, value))
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
				doc.Fields = append(doc.Fields, s.text(name, pos[i:i+1:i+1], v))
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
			// reportDoc's time.Time: RFC 3339, as MapDocument gives it.
			if f, err := document.NewDateTimeFieldWithIndexingOptions(fieldDate, noPositions, r.Date.Time, time.RFC3339, s.options); err == nil {
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

// text returns the text field name of value, for a spec of kindText.
func (s fieldSpec) text(name string, pos []uint64, value string) document.Field {
	tf := document.NewTextFieldCustom(name, pos, []byte(value), s.options, s.analyzer)
	if s.wrap {
		return &textField{TextField: tf}
	}
	return tf
}
