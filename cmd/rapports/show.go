package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/rapports/rapports/corpus"
	"github.com/rapports/rapports/index"
	"github.com/rapports/rapports/server"
)

func showCommand() *cli.Command {
	return &cli.Command{
		Name:  "show",
		Usage: "print one report: its metadata, then its text",
		UsageText: `rapports show [--index DIR] [--json] [--query Q] ID

rapports show defense/manama.txt
rapports show -q "défense aérienne" defense/manama.txt
rapports show --json eco-3 | jq -r .body
rapports search --json armée | jq -r '.hits[0].id' | xargs rapports show`,
		Description: `Prints the report ID (as search lists it: the file's path under the indexed
folder, a JSON line's "id", or the ID of one part of a long report, as
rapport.txt#2): its title, date, countries, source, URL and file, then its
whole text. --json prints the same JSON as GET /api/documents/ID.
With --query Q, the matches of the query Q (in the syntax of search, found
by the same analysis) are marked in the title and the text: in bold yellow
on a terminal, else in [brackets]; a count of them follows the fields, and
--json adds their byte offsets (title_matches, body_matches).
An unknown ID exits with status 2. While "rapports serve" holds the index, the
report is asked of it.`,
		Flags: []cli.Flag{
			indexFlag(),
			&cli.BoolFlag{Name: "json", Usage: "print the HTTP API's JSON"},
			&cli.StringFlag{Name: "query", Aliases: []string{"q"}, Usage: "mark the matches of the query `Q` (as search reads it)"},
		},
		Action: runShow,
	}
}

func runShow(c *cli.Context) error {
	switch {
	case c.NArg() == 0:
		return usageError(c, "show: give the ID of a report (as search lists it)")
	case c.NArg() > 1:
		return usageError(c, "show: give one ID (got %d words; quote an ID that has spaces)", c.NArg())
	}
	id := c.Args().First()
	dir, _, err := indexDir(c)
	if err != nil {
		return err
	}
	r, err := openReader(c, dir)
	if err != nil {
		return err
	}
	query := c.String("query")
	doc, err := r.Document(c.Context, id, index.DocumentOptions{Query: query})
	err = r.done(err)
	if err != nil {
		var se *server.Error
		if errors.Is(err, index.ErrNotFound) || errors.As(err, &se) && se.Status == 404 {
			return cli.Exit(fmt.Sprintf("show: no report %q in %s (search lists the IDs)", id, dir), exitError)
		}
		if status, _, msg := server.StatusOf(err); status < 500 {
			// A query that does not parse or costs too much.
			return cli.Exit("show: --query: "+msg, exitError)
		}
		return fmt.Errorf("show: %w", err)
	}
	if c.Bool("json") {
		return server.WriteJSON(c.App.Writer, doc)
	}
	mark := noMarks
	if strings.TrimSpace(query) != "" {
		mark = marker{on: "[", off: "]"}
		if useColour(c.App.Writer) {
			mark = marker{on: ansiMark, off: ansiReset}
		}
	}
	return printDocument(c.App.Writer, doc, mark)
}

// marker is how printDocument marks the matches of a query: on before,
// off after each.
type marker struct{ on, off string }

// noMarks prints a document without marks nor a count of matches.
var noMarks = marker{}

// printDocument writes doc as "Field: value" lines, a blank line, then its
// text, its matches (TitleMatches, BodyMatches) marked with mark; with
// marks, a "Matches:" line counts them.
func printDocument(w io.Writer, doc *index.Document, mark marker) error {
	var b strings.Builder
	field := func(name, value string) {
		if value != "" {
			fmt.Fprintf(&b, "%-10s %s\n", name+":", value)
		}
	}
	field("ID", doc.ID)
	field("Title", markSpans(doc.Title, doc.TitleMatches, mark.on, mark.off))
	date := doc.Date
	if date == "" {
		date = "none"
	}
	if doc.DateSource == corpus.DateFromMetadata {
		date += " (from the file's properties: the text gives none)"
	}
	field("Date", date)
	if n := len(doc.PageStarts); doc.FirstPage > 0 && n > 0 {
		pages := fmt.Sprintf("%d", doc.FirstPage)
		if n > 1 {
			pages = fmt.Sprintf("%d–%d", doc.FirstPage, doc.FirstPage+n-1)
		}
		field("Pages", pages)
	}
	countries := make([]string, len(doc.Countries))
	for i, code := range doc.Countries {
		countries[i] = corpus.CountryName(code) + " (" + code + ")"
	}
	field("Countries", strings.Join(countries, ", "))
	field("Source", doc.Source)
	field("URL", doc.URL)
	field("File", doc.Path)
	if mark != noMarks {
		n := len(doc.TitleMatches) + len(doc.BodyMatches)
		field("Matches", fmt.Sprintf("%d (%d in the title)", n, len(doc.TitleMatches)))
	}
	b.WriteString("\n")
	b.WriteString(strings.TrimRight(markSpans(doc.Body, doc.BodyMatches, mark.on, mark.off), "\n"))
	b.WriteString("\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("show: write: %w", err)
	}
	return nil
}
