package index

import (
	"errors"
	"time"

	"github.com/rapports/rapports/corpus"
)

// Errors returned by the index. Each is wrapped with the culprit (the
// parameter, the query position, the path), so test them with errors.Is.
// A bad request field comes as a *RequestError (wrapping ErrBadRequest), a
// bad query text as a *QueryError (wrapping ErrBadQuery, ErrTooExpensive
// or ErrEmptyQuery): errors.As gives the field, or the position and kind.
var (
	// ErrEmptyQuery: the query text is blank.
	ErrEmptyQuery = errors.New("index: empty query")
	// ErrBadQuery: the query text does not parse ("unclosed quote at 12").
	ErrBadQuery = errors.New("index: bad query")
	// ErrBadRequest: a request field is out of range or malformed
	// (a date, a sort, a size, a page, a country code).
	ErrBadRequest = errors.New("index: bad request")
	// ErrNotFound: no document has that ID.
	ErrNotFound = errors.New("index: not found")
	// ErrClosed: the index was closed.
	ErrClosed = errors.New("index: closed")
	// ErrLocked: another process holds the index.
	ErrLocked = errors.New("index: locked by another process")
	// ErrIncompatible: the index on disk was built with another schema or
	// analyzer version and must be rebuilt.
	ErrIncompatible = errors.New("index: incompatible schema, re-index")
	// ErrTooExpensive: the query would expand to too many terms or clauses.
	ErrTooExpensive = errors.New("index: query too expensive")
	// ErrTooLong: the query text is longer than MaxQueryLen characters
	// (a RequestError on "q" wraps it with ErrBadRequest).
	ErrTooLong = errors.New("index: too long")
)

// Limits of a Request.
const (
	MaxQueryLen = 1000   // characters of Request.Query
	MaxSize     = 100    // hits per page
	MaxWindow   = 10_000 // (Page-1)*Size + Size may not go past this
)

// Sort orders of a Request.
const (
	SortRelevance = "relevance"
	SortDate      = "date"  // oldest first
	SortDateDesc  = "-date" // newest first
)

// Request is one search. The zero value of every field but Query is a
// sensible default (relevance, page 1, 10 hits, no filters, no highlight).
type Request struct {
	// Query is in the user syntax documented in the package doc. It may be
	// blank when a filter (Countries, Organizations, From or To) is set: the search then
	// lists every matching report, newest first (or oldest first with
	// SortDate), without fragments.
	Query string
	// Countries keeps reports naming any of these ISO 3166-1 alpha-2 codes.
	Countries []string
	// Organizations keeps reports naming any of these organisations, by
	// their codes in the gazetteer (corpus.OrganizationCodes: "ONU",
	// "OTAN", "MSF"); codes are case-insensitive.
	Organizations []string
	// From and To bound the report date, inclusive of their whole period:
	// "YYYY", "YYYY-MM" or "YYYY-MM-DD" ("" for open). To "2024-06" includes
	// all of June 2024.
	From, To string
	// Sort is SortRelevance (default), SortDate or SortDateDesc.
	Sort string
	// Size is the number of hits per page (default 10, at most MaxSize).
	Size int
	// Page is 1-based (default 1).
	Page int
	// Highlight asks for the matching words of each hit's Title and
	// Fragments to be wrapped in <mark> tags; without it, a hit has
	// no Fragments.
	Highlight bool
	// Facets sets how facets are counted.
	Facets FacetOptions
	// Cursor is the Result.NextCursor of a previous search with the same
	// query, filters, sort and size: the search then returns the hits
	// that come after that page's last one, at any depth (MaxWindow does
	// not apply). Page must then be 0 or 1. A cursor that is not one
	// fails with ErrBadRequest.
	Cursor string
}

// FacetOptions sets how facets are counted.
type FacetOptions struct {
	// Countries is how many countries the country facet lists (default 20;
	// negative for none).
	Countries int
	// Organizations is how many organisations the organisation facet
	// lists (default 20; negative for none).
	Organizations int
	// DateInterval is "year", "month", or "" for automatic from the span
	// of the index's dates; "none" for no date facet.
	DateInterval string
}

