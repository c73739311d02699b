package index

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
)

// sortOrder returns the order of p's hits: by score or date, then by ID,
// so that no two hits tie and a cursor names one place in the order.
//
// The date is sorted as Bleve's raw prefix-coded term (SortFieldAuto, the
// same order as SortFieldAsDate): a report without a date then has a sort
// value too (the high or low sentinel), which a cursor can carry, where
// the decoded RFC 3339 form of SortFieldAsDate has none.
func (p *plan) sortOrder() search.SortOrder {
	switch p.sort {
	case SortDate, SortDateDesc:
		return search.SortOrder{
			&search.SortField{Field: fieldDate, Type: search.SortFieldAuto, Desc: p.sort == SortDateDesc, Missing: search.SortFieldMissingLast},
			&search.SortScore{Desc: true},
			&search.SortDocID{},
		}
	}
	return search.SortOrder{&search.SortScore{Desc: true}, &search.SortDocID{}}
}

// setAfter makes req start after p's cursor, if any.
func (p *plan) setAfter(req *bleve.SearchRequest) error {
	if p.after == nil {
		return nil
	}
	if len(p.after) != len(req.Sort) {
		return fmt.Errorf("%w: cursor: it was made for another sort order (give the sort of the search that answered it)", ErrBadRequest)
	}
	req.From = 0
	req.SetSearchAfter(p.after)
	return nil
}

// cursorJSON is a cursor's content: the sort values of the last hit of a
// page, each base64-encoded (a date's is a binary term), and a version.
type cursorJSON struct {
	V int      `json:"v"`
	S []string `json:"s"`
}

// afterValues returns the sort values to give Bleve's SearchAfter to
// start after hit h in order.
func afterValues(order search.SortOrder, h *search.DocumentMatch) []string {
	vals := make([]string, len(order))
	for i, o := range order {
		switch o.(type) {
		case *search.SortScore:
			vals[i] = strconv.FormatFloat(h.Score, 'g', -1, 64)
		case *search.SortDocID:
			vals[i] = h.ID
		default:
			if i < len(h.Sort) {
				vals[i] = h.Sort[i]
			}
		}
	}
	return vals
}

// encodeCursor returns the cursor that starts after hit h in order.
func encodeCursor(order search.SortOrder, h *search.DocumentMatch) string {
	vals := afterValues(order, h)
	c := cursorJSON{V: 1, S: make([]string, len(vals))}
	for i, v := range vals {
		c.S[i] = base64.RawStdEncoding.EncodeToString([]byte(v))
	}
	b, _ := json.Marshal(c) // strings only
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor returns the sort values of a cursor made by encodeCursor.
func decodeCursor(s string) ([]string, error) {
	bad := func(why string) error {
		return &RequestError{Field: "cursor", Reason: why + " (give the next_cursor of a previous answer, as is)"}
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad("not base64url")
	}
	var c cursorJSON
	if err := json.Unmarshal(b, &c); err != nil || c.V != 1 || len(c.S) < 2 || len(c.S) > 3 {
		return nil, bad("not a cursor of this version")
	}
	out := make([]string, len(c.S))
	for i, v := range c.S {
		raw, err := base64.RawStdEncoding.DecodeString(v)
		if err != nil {
			return nil, bad("a value is not base64")
		}
		out[i] = string(raw)
	}
	if len(out) == 2 {
		// Relevance: score, ID.
		if _, err := strconv.ParseFloat(out[0], 64); err != nil {
			return nil, bad("its score is not a number")
		}
	}
	return out, nil
}
