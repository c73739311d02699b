package index

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"

	"github.com/rapports/rapports/corpus"
)

// dateBounds returns the first and the last date of the reports in the
// index (zero dates when none has a date), read from the index itself.
func (idx *Index) dateBounds(ctx context.Context) (first, last corpus.Date, err error) {
	for i, desc := range []bool{false, true} {
		req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 1, 0, false)
		req.SortByCustom(search.SortOrder{&search.SortField{
			Field: fieldDate, Type: search.SortFieldAsDate, Desc: desc, Missing: search.SortFieldMissingLast,
		}})
		req.Fields = []string{fieldDateText}
		res, err := idx.search(ctx, req)
		if err != nil {
			return first, last, fmt.Errorf("index: date range of %s: %w", idx.name(), err)
		}
		if len(res.Hits) == 0 {
			return first, last, nil
		}
		d, err := corpus.ParseISODate(str(res.Hits[0].Fields[fieldDateText]))
		if err != nil {
			return first, last, nil // the first report sorted has no date: none has
		}
		if i == 0 {
			first = d
		} else {
			last = d
		}
	}
	return first, last, nil
}

// refreshDates sets the metadata's date range to the dates of the reports
// in the index, after deletions may have narrowed it. The caller holds the
// writer.
func (idx *Index) refreshDates(ctx context.Context) error {
	first, last, err := idx.dateBounds(ctx)
	if err != nil {
		return err
	}
	m := idx.getMeta()
	m.FirstDate, m.LastDate = first.Time, last.Time
	if m == idx.getMeta() {
		return nil
	}
	return idx.commit(idx.bi.NewBatch(), m)
}