// Result is the answer to a Request. Its JSON form is the HTTP API's.
type Result struct {
	// Query is Request.Query as given.
	Query string `json:"query"`
	// Total is the number of matching documents (parts of a long report
	// count apart, see Hit.ID), all pages and filters included.
	Total uint64 `json:"total"`
	// TookMS is the time of the search in milliseconds.
	TookMS float64 `json:"took_ms"`
	// Page and Size are those of the request, defaults applied. A page
	// past the last one has no Hits.
	Page int `json:"page"`
	Size int `json:"size"`
	// MaxWindow is how far Page goes: (Page-1)×Size+Size ≤ MaxWindow (the
	// constant MaxWindow, given in each answer so that clients need not
	// copy it); past it, follow NextCursor.
	MaxWindow int `json:"max_window"`
	// Hits are the page's documents, best first (or in date order).
	Hits []Hit `json:"hits"`
	// Facets count every matching document, not only the page.
	Facets Facets `json:"facets"`
	// Suggestion is a query with the same structure whose misspelled
	// words are replaced by close words of the index ("défense aérienne"
	// for "défence aériene"), when the query finds few reports
	// (at most SuggestBelow) and the suggestion finds more; "" otherwise.
	Suggestion string `json:"suggestion,omitempty"`
	// NextCursor, when set, is the Request.Cursor that gets the hits
	// after this page's last one ("" when there are no more).
	NextCursor string `json:"next_cursor,omitempty"`
}

// Took returns the time the search took.
func (r *Result) Took() time.Duration { return time.Duration(r.TookMS * float64(time.Millisecond)) }

// Hit is one ranked document. Its strings are plain text (not escaped);
// matches are given as byte offsets into them (TitleMatches, and
// Fragment.Matches). Only TitleHTML and FragmentsHTML, set with
// Request.Highlight, hold HTML: the escaped text with <mark> around the
// matches.
type Hit struct {
	// ID is the report's ID, for Index.Document. A report whose body is
	// longer than corpus.MaxPartSize is indexed in parts (see
	// corpus.SplitParts): part 1 keeps the ID, part k ≥ 2 is the document
	// "ID#pk", each is titled "Title (partie k/n)" (a PDF's: "Title
	// (partie k, p. 41–80 sur 950)"), and each part that
	// matches is a hit of its own, counted in Total and the facets. Words and phrases must match
	// within one part.
	ID string `json:"id"`
	// Score is the BM25 relevance; it compares hits of one search only.
	Score float64 `json:"score"`
	// Title is the report's title, plain text.
	Title string `json:"title"`
	// TitleMatches are the byte offsets of the matched words in Title
	// (with Request.Highlight only).
	TitleMatches []Span `json:"title_matches,omitempty"`
	// TitleHTML is Title HTML-escaped with <mark> around the matched
	// words (with Request.Highlight only).
	TitleHTML string `json:"title_html,omitempty"`
	// Date is the report's date as "2024", "2024-06" or "2024-06-15"
	// ("" when it has none; such reports come last in date order).
	Date string `json:"date,omitempty"`
	// Countries are the ISO 3166-1 alpha-2 codes of the report, in order
	// of first mention (see corpus.Report).
	Countries []string `json:"countries"`
	// Organizations are the codes of the organisations the report names,
	// in order of first mention (see corpus.FindOrganizations).
	Organizations []string `json:"organizations"`
	// Source is the report's source, if any.
	Source string `json:"source,omitempty"`
	// Fragments are passages of the body around the matched words, cut at
	// whole words, in plain text with the offsets of the matches (with
	// Request.Highlight only; the start of the body when only the title
	// matched).
	Fragments []Fragment `json:"fragments,omitempty"`
	// FragmentsHTML are the same passages HTML-escaped, with <mark>
	// around the matched words (with Request.Highlight only).
	FragmentsHTML []string `json:"fragments_html,omitempty"`
	// Pages are the numbers of the pages of a paged document (a PDF) on
	// which the query matches its body, ascending, every match counted,
	// not only those of the fragments (with or without Highlight). They
	// are pages of the whole document: a part k ≥ 2 of a long PDF starts
	// on a later page. Empty for documents without pages, for a match in
	// the title only, and when the search lists by filters only.
	Pages []int `json:"pages,omitempty"`
	// firstPage and pageStarts locate the pages of the body (see
	// corpus.Report), to compute Pages.
	firstPage  int
	pageStarts []int
}

