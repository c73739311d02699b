package index

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/rapports/rapports/corpus"
)

// Defaults of a Request. They are defined here only: the HTTP API and the
// command line leave a field unset (0, "") to get them.
const (
	DefaultSize           = 10
	DefaultFacetCountries = 20
	DefaultFacetOrgs      = 20
)

// RequestError is a Request field that is missing, out of range or
// malformed. It wraps ErrBadRequest and, when set, Err (corpus.ErrBadDate
// for a date, ErrTooLong for a query too long, ErrEmptyQuery for a blank
// one), so errors.Is works with each.
type RequestError struct {
	// Field is the field at fault, by its HTTP API parameter name: "q",
	// "country", "organization", "from", "to", "sort", "size", "page" or "interval".
	Field string
	// Reason says what is wrong, for the user ("101 is out of range
	// (want 1 to 100)").
	Reason string
	// Limit is, for a field past a limit of the index, that limit: MaxSize
	// for "size", MaxWindow for a "page" too far, MaxQueryLen for a "q"
	// too long; 0 otherwise. Programs say it in their own words.
	Limit int
	// Err is the cause, if any.
	Err error
}

// Error returns "index: bad request: FIELD: REASON".
func (e *RequestError) Error() string {
	return "index: bad request: " + e.Field + ": " + e.Reason
}

// Unwrap returns ErrBadRequest and the cause.
func (e *RequestError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrBadRequest}
	}
	return []error{ErrBadRequest, e.Err}
}

// Kinds of QueryError: what is wrong with the query text, for programs
// that explain it in their own words (the search page does, in French).
const (
	KindEmpty             = "empty"               // nothing to search for (only punctuation)
	KindInvalidUTF8       = "invalid_utf8"        // the text is not valid UTF-8
	KindUnclosedQuote     = "unclosed_quote"      // "défense aérienne
	KindUnclosedParen     = "unclosed_paren"      // (Gaza OR Liban
	KindUnexpectedParen   = "unexpected_paren"    // Gaza)
	KindOrWithoutLeft     = "or_without_left"     // OR Gaza
	KindOrWithoutRight    = "or_without_right"    // Gaza OR
	KindOrNextToExcluded  = "or_next_to_excluded" // Gaza OR -Liban
	KindNoTerm            = "no_term"             // an operator or a field without a term after it: "armée +", "title: Gaza"
	KindBadField          = "bad_field"           // title: or exact: on what cannot take it
	KindPrefixAfterPhrase = "prefix_after_phrase" // "défense"*
	KindStarInsideWord    = "star_inside_word"    // ar*mée
	KindPrefixTooShort    = "prefix_too_short"    // a*
	KindPrefixNotWord     = "prefix_not_word"     // a prefix that analyses to several words
	KindBadProximity      = "bad_proximity"       // "a b"~ without a number of positions
	KindProximityTooFar   = "proximity_too_far"   // "a b"~N with N over MaxSlop (ErrTooExpensive)
	KindPrefixTooMany     = "prefix_too_many"     // a prefix that matches more than MaxPrefixTerms words (ErrTooExpensive)
	KindPrefixesTooMany   = "prefixes_too_many"   // prefixes that match more than MaxQueryPrefixTerms words in all (ErrTooExpensive)
	KindTooManyClauses    = "too_many_clauses"    // more than MaxClauses words, phrases and prefixes (ErrTooExpensive)
	KindTooDeep           = "too_deep"            // parentheses nested deeper than MaxDepth (ErrTooExpensive)
)

// QueryError is a query text that cannot be searched: it does not parse
// (wrapping ErrBadQuery), it would cost too much (ErrTooExpensive) or it
// holds nothing to search for (ErrEmptyQuery).
type QueryError struct {
	// Pos is the 1-based character (not byte) position in the query of
	// the problem, 0 when it has none.
	Pos int
	// Kind is one of the Kind constants.
	Kind string
	// Msg says what is wrong, in English, without the position
	// ("unclosed quote").
	Msg string
	// Err is ErrBadQuery, ErrTooExpensive or ErrEmptyQuery.
	Err error
}

