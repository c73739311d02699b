package server

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rapports/rapports/analyzers"
	"github.com/rapports/rapports/corpus"
	"github.com/rapports/rapports/index"
)

// DefaultSize is the number of hits per page when size is not given.
const DefaultSize = 10

// badParam returns a 400 error whose message starts with the parameter.
func badParam(param, format string, args ...any) *Error {
	return &Error{Status: http.StatusBadRequest, Code: "bad_request",
		Message: param + ": " + fmt.Sprintf(format, args...), Err: index.ErrBadRequest}
}

// SearchParams are the parameters of /api/search. ParseSearch refuses
// any other, so that a misspelt or foreign one (limit, offset) is not
// silently ignored.
var SearchParams = []string{"q", "country", "organization", "from", "to", "sort", "size", "page", "cursor", "highlight", "interval"}

// ExportParams are the parameters of /api/export (see ParseExport).
var ExportParams = []string{"q", "country", "organization", "from", "to", "sort", "format", "text"}

// ParseSearch reads the parameters of /api/search into an index.Request:
// q (at most index.MaxQueryLen characters; it may be empty or absent when
// a filter is given, to list the matching reports newest first), country
// (repeated or comma-separated ISO 3166-1 alpha-2 codes), organization
// (repeated or comma-separated codes of the gazetteer of organisations, as
// in ONU, OTAN or MSF; see corpus.OrganizationCodes), from and to
// (YYYY, YYYY-MM or YYYY-MM-DD), sort (relevance, date, -date), size (1 to
// index.MaxSize, default DefaultSize), page (from 1, no further than
// index.MaxWindow results), cursor (the next_cursor of a previous answer,
// for deep paging, instead of page), highlight (a boolean, default true)
// and interval (year, month or none, for the date facet). Any other
// parameter is refused (see SearchParams).
//
// A bad parameter is an *Error naming it: status 413 for a q too long, 400
// for the rest (wrapping index.ErrBadRequest).
func ParseSearch(v url.Values) (index.Request, error) {
	if err := unknownParams(v, SearchParams); err != nil {
		return index.Request{}, err
	}
	return parseSearch(v)
}