// Facets are counted over the whole result set, not only the page.
type Facets struct {
	Country      []CountryCount `json:"country"`
	Organization []OrgCount     `json:"organization"`
	Date         []DateCount    `json:"date"`
}

// CountryCount is one row of the country facet. The country facet is
// disjunctive: with a country filter, it counts what each country would add,
// and lists the selected countries after the top ones.
type CountryCount struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// OrgCount is one row of the organisation facet, which is disjunctive
// like the country facet. Name is the French name, Acronym the usual
// acronym (the name when there is none).
type OrgCount struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	Acronym string `json:"acronym"`
	Count   int    `json:"count"`
}

// DateCount is one bar of the date histogram: Period is "2024" or "2024-06".
type DateCount struct {
	Period string `json:"period"`
	Count  int    `json:"count"`
}

// Document is a stored report, as returned by Index.Document. Its strings
// are not escaped: it is data, not HTML.
type Document struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	Date      string   `json:"date,omitempty"`
	Countries []string `json:"countries"`
	Mentions  []int    `json:"mentions,omitempty"`
	// Organizations and OrgMentions are the organisations named and how
	// many times (see corpus.Report).
	Organizations []string `json:"organizations,omitempty"`
	OrgMentions   []int    `json:"org_mentions,omitempty"`
	Source        string   `json:"source,omitempty"`
	URL           string   `json:"url,omitempty"`
	Path          string   `json:"path,omitempty"`
	Hash          string   `json:"hash,omitempty"`
	// DateSource is "metadata" when Date was taken from the file's
	// properties (a PDF's /Info creation date, a DOCX or ODT's creation
	// date) because the text has none; "" when it comes from the text.
	DateSource string `json:"date_source,omitempty"`
	// FirstPage is the number of the document page Body starts on (1,
	// or later for a part k ≥ 2 of a long PDF), 0 for a document
	// without pages; PageStarts are the byte offsets in Body where
	// pages FirstPage, FirstPage+1, … start (see corpus.Report.Page).
	FirstPage  int            `json:"first_page,omitempty"`
	PageStarts []int          `json:"page_starts,omitempty"`
	Body       string         `json:"body"`
	Report     *corpus.Report `json:"-"`

	// TitleMatches and BodyMatches are the byte offsets of the matches of
	// DocumentOptions.Query in Title and Body, in order, not overlapping
	// (none without a query, or when the query matches nothing here).
	TitleMatches []Span `json:"title_matches,omitempty"`
	BodyMatches  []Span `json:"body_matches,omitempty"`
	// TitleHTML and BodyHTML are Title and Body HTML-escaped with <mark>
	// around the matches (with DocumentOptions.HTML only).
	TitleHTML string `json:"title_html,omitempty"`
	BodyHTML  string `json:"body_html,omitempty"`
}

// Info describes what an index holds: the answer of Index.Stats, of GET
// /api/stats and of "rapports stats --json".
type Info struct {
	// Documents is the number of documents: reports, with each part of a
	// long report counted apart (see Hit.ID).
	Documents uint64 `json:"documents"`
	// FirstDate and LastDate are the starts of the earliest and latest
	// report dates, as YYYY-MM-DD: a report dated "2024-06" gives
	// "2024-06-01". Both are "" when no report has a date.
	FirstDate string `json:"first_date,omitempty"`
	LastDate  string `json:"last_date,omitempty"`
	// TopCountries are the 10 countries named by the most reports.
	TopCountries []CountryCount `json:"top_countries"`
	// SizeBytes is the size of the index folder (0 in memory).
	SizeBytes int64 `json:"size_bytes"`
	// SchemaVersion is SchemaVersion of the program that opened it.
	SchemaVersion int `json:"schema_version"`
	// Path is the index folder ("" in memory).
	Path string `json:"path,omitempty"`
}
