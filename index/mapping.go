package index

import (
	"github.com/blevesearch/bleve/v2/mapping"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/rapports/rapports/analyzers"
	"github.com/rapports/rapports/corpus"
)

// SchemaVersion is the version of the index layout (fields, analyzers,
// metadata). An index built with another version must be rebuilt.
const SchemaVersion = 8

// Field names of the index.
const (
	fieldTitle     = "title"
	fieldBody      = "body"
	fieldDate      = "date"      // datetime: the first instant of the period
	fieldDateText  = "date_text" // keyword: "2024", "2024-06" or "2024-06-15"
	fieldYear      = "year"      // keyword "2024", for the date histogram
	fieldMonth     = "month"     // keyword "2024-06" (the period start's month)
	fieldCountries = "countries"
	fieldMentions  = "mentions"
	// fieldOrgs holds the codes of the organisations named
	// (corpus.FindOrganizations), fieldOrgMentions their counts.
	fieldOrgs        = "organizations"
	fieldOrgMentions = "org_mentions"
	fieldSource      = "source"
	fieldURL         = "url"
	fieldPath        = "path"
	fieldHash        = "hash"
	fieldRoot        = "root"
	// The pages of a paged document (a PDF), stored only: fieldFirstPage
	// is corpus.Report.FirstPage, fieldPageStarts its PageStarts as
	// decimal byte offsets separated by spaces (formatPageStarts).
	fieldFirstPage  = "first_page"
	fieldPageStarts = "page_starts"
	// fieldDateSource is corpus.Report.DateSource, stored only.
	fieldDateSource = "date_source"
)

// titleBoost is how much more a title match weighs than a body match.
const titleBoost = 3.0

// storedFields are the fields read back by Document.
var storedFields = []string{
	fieldTitle, fieldBody, fieldDateText, fieldCountries, fieldMentions,
	fieldOrgs, fieldOrgMentions,
	fieldSource, fieldURL, fieldPath, fieldHash,
	fieldFirstPage, fieldPageStarts, fieldDateSource,
}

// hitFields are the fields read back for each hit.
var hitFields = []string{fieldTitle, fieldDateText, fieldCountries, fieldOrgs, fieldSource, fieldFirstPage, fieldPageStarts}

// newMapping returns the index mapping: French text fields that serve both
// stemmed and exact search, keyword and date fields with doc values for
// facets and sorting, BM25 scoring.
func newMapping() *mapping.IndexMappingImpl {
	text := func() *mapping.FieldMapping {
		f := mapping.NewTextFieldMapping()
		f.Analyzer = analyzers.IndexName
		f.Store = true
		f.IncludeTermVectors = true
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	keyword := func(store, docValues bool) *mapping.FieldMapping {
		f := mapping.NewKeywordFieldMapping()
		f.Store = store
		f.DocValues = docValues
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		return f
	}
	date := mapping.NewDateTimeFieldMapping()
	date.Store = false
	date.DocValues = true
	date.IncludeInAll = false
	mentions := mapping.NewNumericFieldMapping()
	mentions.Store = true
	mentions.Index = false
	mentions.DocValues = false
	mentions.IncludeInAll = false
	// storedOnly is a keyword read back but never searched.
	storedOnly := keyword(true, false)
	storedOnly.Index = false

	doc := mapping.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(fieldTitle, text())
	doc.AddFieldMappingsAt(fieldBody, text())
	doc.AddFieldMappingsAt(fieldDate, date)
	doc.AddFieldMappingsAt(fieldDateText, keyword(true, false))
	// The date histogram counts terms of these rather than date ranges of
	// fieldDate: a terms facet costs the same for 14 bars or 160, a range
	// facet tests every range for every hit (3x slower by year, 10x by
	// month on the 233,987-report corpus).
	doc.AddFieldMappingsAt(fieldYear, keyword(false, true))
	doc.AddFieldMappingsAt(fieldMonth, keyword(false, true))
	doc.AddFieldMappingsAt(fieldCountries, keyword(true, true))
	doc.AddFieldMappingsAt(fieldMentions, mentions)
	doc.AddFieldMappingsAt(fieldOrgs, keyword(true, true))
	doc.AddFieldMappingsAt(fieldOrgMentions, mentions)
	doc.AddFieldMappingsAt(fieldSource, keyword(true, false))
	// Read back, never searched: stored only, no dictionary of unique
	// terms (1.2% of the index on the 13,040 reports).
	doc.AddFieldMappingsAt(fieldURL, storedOnly)
	doc.AddFieldMappingsAt(fieldHash, storedOnly)
	// The path is searched by UpdatePaths (the reports of the paths that
	// changed, from serve --watch's file events): indexed as one term.
	doc.AddFieldMappingsAt(fieldPath, keyword(true, false))
	doc.AddFieldMappingsAt(fieldRoot, keyword(true, false))
	doc.AddFieldMappingsAt(fieldFirstPage, mentions)
	doc.AddFieldMappingsAt(fieldPageStarts, storedOnly)
	doc.AddFieldMappingsAt(fieldDateSource, storedOnly)
	// No composite "_all" field: queries name their fields.
	doc.AddSubDocumentMapping("_all", mapping.NewDocumentDisabledMapping())

	m := mapping.NewIndexMapping()
	m.DefaultMapping = doc
	m.DefaultAnalyzer = analyzers.FrenchName
	m.IndexDynamic = false
	m.StoreDynamic = false
	m.DocValuesDynamic = false
	m.ScoringModel = bleveindex.BM25Scoring
	return m
}

// reportDoc returns the document Bleve indexes for r, from the given root.
func reportDoc(r *corpus.Report, root string) map[string]any {
	d := map[string]any{
		fieldTitle: r.Title,
		fieldBody:  r.Body,
		fieldHash:  r.Hash,
		fieldRoot:  root,
	}
	if !r.Date.IsZero() {
		d[fieldDate] = r.Date.Time
		d[fieldDateText] = r.Date.String()
		d[fieldYear] = r.Date.Time.Format("2006")
		d[fieldMonth] = r.Date.Time.Format("2006-01")
	}
	if len(r.Countries) > 0 {
		d[fieldCountries] = r.Countries
	}
	if len(r.Mentions) > 0 {
		m := make([]float64, len(r.Mentions))
		for i, v := range r.Mentions {
			m[i] = float64(v)
		}
		d[fieldMentions] = m
	}
	if len(r.Organizations) > 0 {
		d[fieldOrgs] = r.Organizations
		m := make([]float64, len(r.OrgMentions))
		for i, v := range r.OrgMentions {
			m[i] = float64(v)
		}
		d[fieldOrgMentions] = m
	}
	if r.Source != "" {
		d[fieldSource] = r.Source
	}
	if r.URL != "" {
		d[fieldURL] = r.URL
	}
	if r.Path != "" {
		d[fieldPath] = r.Path
	}
	if r.FirstPage > 0 && len(r.PageStarts) > 0 {
		d[fieldFirstPage] = float64(r.FirstPage)
		d[fieldPageStarts] = formatPageStarts(r.PageStarts)
	}
	if r.DateSource != "" {
		d[fieldDateSource] = r.DateSource
	}
	return d
}
