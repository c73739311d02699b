package index

import (
	"context"
	"errors"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
)

// scanPage is how many hits Scan reads from the index at a time (a
// variable for the tests).
var scanPage = 1000

// Record is one hit of Scan: a report's metadata as plain text (not
// HTML-escaped), its score and, when asked, its text. Its JSON is a line of
// GET /api/export?format=jsonl.
type Record struct {
	ID        string   `json:"id"`
	Date      string   `json:"date,omitempty"`
	Title     string   `json:"title"`
	Countries []string `json:"countries"`
	// Organizations are the codes of the organisations the report names.
	Organizations []string `json:"organizations"`
	Source        string   `json:"source,omitempty"`
	Path          string   `json:"path,omitempty"`
	Score         float64  `json:"score"`
	Text          string   `json:"text,omitempty"`
}

// ScanOptions tune Scan.
type ScanOptions struct {
	// Text adds each report's text to its Record.
	Text bool
}

// ErrStopScan, returned by the function given to Scan, stops the scan
// without error.
var ErrStopScan = errors.New("index: stop scan")

// Scan calls fn with every hit of r, in r's order, past MaxWindow: it
// reads the hits a page at a time with a cursor, so its memory does not
// grow with the number of hits. r.Size, r.Page, r.Cursor, r.Highlight and
// r.Facets are ignored. It returns the number of hits, and the first
// error of r (as Search does), of the index, of ctx, or of fn (but
// ErrStopScan). Writes to the index during a scan may make it miss or
// repeat the reports they change.
func (idx *Index) Scan(ctx context.Context, r Request, opts ScanOptions, fn func(Record) error) (int, error) {
	if err := idx.reader(); err != nil {
		return 0, err
	}
	defer idx.mu.RUnlock()
	r.Size, r.Page, r.Cursor, r.Highlight = 1, 1, "", false
	p, err := idx.validate(ctx, r)
	if err != nil {
		return 0, err
	}
	done, err := idx.turn(ctx, p)
	if err != nil {
		return 0, searchError(r.Query, err)
	}
	defer done()
	stats, err := idx.bm25Stats(ctx)
	if err != nil {
		return 0, searchError(r.Query, err)
	}
	fields := append([]string{fieldPath, fieldOrgs}, hitFields...)
	if opts.Text {
		fields = append(fields, fieldBody)
	}
	n := 0
	var after []string
	for {
		req := bleve.NewSearchRequestOptions(p.filtered(nil), scanPage, 0, false)
		req.Fields = fields
		req.Sort = p.sortOrder()
		if stats != nil {
			req.PreSearchData = map[string]any{search.BM25PreSearchDataKey: stats}
		}
		if after != nil {
			req.SetSearchAfter(after)
		}
		res, err := idx.search(ctx, req)
		if err != nil {
			return n, searchError(r.Query, err)
		}
		for _, h := range res.Hits {
			rec := Record{
				ID: h.ID, Score: h.Score, Title: str(h.Fields[fieldTitle]), Date: str(h.Fields[fieldDateText]),
				Countries: strs(h.Fields[fieldCountries]), Organizations: strs(h.Fields[fieldOrgs]), Source: str(h.Fields[fieldSource]), Path: str(h.Fields[fieldPath]),
			}
			if opts.Text {
				rec.Text = str(h.Fields[fieldBody])
			}
			if err := fn(rec); err != nil {
				if errors.Is(err, ErrStopScan) {
					return n, nil
				}
				return n, fmt.Errorf("index: scan: %w", err)
			}
			n++
		}
		if len(res.Hits) < scanPage {
			return n, nil
		}
		after = afterValues(req.Sort, res.Hits[len(res.Hits)-1])
	}
}
