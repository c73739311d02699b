// Package index is the French full-text index of rapports: it stores
// reports in a Bleve index and answers ranked, filtered and faceted
// searches. It is the library that the rapports command and server use, and
// that other Go programs can embed.
//
// # Opening and filling an index
//
// Open opens (or creates) an index on disk; OpenMemory makes one in memory.
// Add indexes reports; AddPaths and AddFS read a corpus (files or a
// folder, see package corpus) incrementally: unchanged reports are skipped
// by content hash, changed ones replaced, vanished ones removed;
// UpdatePaths re-reads only some paths of a root (the files and folders
// that changed, from file events), removing the reports of those that no
// longer exist. One Open
// at a time may write an index on disk: another Open, in this process or
// another, fails with ErrLocked after Options.LockTimeout. With
// Options.ReadOnly, several processes may search an index at once, but not
// while a writer holds it. An index built by another version of the schema
// or analyzers fails to open with ErrIncompatible and must be rebuilt.
//
// # Query syntax
//
// Search takes a query in this syntax:
//
//	défense aérienne        both words, in any form: every word must match
//	"défense aérienne"      the words in a row, in any form ("défenses aériennes")
//	"défense aérienne"~5    the words within 5 positions, in any order, in one field
//	exact:armées            this exact form only (accents and case still optional)
//	exact:"défense aérienne" the phrase in these exact forms
//	milit*                  words starting with "milit" (at least 2 letters)
//	title:drones            in the title only (combines with exact:)
//	Gaza OR Liban           either; OR binds tighter than the implicit AND
//	(Gaza OR Liban) armée   parentheses group
//	-Gaza, NOT Gaza         excludes reports that match
//	+le, -le                requires or excludes a word, even a stop word
//
// In "words"~N, at most N other positions (stop words count) separate the
// words, in the title or in the body; N is at most MaxSlop.
//
// Words are ANDed: every word must match, as web search engines do. Stop
// words ("le", "de", "qu'") are ignored unless the query holds nothing else
// or they are required with + or excluded with -. AND is accepted and ignored. Other syntax
// (word~ fuzziness, regular expressions, ranges, boosts) is not supported: its
// characters are read as punctuation, and a * inside a word is an error. A
// query holds at most MaxClauses words, phrases and prefixes, and a prefix
// may expand to at most MaxPrefixTerms words, all of a query's prefixes to
// MaxQueryPrefixTerms (ErrTooExpensive). A search whose prefixes expand
// to more than ExpensivePrefixTerms words is expensive: such searches take
// turns (Limits, Index.SetLimits), and one that finds too many running and
// waiting fails with a *BusyError (ErrBusy). Search stops at ctx's deadline
// within a few percent, checking it inside prefix expansion too.
//
// # Results
//
// Hits are ranked by BM25F: the occurrences of a query word in the title
// and the body, weighted by field (a title occurrence counts as 6 body
// ones) and normalised by the field's length, make one frequency that
// saturates once per word, and the words' scores add up, so that a report
// covering every word beats one with a single word in its title. A
// proximity bonus rewards query words near each other in one field (side
// by side in the query's order most); for several words, occurrences in
// the body's first 60 positions count double and a title holding every
// word adds to the score; two words typed one after the other that stand
// as typed (a stop word typed between them included: "chômage des
// jeunes") add more. The weights were tuned on 45 judged
// information needs (testdata/relevance, relevance_test.go). Prefixes and
// organisation names (expanded to their other names) match as filters or
// keep Bleve's BM25. Or hits are sorted by date. Every document string in a Hit is
// plain text (not escaped). With Request.Highlight, matches are given as
// byte offsets (Span, [Start, End)) into the plain Hit.Title
// (Hit.TitleMatches) and into each Fragment's Text; Hit.TitleHTML and
// Hit.FragmentsHTML hold the same text HTML-escaped with <mark> around the
// matches, the only markup of a Hit. Index.Document with
// DocumentOptions.Query gives the same offsets for the whole title and body
// of one report (Document.TitleMatches, BodyMatches), found by the query's
// analysis, for a viewer that marks a document. Facets count
// the whole result set: the country facet is disjunctive (with a country
// filter it counts each country without that filter, so a user can widen a
// selection), the organisation facet likewise (Request.Organizations,
// codes of corpus.OrganizationCodes), the date histogram counts by year or
// month with all filters. Hit.Organizations lists the organisations a
// report names, as corpus.FindOrganizations found them at indexing (Add
// stores corpus.Report.Organizations as given).
//
// A query word, run of words or phrase that names an organisation
// (corpus.OrganizationNamed) also matches its other names and acronyms
// (corpus.OrganizationForms) at query time: "ONU" finds "Nations unies"
// and "United Nations"; acronyms are matched as exact forms ("OMS" does not
// find "OM"); exact: turns this off. A query with at most SuggestBelow
// results gets Result.Suggestion, built from the index's own terms (edit
// distance ≤ 2, closest then most frequent, accents ignored), when it
// finds more.
//
// A report longer than corpus.MaxPartSize is indexed in parts (IDs "ID",
// "ID#p2", ...): each part is a document of its own, so a search may
// return several parts of one report, counted apart in Result.Total and
// the facets, and words or phrases must occur within one part to match.
// Collapsing parts into one hit would make totals and paging depend on
// every match rather than on the page; parts are rare (bodies over 256 KiB)
// and their titles say "(partie k/n)", or for a PDF, whose parts are
// indexed as its pages are read, "(partie k, p. 41–80 sur 950)".
//
// A paged report (a PDF: corpus.Report.PageStarts and FirstPage) keeps
// its page starts in the index: each of its hits lists in Hit.Pages the
// pages on which the query matches its body (from the locations of every
// match, with or without Request.Highlight), and Document gives FirstPage
// and PageStarts, with DateSource ("metadata" for a date taken from the
// file's properties).
//
// Hits tie on score or date are ordered by ID, so the order is total. A
// blank Request.Query with a filter (countries, organisations, dates)
// browses: every matching report, newest first (oldest first with
// SortDate). Paging with Request.Page stops at MaxWindow hits; past it,
// follow Result.NextCursor with Request.Cursor (Bleve's SearchAfter: each
// page costs the same at any depth). Scan calls a function with every hit
// of a request, in order, a page of 1,000 at a time (the rows of "rapports
// search --all" and GET /api/export).
//
// Errors wrap the package's Err values, so errors.Is tells them apart. The
// rules of a Request are defined here only: Request.Normalized checks every
// field without an index and applies the defaults (DefaultSize, page 1,
// SortRelevance). A field at fault is a *RequestError naming it (Field,
// Reason), a query text that does not parse or costs too much a
// *QueryError giving the 1-based character position of the problem (Pos)
// and its kind (Kind, one of the Kind constants: KindUnclosedQuote,
// KindPrefixTooShort, ...), for programs that explain it in their own
// words; errors.As gives them.
package index
