package index

import (
	"context"
	"slices"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/rapports/rapports/corpus"
)

const (
	// maxDateBuckets is the most bars of a date histogram; a longer span
	// is counted by year.
	maxDateBuckets = 400
	// autoYearSpan is the span over which the automatic histogram counts by
	// year rather than by month.
	autoYearSpan = 3 * 365 * 24 * time.Hour
	// allCountries is more than the number of ISO 3166-1 codes: a terms
	// facet counts every term anyway, its size only cuts the sorted list.
	allCountries = 300
	// allOrgs is more than the number of codes of the gazetteer of
	// organisations.
	allOrgs = 1000
)

// termCount is one row of a terms facet: a keyword and its count.
type termCount struct {
	term  string
	count int
}

// termFacet is a facet that counts the values of a keyword field, and the
// filter of a request on that field. Each entry of termFacets is one such
// facet: adding a keyword facet (organisations, source) is one entry here,
// plus its Request field, its plan field and its Facets field.
type termFacet struct {
	// name keys the facet in Bleve's facet requests.
	name string
	// field is the keyword field counted and filtered on.
	field string
	// all is a size that counts every value of field.
	all int
	// disjunctive: with a filter on field, each value is counted over the
	// query without that filter (what the value would add), and the
	// selected values are listed after the top ones even when they are not
	// among them.
	disjunctive bool
	// selected returns the values the plan filters on (any of them
	// matches); none for no filter.
	selected func(p *plan) []string
	// size returns the number of rows the plan asks for, 0 for no facet.
	size func(p *plan) int
	// set stores the counted rows (nil for none) in out.
	set func(out *Facets, rows []termCount)
}

// termFacets are the keyword facets of a search, in the order their
// filters are applied.
var termFacets = []*termFacet{
	{
		name:        "country",
		field:       fieldCountries,
		all:         allCountries,
		disjunctive: true,
		selected:    func(p *plan) []string { return p.countries },
		size:        func(p *plan) int { return p.nCountry },
		set:         func(out *Facets, rows []termCount) { out.Country = countryRows(rows) },
	},
	{
		name:        "organization",
		field:       fieldOrgs,
		all:         allOrgs,
		disjunctive: true,
		selected:    func(p *plan) []string { return p.orgs },
		size:        func(p *plan) int { return p.nOrg },
		set:         func(out *Facets, rows []termCount) { out.Organization = orgRows(rows) },
	},
}

// filters returns the plan's keyword filters, but for the facet except
// (nil for all of them), and its date filter.
func (p *plan) filters(except *termFacet) []query.Query {
	var filters []query.Query
	for _, f := range termFacets {
		values := f.selected(p)
		if f == except || len(values) == 0 {
			continue
		}
		qs := make([]query.Query, len(values))
		for i, v := range values {
			t := bleve.NewTermQuery(v)
			t.SetField(f.field)
			qs[i] = t
		}
		filters = append(filters, bleve.NewDisjunctionQuery(qs...))
	}
	if p.hasFrom || p.hasTo {
		yes, no := true, false
		dq := bleve.NewDateRangeInclusiveQuery(p.from, p.to, &yes, &no)
		dq.SetField(fieldDate)
		filters = append(filters, dq)
	}
	return filters
}

// filtered returns the plan's query with its filters, but for the filter of
// the facet except (nil for all of them).
func (p *plan) filtered(except *termFacet) query.Query {
	filters := p.filters(except)
	if len(filters) == 0 {
		return p.ranked
	}
	bq := bleve.NewBooleanQuery()
	bq.AddMust(p.ranked)
	if len(filters) == 1 {
		bq.AddFilter(filters[0])
	} else {
		bq.AddFilter(bleve.NewConjunctionQuery(filters...))
	}
	return bq
}

// ownSearch reports whether facet f needs a search of its own for p: a
// disjunctive facet with a filter on its field.
func (f *termFacet) ownSearch(p *plan) bool {
	return f.disjunctive && f.size(p) > 0 && len(f.selected(p)) > 0
}

// ownCount is the outcome of a facet's own search.
type ownCount struct {
	fc  *facetCounter
	err error
}

// facetPlan is the facets of one search: those counted over the hits of
// the main search, by main, and those that run a search of their own,
// started by start.
type facetPlan struct {
	p         *plan
	buckets   []bucket // the date histogram's bars
	dateField string   // fieldYear or fieldMonth; "" for no histogram
	main      *facetCounter
	own       map[*termFacet]chan ownCount
}

// planFacets returns the plan of p's facets.
func (idx *Index) planFacets(p *plan) *facetPlan {
	fp := &facetPlan{p: p, own: map[*termFacet]chan ownCount{}}
	var fields []string
	for _, f := range termFacets {
		if f.size(p) > 0 && !f.ownSearch(p) {
			fields = append(fields, f.field)
		}
	}
	buckets, byYear := idx.dateBuckets(p.interval)
	if len(buckets) > 0 {
		fp.dateField = fieldMonth
		if byYear {
			fp.dateField = fieldYear
		}
		fields = append(fields, fp.dateField)
	}
	fp.buckets = buckets
	if len(fields) > 0 {
		fp.main = newFacetCounter(&idx.columns, fields)
	}
	return fp
}

// context returns the context of the main search: ctx, with the counting
// of its facets when it has some.
func (fp *facetPlan) context(ctx context.Context) context.Context {
	if fp.main == nil {
		return ctx
	}
	return fp.main.context(ctx)
}

