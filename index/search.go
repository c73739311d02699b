package index

import (
	"context"
	"fmt"
	"html"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/rapports/rapports/analyzers"
	"github.com/rapports/rapports/corpus"
)

// Defaults of a Request.
const (
	DefaultSize           = 10
	DefaultFacetCountries = 20
	// maxDateBuckets is the most bars of a date histogram; a longer span
	// is counted by year.
	maxDateBuckets = 400
	// autoYearSpan is the span over which the automatic histogram counts by
	// year rather than by month.
	autoYearSpan = 3 * 365 * 24 * time.Hour
)

// plan is a validated Request.
type plan struct {
	text      query.Query // the query text, without filters
	countries []string
	from, to  time.Time // to is exclusive; zero for open
	hasFrom   bool
	hasTo     bool
	sort      string
	size      int
	page      int
	highlight bool
	nCountry  int    // size of the country facet, 0 for none
	interval  string // "year", "month" or "" for none
}

// validate checks r and builds its plan. Errors wrap ErrEmptyQuery,
// ErrBadQuery, ErrTooExpensive or ErrBadRequest (and corpus.ErrBadDate for
// dates) and name the culprit.
func (idx *Index) validate(r Request) (*plan, error) {
	p := &plan{size: r.Size, page: r.Page, highlight: r.Highlight}
	switch {
	case p.size == 0:
		p.size = DefaultSize
	case p.size < 0 || p.size > MaxSize:
		return nil, fmt.Errorf("%w: size %d is out of range 1..%d", ErrBadRequest, r.Size, MaxSize)
	}
	switch {
	case p.page == 0:
		p.page = 1
	case p.page < 0:
		return nil, fmt.Errorf("%w: page %d is not positive", ErrBadRequest, r.Page)
	}
	if p.page > MaxWindow || (p.page-1)*p.size+p.size > MaxWindow {
		return nil, fmt.Errorf("%w: page %d of %d hits goes past hit %d: refine the query", ErrBadRequest, r.Page, p.size, MaxWindow)
	}
	switch r.Sort {
	case "", SortRelevance:
		p.sort = SortRelevance
	case SortDate, SortDateDesc:
		p.sort = r.Sort
	default:
		return nil, fmt.Errorf("%w: sort %q is not one of %q, %q, %q", ErrBadRequest, r.Sort, SortRelevance, SortDate, SortDateDesc)
	}
	for _, c := range r.Countries {
		code := strings.ToUpper(strings.TrimSpace(c))
		if !corpus.IsCountry(code) {
			return nil, fmt.Errorf("%w: country %q is not an ISO 3166-1 alpha-2 code", ErrBadRequest, c)
		}
		if !slices.Contains(p.countries, code) {
			p.countries = append(p.countries, code)
		}
	}
	if r.From != "" {
		d, err := corpus.ParseISODate(strings.TrimSpace(r.From))
		if err != nil {
			return nil, fmt.Errorf("%w: from: %w", ErrBadRequest, err)
		}
		p.from, p.hasFrom = d.Time, true
	}
	if r.To != "" {
		d, err := corpus.ParseISODate(strings.TrimSpace(r.To))
		if err != nil {
			return nil, fmt.Errorf("%w: to: %w", ErrBadRequest, err)
		}
		p.to, p.hasTo = d.End(), true
	}
	if p.hasFrom && p.hasTo && !p.from.Before(p.to) {
		return nil, fmt.Errorf("%w: from %s is after to %s", ErrBadRequest, r.From, r.To)
	}
	switch n := r.Facets.Countries; {
	case n == 0:
		p.nCountry = DefaultFacetCountries
	case n < 0:
		p.nCountry = 0
	default:
		p.nCountry = min(n, allCountries)
	}
	switch r.Facets.DateInterval {
	case "":
		p.interval = "auto"
	case "year", "month":
		p.interval = r.Facets.DateInterval
	case "none":
		p.interval = ""
	default:
		return nil, fmt.Errorf("%w: date interval %q is not one of year, month, none or empty", ErrBadRequest, r.Facets.DateInterval)
	}
	ast, err := parseQuery(r.Query)
	if err != nil {
		return nil, err
	}
	b := builder{idx: idx, top: ast}
	q, err := b.build(ast)
	if err != nil {
		return nil, err
	}
	if q == nil {
		// Every word was a stop word: search them as exact forms.
		b.keepStops = true
		if q, err = b.build(ast); err != nil {
			return nil, err
		}
	}
	if q == nil {
		return nil, fmt.Errorf("%w: nothing to search for in %q (only punctuation)", ErrEmptyQuery, r.Query)
	}
	if q, err = b.boostPhrase(ast, q); err != nil {
		return nil, err
	}
	p.text = q
	return p, nil
}

