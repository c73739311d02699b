package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/urfave/cli/v2"

	"github.com/rapports/rapports/corpus"
	"github.com/rapports/rapports/index"
	"github.com/rapports/rapports/server"
)

func searchCommand() *cli.Command {
	return &cli.Command{
		Name:  "search",
		Usage: "search the index",
		UsageText: `rapports search [--index DIR] [--country CC]... [--org CODE]... [--from DATE] [--to DATE]
       [--sort relevance|date|-date] [--size N] [--page N] [--json | --format FORMAT [--all] [--text]] [QUERY]

rapports search armée
rapports search --country IL --country BH --from 2024 --to 2024-06 "défense aérienne"
rapports search --org OTAN --org UE "défense aérienne"
rapports search --sort -date --json 'title:drones -russie' | jq .total
rapports search --country ML --from 2024                 # no words: the reports of the filters, newest first
rapports search --all --format csv drones > drones.csv   # every hit, for a spreadsheet or pandas
rapports search --all --format jsonl --text --country UA "" | jq -r .text`,
		Description: `Every word must match, in any form (armées finds armée); "a phrase" matches
the words in a row; -word or NOT word excludes; a OR b; (groups); prefix*;
title:word searches titles only; exact:mot matches that form only (no
stemming); stop words are ignored unless required (+le) or excluded (-le). Accents and case
do not matter. DATE is YYYY, YYYY-MM or YYYY-MM-DD, and --to includes its
whole period. A word or phrase naming an organisation also finds its other
names and acronyms (ONU finds Nations unies and United Nations), unless
written exact:ONU. --org keeps reports naming an organisation, by its CODE
in the gazetteer (ONU, OTAN, UE, OMS, MSF...: the codes the Organisations
line prints). --json prints the same JSON as GET /api/search. Without
QUERY (or with ""), a filter lists its reports newest first.

--format jsonl or csv prints one row per hit (id, date, title, countries,
organizations, source, path, score; the text too with --text), as GET /api/export: the
page's hits, or with --all every hit, past the 10,000 of --page, streamed as
it is read. The exit status is 1 when nothing matches, in every format.

Options go before QUERY ("rapports search armée --size 1" is refused with a
message saying so). A query that starts with - goes after --:
rapports search -- -russie drones.

While "rapports serve" holds the index, the search is sent to it (on this
machine only) and printed the same way.`,
		Flags: []cli.Flag{
			indexFlag(),
			&cli.StringSliceFlag{Name: "country", Aliases: []string{"c"}, Usage: "keep reports naming this ISO 3166-1 `CC` (repeat for any of several)"},
			&cli.StringSliceFlag{Name: "org", Usage: "keep reports naming the organisation `CODE` (ONU, OTAN, MSF...; repeat for any of several)"},
			&cli.StringFlag{Name: "from", Usage: "keep reports dated from `DATE` on"},
			&cli.StringFlag{Name: "to", Usage: "keep reports dated up to `DATE`, inclusive"},
			&cli.StringFlag{Name: "sort", Value: index.SortRelevance, Usage: "`ORDER`: relevance, date (oldest first) or -date (newest first)"},
			&cli.IntFlag{Name: "size", Aliases: []string{"n"}, Value: index.DefaultSize, Usage: "`N` hits per page, at most " + strconv.Itoa(index.MaxSize)},
			&cli.IntFlag{Name: "page", Aliases: []string{"p"}, Value: 1, Usage: "page `N`, from 1"},
			&cli.BoolFlag{Name: "json", Usage: "print the HTTP API's JSON (as --format json)"},
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "`FORMAT`: text (the list), json (the API's), jsonl or csv (one row per hit)"},
			&cli.BoolFlag{Name: "all", Usage: "with --format jsonl or csv: every hit, not one page"},
			&cli.BoolFlag{Name: "text", Usage: "with --format jsonl or csv: add each report's text"},
		},
		Action: runSearch,
	}
}