// start runs the own searches of the disjunctive facets alongside the main
// one, on the other cores.
func (fp *facetPlan) start(ctx context.Context, idx *Index) {
	for _, f := range termFacets {
		if !f.ownSearch(fp.p) {
			continue
		}
		ch := make(chan ownCount, 1)
		fp.own[f] = ch
		go func() {
			// Count each value over the query without the facet's own
			// filter, so a value shows what it would add.
			req := bleve.NewSearchRequestOptions(fp.p.filtered(f), 0, 0, false)
			fc := newFacetCounter(&idx.columns, []string{f.field})
			_, err := idx.search(fc.context(ctx), req)
			ch <- ownCount{fc, err}
		}()
	}
}

// wait waits for the own searches and returns the first error.
func (fp *facetPlan) wait() (map[*termFacet]*facetCounter, error) {
	out := make(map[*termFacet]*facetCounter, len(fp.own))
	var first error
	for f, ch := range fp.own {
		c := <-ch
		if c.err != nil && first == nil {
			first = c.err
		}
		out[f] = c.fc
	}
	return out, first
}

// fill sets out's facets from the counts of the main search and of the own
// searches.
func (fp *facetPlan) fill(out *Facets, own map[*termFacet]*facetCounter) {
	for _, f := range termFacets {
		var rows []termCount
		if fc, ok := own[f]; ok {
			rows = keepSelected(fc.rows(f.field, f.all), f.size(fp.p), f.selected(fp.p))
		} else if n := f.size(fp.p); n > 0 && fp.main != nil {
			rows = fp.main.rows(f.field, n)
		}
		f.set(out, rows)
	}
	out.Date = []DateCount{}
	if fp.dateField != "" {
		out.Date = dateCounts(fp.buckets, fp.main.rows(fp.dateField, len(fp.buckets)))
	}
}

// countryRows converts facet rows into CountryCounts with French names;
// never nil.
func countryRows(rows []termCount) []CountryCount {
	out := make([]CountryCount, len(rows))
	for i, r := range rows {
		out[i] = CountryCount{Code: r.term, Name: corpus.CountryName(r.term), Count: r.count}
	}
	return out
}

// orgRows converts facet rows into OrgCounts with names and acronyms;
// never nil.
func orgRows(rows []termCount) []OrgCount {
	out := make([]OrgCount, len(rows))
	for i, r := range rows {
		out[i] = OrgCount{Code: r.term, Name: corpus.OrganizationName(r.term), Acronym: corpus.OrganizationAcronym(r.term), Count: r.count}
	}
	return out
}

// keepSelected returns the first n rows of counts and, after them, the
// selected values that are not among them (with a zero count when they
// match nothing), so that a user always sees what is selected.
func keepSelected(counts []termCount, n int, selected []string) []termCount {
	out := slices.Clone(counts[:min(n, len(counts))])
	for _, v := range selected {
		if slices.ContainsFunc(out, func(c termCount) bool { return c.term == v }) {
			continue
		}
		row := termCount{term: v}
		if i := slices.IndexFunc(counts, func(c termCount) bool { return c.term == v }); i >= 0 {
			row = counts[i]
		}
		out = append(out, row)
	}
	return out
}

// bucket is one bar of the date histogram.
type bucket struct {
	name       string
	start, end time.Time
}

// dateBuckets returns the histogram bars covering the index's date range,
// by interval ("year", "month", "auto" or "" for none), and whether they
// are years.
func (idx *Index) dateBuckets(interval string) ([]bucket, bool) {
	m := idx.getMeta()
	if interval == "" || m.FirstDate.IsZero() {
		return nil, false
	}
	first, last := m.FirstDate, m.LastDate
	if interval == "auto" {
		interval = "month"
		if last.Sub(first) > autoYearSpan {
			interval = "year"
		}
	}
	months := (last.Year()-first.Year())*12 + int(last.Month()) - int(first.Month()) + 1
	if interval == "month" && months > maxDateBuckets {
		interval = "year"
	}
	var out []bucket
	if interval == "year" {
		for y := first.Year(); y <= last.Year() && len(out) < maxDateBuckets; y++ {
			s := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
			out = append(out, bucket{name: s.Format("2006"), start: s, end: s.AddDate(1, 0, 0)})
		}
		return out, true
	}
	s := time.Date(first.Year(), first.Month(), 1, 0, 0, 0, 0, time.UTC)
	for ; !s.After(last); s = s.AddDate(0, 1, 0) {
		out = append(out, bucket{name: s.Format("2006-01"), start: s, end: s.AddDate(0, 1, 0)})
	}
	return out, false
}

// dateCounts returns the histogram in date order, without the empty bars
// before the first and after the last non-empty one.
func dateCounts(buckets []bucket, rows []termCount) []DateCount {
	counts := make(map[string]int, len(rows))
	for _, r := range rows {
		counts[r.term] = r.count
	}
	out := make([]DateCount, len(buckets))
	lo, hi := len(buckets), -1
	for i, b := range buckets {
		out[i] = DateCount{Period: b.name, Count: counts[b.name]}
		if out[i].Count > 0 {
			lo, hi = min(lo, i), max(hi, i)
		}
	}
	if hi < 0 {
		return []DateCount{}
	}
	return out[lo : hi+1]
}