// filtered returns the plan's query with its filters; the country filter
// only when withCountries.
func (p *plan) filtered(withCountries bool) query.Query {
	var filters []query.Query
	if withCountries && len(p.countries) > 0 {
		qs := make([]query.Query, len(p.countries))
		for i, c := range p.countries {
			t := bleve.NewTermQuery(c)
			t.SetField(fieldCountries)
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
	if len(filters) == 0 {
		return p.text
	}
	bq := bleve.NewBooleanQuery()
	bq.AddMust(p.text)
	if len(filters) == 1 {
		bq.AddFilter(filters[0])
	} else {
		bq.AddFilter(bleve.NewConjunctionQuery(filters...))
	}
	return bq
}

// Search runs r against the index and returns one page of hits with facets
// over the whole result set. Words are ANDed: every word must match, in any
// form the French stemmer conflates. It fails with ErrEmptyQuery,
// ErrBadQuery, ErrTooExpensive or ErrBadRequest on a bad request, with
// ErrClosed after Close, and stops when ctx is done.
func (idx *Index) Search(ctx context.Context, r Request) (*Result, error) {
	start := time.Now()
	if err := idx.reader(); err != nil {
		return nil, err
	}
	defer idx.mu.RUnlock()
	p, err := idx.validate(r)
	if err != nil {
		return nil, err
	}
	disjunctive := len(p.countries) > 0 && p.nCountry > 0
	req := bleve.NewSearchRequestOptions(p.filtered(true), p.size, (p.page-1)*p.size, false)
	req.Fields = hitFields
	stats, err := idx.bm25Stats(ctx)
	if err != nil {
		return nil, searchError(r.Query, err)
	}
	if stats != nil {
		req.PreSearchData = map[string]any{search.BM25PreSearchDataKey: stats}
	}
	req.Facets = bleve.FacetsRequest{}
	if p.nCountry > 0 && !disjunctive {
		req.Facets["country"] = bleve.NewFacetRequest(fieldCountries, p.nCountry)
	}
	buckets, byYear := idx.dateBuckets(p.interval)
	if len(buckets) > 0 {
		field := fieldMonth
		if byYear {
			field = fieldYear
		}
		req.Facets["date"] = bleve.NewFacetRequest(field, len(buckets))
	}
	switch p.sort {
	case SortDate, SortDateDesc:
		req.Sort = search.SortOrder{
			&search.SortField{Field: fieldDate, Type: search.SortFieldAsDate, Desc: p.sort == SortDateDesc, Missing: search.SortFieldMissingLast},
			&search.SortScore{Desc: true},
		}
	}
	// The disjunctive country facet needs a search of its own: run it
	// alongside the main one, on the other core.
	type facetResult struct {
		res *bleve.SearchResult
		err error
	}
	var countries chan facetResult
	if disjunctive {
		countries = make(chan facetResult, 1)
		go func() {
			// Count each country over the query without the country
			// filter, so a country shows what it would add.
			creq := bleve.NewSearchRequestOptions(p.filtered(false), 0, 0, false)
			creq.Facets = bleve.FacetsRequest{"country": bleve.NewFacetRequest(fieldCountries, allCountries)}
			res, err := idx.bi.SearchInContext(ctx, creq)
			countries <- facetResult{res, err}
		}()
	}
	res, err := idx.bi.SearchInContext(ctx, req)
	var cres facetResult
	if disjunctive {
		cres = <-countries
	}
	if err == nil {
		err = cres.err
	}
	if err != nil {
		return nil, searchError(r.Query, err)
	}
	if p.highlight && len(res.Hits) > 0 {
		if err := idx.highlight(ctx, p.text, res.Hits); err != nil {
			return nil, searchError(r.Query, err)
		}
	}
	out := &Result{
		Query:  r.Query,
		Total:  res.Total,
		Page:   p.page,
		Size:   p.size,
		Hits:   make([]Hit, 0, len(res.Hits)),
		Facets: Facets{Country: []CountryCount{}, Date: []DateCount{}},
	}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, makeHit(h))
	}
	if f := res.Facets["country"]; f != nil {
		out.Facets.Country = countryCounts(f)
	}
	if disjunctive {
		out.Facets.Country = keepSelected(countryCounts(cres.res.Facets["country"]), p.nCountry, p.countries)
	}
	if f := res.Facets["date"]; f != nil {
		out.Facets.Date = dateCounts(buckets, f)
	}
	out.TookMS = float64(time.Since(start).Microseconds()) / 1000
	return out, nil
}