// searchFormats are the values of search --format.
var searchFormats = []string{"text", "json", "jsonl", "csv"}

func runSearch(c *cli.Context) error {
	filtered := len(c.StringSlice("country")) > 0 || len(c.StringSlice("org")) > 0 || c.String("from") != "" || c.String("to") != ""
	if c.NArg() == 0 && !filtered {
		return usageError(c, "search: give a QUERY, or a filter (--country, --org, --from, --to) to list its reports by date")
	}
	format := c.String("format")
	if c.Bool("json") {
		if c.IsSet("format") && format != "json" {
			return usageError(c, "search: --json and --format %s: give one", format)
		}
		format = "json"
	}
	if !slices.Contains(searchFormats, format) {
		return usageError(c, "search: --format %q is not a format (want %s)", format, strings.Join(searchFormats, ", "))
	}
	rows := format == "jsonl" || format == "csv"
	switch {
	case c.Bool("all") && !rows:
		return usageError(c, "search: --all prints every hit as rows: give --format jsonl or csv")
	case c.Bool("text") && !rows:
		return usageError(c, "search: --text adds the text to rows: give --format jsonl or csv")
	case c.Bool("all") && c.IsSet("page"):
		return usageError(c, "search: --all and --page: --all prints every page")
	}
	if c.NArg() > 0 {
		if flag := misplacedFlag(c); flag != "" {
			return usageError(c, "search: option %s after the query: put options before QUERY (rapports search %s ... QUERY)", flag, flag)
		}
	}
	// The flags go through the API's parameter parser, so the command line
	// and the HTTP API accept the same values with the same messages.
	v := url.Values{
		"q":            {strings.Join(c.Args().Slice(), " ")},
		"country":      c.StringSlice("country"),
		"organization": c.StringSlice("org"),
		"from":         {c.String("from")},
		"to":           {c.String("to")},
		"sort":         {c.String("sort")},
		"size":         {strconv.Itoa(c.Int("size"))},
		"page":         {strconv.Itoa(c.Int("page"))},
	}
	req, err := server.ParseSearch(v)
	if err != nil {
		return usageError(c, "search: %s", server.ErrorOf(err).Message)
	}
	dir, _, err := indexDir(c)
	if err != nil {
		return err
	}
	r, err := openReader(c, dir)
	if err != nil {
		return err
	}
	if rows {
		return exportRows(c, r, req, format)
	}
	res, err := r.Search(c.Context, req)
	err = r.done(err)
	if err != nil {
		if status, _, msg := server.StatusOf(err); status < 500 {
			return cli.Exit("search: "+msg, exitError)
		}
		return fmt.Errorf("search: %w", err)
	}
	if format == "json" {
		err = server.WriteJSON(c.App.Writer, res)
	} else {
		err = printResult(c.App.Writer, res, useColour(c.App.Writer))
	}
	if err == nil && res.Total == 0 {
		// As grep and rg: exit status 1 when nothing matches.
		return noResult()
	}
	return err
}

// exportRows prints the hits of req as rows in format (jsonl or csv), as
// GET /api/export does: with --all every hit, else the hits of the page
// req names. It closes r.
func exportRows(c *cli.Context, r reader, req index.Request, format string) error {
	sc, ok := r.Searcher.(server.Scanner)
	if !ok {
		return r.done(errors.New("search: this index cannot list every hit"))
	}
	out := bufio.NewWriter(c.App.Writer)
	rw, err := server.NewRecordWriter(out, format, c.Bool("text"))
	if err != nil {
		return r.done(err)
	}
	skip, limit := 0, -1
	if !c.Bool("all") {
		skip, limit = (req.Page-1)*req.Size, req.Size
	}
	seen, wrote := 0, 0
	_, err = sc.Scan(c.Context, req, index.ScanOptions{Text: c.Bool("text")}, func(rec index.Record) error {
		seen++
		if seen <= skip {
			return nil
		}
		if limit >= 0 && wrote >= limit {
			return index.ErrStopScan
		}
		wrote++
		return rw.Write(rec)
	})
	err = r.done(err)
	if ferr := rw.Flush(); err == nil {
		err = ferr
	}
	if ferr := out.Flush(); err == nil && ferr != nil {
		err = fmt.Errorf("search: write: %w", ferr)
	}
	if err != nil {
		if status, _, msg := server.StatusOf(err); status < 500 {
			return cli.Exit("search: "+msg, exitError)
		}
		return fmt.Errorf("search: %w", err)
	}
	if wrote == 0 {
		return noResult()
	}
	return nil
}