// Error returns "index: bad query: MSG at POS" (the sentinel's text, the
// message and the position when there is one).
func (e *QueryError) Error() string {
	s := e.Err.Error() + ": " + e.Msg
	if e.Pos > 0 {
		s += fmt.Sprintf(" at %d", e.Pos)
	}
	return s
}

// Unwrap returns the sentinel.
func (e *QueryError) Unwrap() error { return e.Err }

// badField returns a RequestError on field.
func badField(field, format string, args ...any) *RequestError {
	return &RequestError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// Normalized checks every field of r and the syntax of its query, without
// an index, and returns r with its defaults applied (Size, Page, Sort) and
// its country and organisation codes upper-cased, trimmed and without
// repeats: the request Index.Search runs. It fails with the error that
// Search would give for the first field at fault, a *RequestError or a
// *QueryError (only a prefix that expands to too many words of the index,
// or a query of punctuation only, is found by Search alone). Programs call
// it to refuse a bad request before opening an index.
func (r Request) Normalized() (Request, error) {
	p, _, err := checkRequest(r)
	if err != nil {
		return r, err
	}
	r.Size, r.Page, r.Sort = p.size, p.page, p.sort
	r.Countries, r.Organizations = p.countries, p.orgs
	r.From, r.To = strings.TrimSpace(r.From), strings.TrimSpace(r.To)
	return r, nil
}

// checkRequest checks r, applies its defaults and parses its query (none
// when the plan browses): the plan it returns lacks only the Bleve queries
// of the text.
func checkRequest(r Request) (*plan, *node, error) {
	if err := checkQueryLength(r.Query); err != nil {
		return nil, nil, err
	}
	p := &plan{size: r.Size, page: r.Page, highlight: r.Highlight}
	var err error
	if p.countries, err = checkCodes("country", r.Countries, corpus.IsCountry,
		"an ISO 3166-1 code (want two letters, as in FR)"); err != nil {
		return nil, nil, err
	}
	if p.orgs, err = checkCodes("organization", r.Organizations, corpus.IsOrganization,
		"a code of the gazetteer of organisations (as in ONU, OTAN, MSF)"); err != nil {
		return nil, nil, err
	}
	if p.from, p.hasFrom, err = checkDate("from", r.From, false); err != nil {
		return nil, nil, err
	}
	if p.to, p.hasTo, err = checkDate("to", r.To, true); err != nil {
		return nil, nil, err
	}
	if p.hasFrom && p.hasTo && !p.from.Before(p.to) {
		return nil, nil, badField("from", "%s is after to: %s", strings.TrimSpace(r.From), strings.TrimSpace(r.To))
	}
	switch r.Sort {
	case "", SortRelevance:
		p.sort = SortRelevance
	case SortDate, SortDateDesc:
		p.sort = r.Sort
	default:
		return nil, nil, badField("sort", "%q is not a sort order (want %s, %s or %s)", r.Sort, SortRelevance, SortDate, SortDateDesc)
	}
	switch {
	case p.size == 0:
		p.size = DefaultSize
	case p.size < 0 || p.size > MaxSize:
		e := badField("size", "%d is out of range (want 1 to %d)", r.Size, MaxSize)
		e.Limit = MaxSize
		return nil, nil, e
	}
	switch {
	case p.page == 0:
		p.page = 1
	case p.page < 0:
		return nil, nil, badField("page", "%d is out of range (pages start at 1)", r.Page)
	}
	if r.Cursor != "" {
		if p.page > 1 {
			return nil, nil, badField("cursor", "give cursor or page, not both (a cursor follows the page it came with)")
		}
		if p.after, err = decodeCursor(r.Cursor); err != nil {
			return nil, nil, err
		}
	}
	if p.page > MaxWindow/p.size {
		e := badField("page", "%d is too far: results beyond %d are not paged (at size %d, the last page is %d); follow next_cursor (cursor=) to go further, or narrow the search",
			p.page, MaxWindow, p.size, MaxWindow/p.size)
		e.Limit = MaxWindow
		return nil, nil, e
	}
	p.nCountry = facetSize(r.Facets.Countries, DefaultFacetCountries, allCountries)
	p.nOrg = facetSize(r.Facets.Organizations, DefaultFacetOrgs, allOrgs)
	switch r.Facets.DateInterval {
	case "":
		p.interval = "auto"
	case "year", "month":
		p.interval = r.Facets.DateInterval
	case "none":
		p.interval = ""
	default:
		return nil, nil, badField("interval", "%q is not a date interval (want year, month or none)", r.Facets.DateInterval)
	}
	if strings.TrimSpace(r.Query) == "" {
		if len(p.countries) == 0 && len(p.orgs) == 0 && !p.hasFrom && !p.hasTo {
			return nil, nil, &RequestError{Field: "q", Err: ErrEmptyQuery,
				Reason: "missing: give the words to search for, as in q=armée, or a filter (country, organization, from, to) to list its reports by date"}
		}
		p.browse = true
		return p, nil, nil
	}
	ast, err := parseQuery(r.Query)
	if err != nil {
		return nil, nil, err
	}
	return p, ast, nil
}

// facetSize returns the rows of a facet asked for n (FacetOptions): def
// for 0, none for a negative n, at most all.
func facetSize(n, def, all int) int {
	switch {
	case n == 0:
		return def
	case n < 0:
		return 0
	}
	return min(n, all)
}

// checkDate parses the date s of field: its start, or with end the end
// of its period (exclusive), and whether there is one.
func checkDate(field, s string, end bool) (time.Time, bool, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false, nil
	}
	d, err := corpus.ParseISODate(s)
	if err != nil {
		return time.Time{}, false, &RequestError{Field: field, Reason: err.Error(), Err: err}
	}
	if end {
		return d.End(), true, nil
	}
	return d.Time, true, nil
}