// highlight fills the fragments of hits. It runs the text query again on
// these documents only: highlighting in the main search would collect the
// term locations of every match, not only of the page (it doubled the time
// of broad queries on the 233,987-report corpus).
func (idx *Index) highlight(ctx context.Context, text query.Query, hits search.DocumentMatchCollection) error {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	req := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(bleve.NewDocIDQuery(ids), text), len(ids), 0, false)
	req.Highlight = bleve.NewHighlightWithStyle("html")
	req.Highlight.Fields = []string{fieldTitle, fieldBody}
	res, err := idx.bi.SearchInContext(ctx, req)
	if err != nil {
		return err
	}
	frags := make(map[string]search.FieldFragmentMap, len(res.Hits))
	for _, h := range res.Hits {
		frags[h.ID] = h.Fragments
	}
	for _, h := range hits {
		h.Fragments = frags[h.ID]
	}
	return nil
}

// allCountries is more than the number of ISO 3166-1 codes: a terms facet
// counts every term anyway, its size only cuts the sorted list.
const allCountries = 300

// keepSelected returns the first n rows of counts and, after them, the
// selected countries that are not among them (with a zero count when they
// match nothing), so that a user always sees what is selected.
func keepSelected(counts []CountryCount, n int, selected []string) []CountryCount {
	out := slices.Clone(counts[:min(n, len(counts))])
	for _, code := range selected {
		if slices.ContainsFunc(out, func(c CountryCount) bool { return c.Code == code }) {
			continue
		}
		row := CountryCount{Code: code, Name: corpus.CountryName(code)}
		if i := slices.IndexFunc(counts, func(c CountryCount) bool { return c.Code == code }); i >= 0 {
			row = counts[i]
		}
		out = append(out, row)
	}
	return out
}

// searchError wraps an error of Bleve's search (context.Canceled and
// context.DeadlineExceeded among them) with the query.
func searchError(q string, err error) error {
	return fmt.Errorf("index: search %q: %w", q, err)
}

