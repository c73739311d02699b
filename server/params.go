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
	"github.com/rapports/rapports/index"
)

// badParam returns a 400 error whose message starts with the parameter.
func badParam(param, format string, args ...any) *Error {
	return &Error{Status: http.StatusBadRequest, Code: "bad_request", Param: param,
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
// index.MaxSize, default index.DefaultSize), page (from 1, no further than
// index.MaxWindow results), cursor (the next_cursor of a previous answer,
// for deep paging, instead of page), highlight (a boolean, default true)
// and interval (year, month or none, for the date facet). Any other
// parameter is refused (see SearchParams).
//
// It only converts strings and returns the request normalized
// (index.Request.Normalized): the rules of every field are the index's. A
// parameter that does not convert is an *Error naming it; a request the
// index refuses is its *index.RequestError or *index.QueryError, which
// ErrorOf maps.
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
	req := index.Request{
		Query:         v.Get("q"),
		Countries:     listParam(v, "country"),
		Organizations: listParam(v, "organization"),
		From:          v.Get("from"),
		To:            v.Get("to"),
		Sort:          v.Get("sort"),
		Cursor:        strings.TrimSpace(v.Get("cursor")),
		Highlight:     true,
		Facets:        index.FacetOptions{DateInterval: v.Get("interval")},
	}
	var err error
	if req.Size, err = countParam(v, "size"); err != nil {
		return req, err
	}
	if req.Page, err = countParam(v, "page"); err != nil {
		return req, err
	}
	if req.Highlight, err = boolParam(v, "highlight", true); err != nil {
		return req, err
	}
	return req.Normalized()
}

// DocumentParams are the parameters of /api/documents/{id} (see
// ParseDocument).
var DocumentParams = []string{"q", "html"}

// ParseDocument reads the parameters of /api/documents/{id}: q, a query
// whose matches in the document's title and body are given as byte
// offsets (title_matches, body_matches; see index.DocumentOptions), and
// html (a boolean, default false) for the title and body also as HTML
// with <mark> around the matches (title_html, body_html). Any other
// parameter is refused. The query is checked by the index, as in a search.
func ParseDocument(v url.Values) (index.DocumentOptions, error) {
	if err := unknownParams(v, DocumentParams); err != nil {
		return index.DocumentOptions{}, err
	}
	var err error
	opts := index.DocumentOptions{Query: v.Get("q")}
	opts.HTML, err = boolParam(v, "html", false)
	return opts, err
}

// DocumentValues returns the parameters of /api/documents/{id} that
// ParseDocument reads back as opts.
func DocumentValues(opts index.DocumentOptions) url.Values {
	v := url.Values{}
	if opts.Query != "" {
		v.Set("q", opts.Query)
	}
	if opts.HTML {
		v.Set("html", "true")
	}
	return v
}

// boolParam reads the boolean parameter name, or def when it is absent.
func boolParam(v url.Values, name string, def bool) (bool, error) {
	s := v.Get(name)
	if s == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return def, badParam(name, "%q is not a boolean (want true or false)", s)
	}
	return b, nil
}

// listParam returns the values of the repeated or comma-separated
// parameter name, trimmed, without the empty ones.
func listParam(v url.Values, name string) []string {
	var out []string
	for _, list := range v[name] {
		for s := range strings.SplitSeq(list, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// countParam reads the parameter name, a whole number from 1, or 0 when
// it is absent (the index's default).
func countParam(v url.Values, name string) (int, error) {
	s := strings.TrimSpace(v.Get(name))
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, badParam(name, "%q is not a whole number", s)
	}
	if n < 1 {
		// 0 would be read as absent.
		return 0, badParam(name, "%d is out of range (want a whole number from 1)", n)
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