// unknownParams returns a 400 *Error naming the parameters of v that are
// not in known, or nil.
func unknownParams(v url.Values, known []string) error {
	var unknown []string
	for name := range v {
		if !slices.Contains(known, name) {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	slices.Sort(unknown)
	noun := "an unknown parameter"
	if len(unknown) > 1 {
		noun = "unknown parameters"
	}
	return badParam(strings.Join(unknown, ", "), "%s (the parameters are %s)", noun, strings.Join(known, ", "))
}

// ExportOptions are the parameters of /api/export beyond the search's.
type ExportOptions struct {
	// Format is "jsonl" (JSON Lines, the default) or "csv".
	Format string
	// Text adds each report's text to its row.
	Text bool
}

// ExportFormats are the formats of /api/export.
var ExportFormats = []string{"jsonl", "csv"}

// ParseExport reads the parameters of /api/export: those of ParseSearch
// that choose the hits (q, country, from, to, sort), format (jsonl or
// csv) and text (a boolean: add each report's text). Any other parameter
// is refused (see ExportParams).
func ParseExport(v url.Values) (index.Request, ExportOptions, error) {
	opts := ExportOptions{Format: "jsonl"}
	if err := unknownParams(v, ExportParams); err != nil {
		return index.Request{}, opts, err
	}
	switch f := v.Get("format"); f {
	case "":
	case "jsonl", "csv":
		opts.Format = f
	default:
		return index.Request{}, opts, badParam("format", "%q is not an export format (want jsonl or csv)", f)
	}
	if s := v.Get("text"); s != "" {
		b, err := strconv.ParseBool(s)
		if err != nil {
			return index.Request{}, opts, badParam("text", "%q is not a boolean (want true or false)", s)
		}
		opts.Text = b
	}
	search := url.Values{}
	for _, name := range []string{"q", "country", "organization", "from", "to", "sort"} {
		if vals, ok := v[name]; ok {
			search[name] = vals
		}
	}
	req, err := parseSearch(search)
	return req, opts, err
}

// parseSearch is ParseSearch without the check of unknown parameters.
func parseSearch(v url.Values) (index.Request, error) {
	req := index.Request{Size: DefaultSize, Page: 1, Highlight: true}

	q := v.Get("q")
	if n := utf8.RuneCountInString(q); n > index.MaxQueryLen {
		return req, &Error{Status: http.StatusRequestEntityTooLarge, Code: "too_large",
			Message: fmt.Sprintf("q: %d characters, at most %d", n, index.MaxQueryLen), Err: index.ErrBadRequest}
	}
	if !utf8.ValidString(q) {
		return req, badParam("q", "not valid UTF-8")
	}
	req.Query = q

	for _, list := range v["country"] {
		for c := range strings.SplitSeq(list, ",") {
			c = strings.TrimSpace(c)
			if c == "" {
				continue
			}
			code := strings.ToUpper(c)
			if len(code) != 2 || !corpus.IsCountry(code) {
				return req, badParam("country", "%q is not an ISO 3166-1 code (want two letters, as in FR)", c)
			}
			if !slices.Contains(req.Countries, code) {
				req.Countries = append(req.Countries, code)
			}
		}
	}

	for _, list := range v["organization"] {
		for c := range strings.SplitSeq(list, ",") {
			c = strings.TrimSpace(c)
			if c == "" {
				continue
			}
			code := strings.ToUpper(c)
			if !corpus.IsOrganization(code) {
				return req, badParam("organization", "%q is not a code of the gazetteer of organisations (as in ONU, OTAN, MSF)", c)
			}
			if !slices.Contains(req.Organizations, code) {
				req.Organizations = append(req.Organizations, code)
			}
		}
	}

	var from, to corpus.Date
	for _, p := range []struct {
		name string
		dst  *string
		date *corpus.Date
	}{{"from", &req.From, &from}, {"to", &req.To, &to}} {
		s := strings.TrimSpace(v.Get(p.name))
		if s == "" {
			continue
		}
		d, err := corpus.ParseISODate(s)
		if err != nil {
			return req, &Error{Status: http.StatusBadRequest, Code: "bad_request",
				Message: p.name + ": " + err.Error(), Err: err}
		}
		*p.dst, *p.date = s, d
	}
	if !from.IsZero() && !to.IsZero() && !from.Time.Before(to.End()) {
		return req, badParam("from", "%s is after to: %s", req.From, req.To)
	}
	if strings.TrimSpace(q) == "" && len(req.Countries) == 0 && len(req.Organizations) == 0 && req.From == "" && req.To == "" {
		return req, badParam("q", "missing: give the words to search for, as in q=armée, or a filter (country, organization, from, to) to list its reports by date")
	}

	switch s := v.Get("sort"); s {
	case "", index.SortRelevance:
		req.Sort = index.SortRelevance
	case index.SortDate, index.SortDateDesc:
		req.Sort = s
	default:
		return req, badParam("sort", "%q is not a sort order (want relevance, date or -date)", s)
	}

	var err error
	if req.Size, err = intParam(v, "size", DefaultSize); err != nil {
		return req, err
	}
	if req.Size < 1 || req.Size > index.MaxSize {
		return req, badParam("size", "%d is out of range (want 1 to %d)", req.Size, index.MaxSize)
	}
	if req.Page, err = intParam(v, "page", 1); err != nil {
		return req, err
	}
	if req.Page < 1 {
		return req, badParam("page", "%d is out of range (pages start at 1)", req.Page)
	}
	req.Cursor = strings.TrimSpace(v.Get("cursor"))
	if req.Cursor != "" && req.Page > 1 {
		return req, badParam("cursor", "give cursor or page, not both (a cursor follows the page it came with)")
	}
	if req.Page > index.MaxWindow/req.Size {
		return req, badParam("page", "%d is too far: results beyond %d are not paged (at size %d, the last page is %d); follow next_cursor (cursor=) to go further, or narrow the search",
			req.Page, index.MaxWindow, req.Size, index.MaxWindow/req.Size)
	}

	if s := v.Get("highlight"); s != "" {
		b, err := strconv.ParseBool(s)
		if err != nil {
			return req, badParam("highlight", "%q is not a boolean (want true or false)", s)
		}
		req.Highlight = b
	}

	switch s := v.Get("interval"); s {
	case "", "year", "month", "none":
		req.Facets.DateInterval = s
	default:
		return req, badParam("interval", "%q is not a date interval (want year, month or none)", s)
	}
	return req, nil
}

// intParam reads the integer parameter name, or def when it is absent.
func intParam(v url.Values, name string, def int) (int, error) {
	s := strings.TrimSpace(v.Get(name))
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, badParam(name, "%q is not a whole number", s)
	}
	return n, nil
}

// Analyze runs the analyzer name (analyzers.FrenchName when empty) over
// text and returns its tokens: the answer of /api/analyze. An unknown
// analyzer or a missing text is a 400 *Error, a text longer than
// MaxAnalyzeLen characters a 413 one.
func Analyze(name, text string) (Analysis, error) {
	if name == "" {
		name = analyzers.FrenchName
	}
	if !slices.Contains(analyzers.Names(), name) {
		return Analysis{}, badParam("analyzer", "%q is not an analyzer (want one of %s)",
			name, strings.Join(analyzers.Names(), ", "))
	}
	if text == "" {
		return Analysis{}, badParam("text", "missing: give the text to analyze, as in text=l'armée")
	}
	if n := utf8.RuneCountInString(text); n > MaxAnalyzeLen {
		return Analysis{}, &Error{Status: http.StatusRequestEntityTooLarge, Code: "too_large",
			Message: fmt.Sprintf("text: %d characters, at most %d", n, MaxAnalyzeLen)}
	}
	toks, err := analyzers.Analyze(name, text)
	if err != nil {
		return Analysis{}, fmt.Errorf("server: analyze with %s: %w", name, err)
	}
	if toks == nil {
		toks = []analyzers.Token{}
	}
	return Analysis{Analyzer: name, Tokens: toks}, nil
}