// makeHit converts a Bleve hit, escaping every document string.
func makeHit(h *search.DocumentMatch) Hit {
	hit := Hit{
		ID:        h.ID,
		Score:     h.Score,
		Title:     html.EscapeString(str(h.Fields[fieldTitle])),
		Date:      html.EscapeString(str(h.Fields[fieldDateText])),
		Countries: strs(h.Fields[fieldCountries]),
		Source:    html.EscapeString(str(h.Fields[fieldSource])),
	}
	for i, c := range hit.Countries {
		hit.Countries[i] = html.EscapeString(c)
	}
	if t := h.Fragments[fieldTitle]; len(t) > 0 && utf8.ValidString(t[0]) {
		// The html highlighter escapes the text and adds only <mark>.
		hit.Title = t[0]
	}
	for _, f := range h.Fragments[fieldBody] {
		hit.Fragments = append(hit.Fragments, tidyFragment(f))
	}
	return hit
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
func dateCounts(buckets []bucket, f *search.FacetResult) []DateCount {
	counts := map[string]int{}
	if f.Terms != nil {
		for _, t := range f.Terms.Terms() {
			counts[t.Term] = t.Count
		}
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

// builder turns a parsed query into a Bleve query.
type builder struct {
	idx       *Index
	top       *node // the whole query
	keepStops bool  // search stop words as exact forms rather than dropping them
}

// build returns the query for n, or nil when n holds nothing to search
// (stop words only).
func (b *builder) build(n *node) (query.Query, error) {
	switch n.kind {
	case nodeAnd:
		var must, not []query.Query
		for _, k := range n.kids {
			q, err := b.build(k)
			if err != nil {
				return nil, err
			}
			if q == nil {
				continue
			}
			if k.sign == signExcluded {
				not = append(not, q)
			} else {
				must = append(must, q)
			}
		}
		if len(must) == 0 && (len(not) == 0 || (n == b.top && !b.keepStops)) {
			// Nothing positive at the top: the caller retries with stop
			// words kept, and only then searches everything but the
			// exclusions.
			return nil, nil
		}
		if len(not) == 0 {
			if len(must) == 1 {
				return must[0], nil
			}
			return bleve.NewConjunctionQuery(must...), nil
		}
		bq := bleve.NewBooleanQuery()
		if len(must) == 1 {
			bq.AddMust(must[0])
		} else if len(must) > 1 {
			bq.AddMust(bleve.NewConjunctionQuery(must...))
		} else {
			bq.AddMust(bleve.NewMatchAllQuery())
		}
		bq.AddMustNot(not...)
		return bq, nil
	case nodeOr:
		var any []query.Query
		for _, k := range n.kids {
			q, err := b.build(k)
			if err != nil {
				return nil, err
			}
			if q != nil {
				any = append(any, q)
			}
		}
		switch len(any) {
		case 0:
			return nil, nil
		case 1:
			return any[0], nil
		}
		return bleve.NewDisjunctionQuery(any...), nil
	case nodePrefix:
		return b.prefix(n)
	}
	return b.text(n)
}

// boostPhrase returns q, for a query of plain words only (défense
// aérienne), with the words in a row as an optional clause: reports where
// they stand together rank above reports where they are scattered. The
// matches stay those of q.
func (b *builder) boostPhrase(ast *node, q query.Query) (query.Query, error) {
	if len(ast.kids) < 2 {
		return q, nil
	}
	words := make([]string, len(ast.kids))
	for i, k := range ast.kids {
		if k.kind != nodeWord || k.sign != signNone || k.title || k.exact {
			return q, nil
		}
		words[i] = k.text
	}
	text := strings.Join(words, " ")
	toks, err := analyzers.Analyze(analyzers.FrenchName, text)
	if err != nil {
		return nil, fmt.Errorf("index: analyze %q: %w", text, err)
	}
	if len(toks) == 0 || toks[len(toks)-1].Position == toks[0].Position {
		// Stop words and one other word: no phrase to look for.
		return q, nil
	}
	phrase, err := b.text(&node{kind: nodePhrase, text: text})
	if err != nil || phrase == nil {
		return q, err
	}
	bq := bleve.NewBooleanQuery()
	bq.AddMust(q)
	bq.AddShould(phrase)
	return bq, nil
}

// text builds a word or phrase query.
func (b *builder) text(n *node) (query.Query, error) {
	analyzer := analyzers.FrenchName
	if n.exact {
		analyzer = analyzers.ExactQueryName
	}
	toks, err := analyzers.Analyze(analyzer, n.text)
	if err != nil {
		return nil, fmt.Errorf("index: analyze %q: %w", n.text, err)
	}
	if len(toks) == 0 && !n.exact && (b.keepStops || n.sign != signNone) {
		// A stop word the user requires or excludes: match its exact form.
		analyzer = analyzers.ExactQueryName
		if toks, err = analyzers.Analyze(analyzer, n.text); err != nil {
			return nil, fmt.Errorf("index: analyze %q: %w", n.text, err)
		}
	}
	if len(toks) == 0 {
		return nil, nil
	}
	onePosition := true
	for _, t := range toks {
		onePosition = onePosition && t.Position == toks[0].Position
	}
	return b.fields(n, func(field string) query.Query {
		if onePosition {
			// One word, maybe with several stems: any of them.
			qs := make([]query.Query, 0, len(toks))
			for _, t := range toks {
				tq := bleve.NewTermQuery(t.Term)
				tq.SetField(field)
				qs = append(qs, tq)
			}
			if len(qs) == 1 {
				return qs[0]
			}
			return bleve.NewDisjunctionQuery(qs...)
		}
		pq := bleve.NewMatchPhraseQuery(n.text)
		pq.SetField(field)
		pq.Analyzer = analyzer
		return pq
	}), nil
}

// fields returns mk's query on the title only, for title:, or else on the
// title (boosted) or the body.
func (b *builder) fields(n *node, mk func(field string) query.Query) query.Query {
	title := mk(fieldTitle)
	if n.title {
		return title
	}
	title.(query.BoostableQuery).SetBoost(titleBoost)
	return bleve.NewDisjunctionQuery(title, mk(fieldBody))
}

// prefix builds a prefix query on exact forms, refusing one that expands to
// more than MaxPrefixTerms terms.
func (b *builder) prefix(n *node) (query.Query, error) {
	toks, err := analyzers.Analyze(analyzers.ExactQueryName, n.text)
	if err != nil {
		return nil, fmt.Errorf("index: analyze %q: %w", n.text, err)
	}
	if len(toks) != 1 {
		return nil, fmt.Errorf("%w: prefix %q is not a single word (at %d)", ErrBadQuery, n.text+"*", n.pos)
	}
	term := toks[0].Term
	if utf8.RuneCountInString(strings.TrimPrefix(term, analyzers.ExactMarker)) < MinPrefixLen {
		return nil, fmt.Errorf("%w: prefix %q is shorter than %d letters (at %d)", ErrBadQuery, n.text+"*", MinPrefixLen, n.pos)
	}
	for _, field := range []string{fieldTitle, fieldBody} {
		count, err := b.idx.countPrefix(field, term, MaxPrefixTerms+1)
		if err != nil {
			return nil, err
		}
		if count > MaxPrefixTerms {
			return nil, fmt.Errorf("%w: prefix %q matches more than %d words (at %d): make it longer", ErrTooExpensive, n.text+"*", MaxPrefixTerms, n.pos)
		}
	}
	return b.fields(n, func(field string) query.Query {
		q := bleve.NewPrefixQuery(term)
		q.SetField(field)
		return q
	}), nil
}

// countPrefix counts the terms of field that start with prefix, up to limit.
func (idx *Index) countPrefix(field, prefix string, limit int) (int, error) {
	d, err := idx.bi.FieldDictPrefix(field, []byte(prefix))
	if err != nil {
		return 0, fmt.Errorf("index: expand prefix %q: %w", prefix, err)
	}
	defer d.Close()
	n := 0
	for n < limit {
		e, err := d.Next()
		if err != nil {
			return 0, fmt.Errorf("index: expand prefix %q: %w", prefix, err)
		}
		if e == nil {
			break
		}
		n++
	}
	return n, nil
}