// ANSI styles of the readable output.
const (
	ansiReset = "\x1b[0m"
	ansiBold  = "\x1b[1m"
	ansiDim   = "\x1b[2m"
	ansiMark  = "\x1b[1;33m"
	ansiCyan  = "\x1b[36m"
)

// printResult writes res as a ranked list followed by the facets. The
// matches of titles and fragments (their offsets): in colour, bold
// yellow; without, [brackets].
func printResult(w io.Writer, res *index.Result, colour bool) error {
	style := func(code, s string) string {
		if !colour || s == "" {
			return s
		}
		return code + s + ansiReset
	}
	markOn, markOff := "[", "]"
	if colour {
		markOn, markOff = ansiMark, ansiReset
	}
	// text turns the plain text of a hit and its matches into terminal
	// text on one line, the matches marked.
	text := func(s string, spans []index.Span) string {
		return strings.Join(strings.Fields(markSpans(s, spans, markOn, markOff)), " ")
	}

	var b strings.Builder
	pages := 0
	if res.Size > 0 {
		pages = int((res.Total + uint64(res.Size) - 1) / uint64(res.Size))
	}
	noun := "results"
	if res.Total == 1 {
		noun = "result"
	}
	what := style(ansiBold, strconv.Quote(res.Query))
	if strings.TrimSpace(res.Query) == "" {
		what = "the filters, by date" // browsing: no words
	}
	fmt.Fprintf(&b, "%d %s for %s (%.1f ms)", res.Total, noun, what, res.TookMS)
	if pages > 1 {
		fmt.Fprintf(&b, ", page %d of %d", res.Page, pages)
	}
	b.WriteString("\n")
	if res.Suggestion != "" {
		fmt.Fprintf(&b, "Did you mean %s?\n", style(ansiBold, strconv.Quote(res.Suggestion)))
	}
	if len(res.Hits) == 0 && res.Total > 0 {
		fmt.Fprintf(&b, "\nNo hits on page %d: the last page is %d (--page %d).\n", res.Page, pages, pages)
	}
	for i, h := range res.Hits {
		rank := (res.Page-1)*res.Size + i + 1
		date := h.Date
		if date == "" {
			date = "no date"
		}
		title := text(h.Title, h.TitleMatches)
		if colour {
			// Restore the title's bold after each mark.
			title = strings.ReplaceAll(title, ansiReset, ansiReset+ansiBold)
		}
		fmt.Fprintf(&b, "\n%3d. %s  %s  %s\n", rank, style(ansiCyan, date), style(ansiBold, title),
			style(ansiDim, fmt.Sprintf("(%.2f)", h.Score)))
		meta := h.ID
		if len(h.Pages) > 0 {
			meta += "  " + pageList(h.Pages)
		}
		if len(h.Countries) > 0 {
			meta += "  " + strings.Join(h.Countries, " ")
		}
		if len(h.Organizations) > 0 {
			meta += "  " + strings.Join(h.Organizations, " ")
		}
		fmt.Fprintf(&b, "     %s\n", style(ansiDim, meta))
		for _, f := range h.Fragments {
			fmt.Fprintf(&b, "     %s\n", text(f.Text, f.Matches))
		}
	}
	if len(res.Facets.Country) > 0 {
		fmt.Fprintf(&b, "\n%s %s\n", style(ansiBold, "Countries:"), countryList(res.Facets.Country))
	}
	if len(res.Facets.Organization) > 0 {
		fmt.Fprintf(&b, "%s %s\n", style(ansiBold, "Organisations:"), orgList(res.Facets.Organization))
	}
	if len(res.Facets.Date) > 0 {
		parts := make([]string, len(res.Facets.Date))
		for i, d := range res.Facets.Date {
			parts[i] = fmt.Sprintf("%s %d", d.Period, d.Count)
		}
		fmt.Fprintf(&b, "%s %s\n", style(ansiBold, "Dates:"), strings.Join(parts, ", "))
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write results: %w", err)
	}
	return nil
}