// checkQueryLength checks the length and encoding of a query text.
func checkQueryLength(s string) error {
	if n := utf8.RuneCountInString(s); n > MaxQueryLen {
		return &RequestError{Field: "q", Reason: fmt.Sprintf("%d characters, at most %d", n, MaxQueryLen), Limit: MaxQueryLen, Err: ErrTooLong}
	}
	if !utf8.ValidString(s) {
		return &QueryError{Kind: KindInvalidUTF8, Msg: "query is not valid UTF-8", Err: ErrBadQuery}
	}
	return nil
}

// checkQueryText checks the length and encoding of a query text and that
// it is not blank.
func checkQueryText(s string) error {
	if err := checkQueryLength(s); err != nil {
		return err
	}
	if strings.TrimSpace(s) == "" {
		return &RequestError{Field: "q", Reason: "missing: give the words to search for", Err: ErrEmptyQuery}
	}
	return nil
}

// plan is a validated Request.
type plan struct {
	text      query.Query // the query text, without filters, for highlighting
	ranked    query.Query // the same matches, ranked (rank.go)
	countries []string
	orgs      []string  // organisation codes
	nOrg      int       // size of the organisation facet, 0 for none
	from, to  time.Time // to is exclusive; zero for open
	hasFrom   bool
	hasTo     bool
	sort      string
	size      int
	page      int
	highlight bool
	browse    bool     // no words, only filters: every matching report
	after     []string // the sort values to start after (Request.Cursor), or nil
	nCountry  int      // size of the country facet, 0 for none
	interval  string   // "year", "month" or "" for none
	// prefixTerms is the number of words the query's prefixes expand to
	// (an expensive search takes turns above ExpensivePrefixTerms).
	prefixTerms int
}

// checkCodes reads the codes of a filter (field names it in errors): each
// is trimmed and upper-cased, repeats are dropped, and one that valid does
// not know is refused as not being want.
func checkCodes(field string, values []string, valid func(string) bool, want string) ([]string, error) {
	var codes []string
	for _, c := range values {
		code := strings.ToUpper(strings.TrimSpace(c))
		if !valid(code) {
			return nil, badField(field, "%q is not "+want, c)
		}
		if !slices.Contains(codes, code) {
			codes = append(codes, code)
		}
	}
	return codes, nil
}