// maxPagesShown is how many page numbers a hit lists before "…".
const maxPagesShown = 10

// pageList writes the pages of a hit as "p. 12" or "p. 3, 7"; past
// maxPagesShown pages, the first ones and how many in all:
// "p. 1, 2, …, 10, … (42 pages)".
func pageList(pages []int) string {
	shown := pages[:min(len(pages), maxPagesShown)]
	parts := make([]string, len(shown))
	for i, p := range shown {
		parts[i] = strconv.Itoa(p)
	}
	s := "p. " + strings.Join(parts, ", ")
	if len(pages) > len(shown) {
		s += fmt.Sprintf(", … (%d pages)", len(pages))
	}
	return s
}

// countryList writes country counts as "Israël (IL) 7, Bahreïn (BH) 3".
func countryList(counts []index.CountryCount) string {
	parts := make([]string, len(counts))
	for i, c := range counts {
		name := c.Name
		if name == "" {
			name = corpus.CountryName(c.Code)
		}
		parts[i] = fmt.Sprintf("%s (%s) %d", name, c.Code, c.Count)
	}
	return strings.Join(parts, ", ")
}

// orgList writes organisation counts as "ONU 7, Banque mondiale (BM) 3":
// the acronym, or the name with the code to give to --org.
func orgList(counts []index.OrgCount) string {
	parts := make([]string, len(counts))
	for i, c := range counts {
		label := c.Acronym
		if label == "" {
			label = corpus.OrganizationAcronym(c.Code)
		}
		if label != c.Code {
			label += " (" + c.Code + ")"
		}
		parts[i] = fmt.Sprintf("%s %d", label, c.Count)
	}
	return strings.Join(parts, ", ")
}

// isUsage reports whether err is a mistake of the user's rather than a failure.
func isUsage(err error) bool {
	var e *server.Error
	return errors.As(err, &e) && e.Status < 500
}

// misplacedFlag returns the first word after the start of the query that
// names one of the command's options ("--size", "-n", "--from=2024"), or "":
// the command line stops reading options at the query's first word, so
// such a word would silently become part of the query.
func misplacedFlag(c *cli.Context) string {
	args := c.Args().Slice()
	for _, a := range args[1:] {
		if !strings.HasPrefix(a, "-") {
			continue
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		for _, f := range c.Command.Flags {
			if slices.Contains(f.Names(), name) {
				return a
			}
		}
	}
	return ""
}

// markSpans puts on and off around the spans of s; spans out of order,
// out of range or not on UTF-8 boundaries are skipped.
func markSpans(s string, spans []index.Span, on, off string) string {
	var b strings.Builder
	at := 0
	for _, sp := range spans {
		if sp.Start < at || sp.End <= sp.Start || sp.End > len(s) ||
			!utf8.RuneStart(s[sp.Start]) || (sp.End < len(s) && !utf8.RuneStart(s[sp.End])) {
			continue
		}
		b.WriteString(s[at:sp.Start])
		b.WriteString(on)
		b.WriteString(s[sp.Start:sp.End])
		b.WriteString(off)
		at = sp.End
	}
	b.WriteString(s[at:])
	return b.String()
}
