package corpus

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Report is one document read from a corpus, with its extracted metadata.
type Report struct {
	// ID is stable across runs: the path relative to the corpus root, or the
	// id field of JSON input (for JSON Lines without id: "path#line").
	ID string
	// Path is the file the report came from, relative to the corpus root.
	Path string
	// Title is the header or first line title; never the date header.
	Title string
	// Date is when the report was written, with its precision.
	Date Date
	// Countries are ISO 3166-1 alpha-2 codes in order of first mention
	// (header or JSON countries first).
	Countries []string
	// Mentions[i] is how many times Countries[i] is named in the title and
	// body; at least 1 for a country given by a header or JSON field.
	Mentions []int
	// Organizations are codes of the gazetteer of organisations
	// (FindOrganizations) named in the title and body, in order of first
	// mention.
	Organizations []string
	// OrgMentions[i] is how many times Organizations[i] is named.
	OrgMentions []int
	// Source is the publisher, when known.
	Source string
	// URL is the original address, when known.
	URL string
	// DateSource says where Date comes from: "" for the text or its
	// header (or the JSON field), DateFromMetadata for the file's
	// properties (a PDF's /Info creation date, a DOCX or ODT's creation
	// date), used only when the text gives no date.
	DateSource string
	// Body is the text, without header lines.
	Body string
	// PageStarts locates the pages of a paged document (PDF) in Body:
	// page FirstPage+i starts at byte PageStarts[i] (pages are separated
	// by a blank line). It is nil for documents without pages.
	PageStarts []int
	// FirstPage is the 1-based number of the document page Body starts
	// on (not 1 for the later parts of a long PDF), 0 without pages.
	FirstPage int
	// Hash is a hex digest of the report's content and metadata, used for
	// incremental indexing: same hash, same indexed document.
	Hash string
}

// DateFromMetadata is the Report.DateSource of a date taken from the
// file's properties.
const DateFromMetadata = "metadata"

// Page returns the 1-based page number of the byte offset off of r.Body,
// or 0 when r has no pages.
func (r *Report) Page(off int) int {
	if len(r.PageStarts) == 0 {
		return 0
	}
	i, found := slices.BinarySearch(r.PageStarts, off)
	if !found {
		i--
	}
	return r.FirstPage + max(i, 0)
}

// Precision says how much of a Date is known.
type Precision uint8

// Precisions of a Date, from none to the day.
const (
	NoDate Precision = iota
	Year
	Month
	Day
)

// String returns "none", "year", "month" or "day".
func (p Precision) String() string {
	switch p {
	case Year:
		return "year"
	case Month:
		return "month"
	case Day:
		return "day"
	}
	return "none"
}

// Date is a calendar date known to the year, month or day. The zero Date is
// "no date". Time is the first instant of the period, in UTC.
type Date struct {
	Time      time.Time
	Precision Precision
}

// ErrBadDate is wrapped by every date parsing error.
var ErrBadDate = errors.New("not a date")

// IsZero reports whether d is "no date".
func (d Date) IsZero() bool { return d.Precision == NoDate }

// String formats d as "2024", "2024-06" or "2024-06-15", or "" for no date.
func (d Date) String() string {
	switch d.Precision {
	case Year:
		return d.Time.Format("2006")
	case Month:
		return d.Time.Format("2006-01")
	case Day:
		return d.Time.Format("2006-01-02")
	}
	return ""
}

// End returns the first instant after d's period: for "2024-06", 2024-07-01.
func (d Date) End() time.Time {
	switch d.Precision {
	case Year:
		return d.Time.AddDate(1, 0, 0)
	case Month:
		return d.Time.AddDate(0, 1, 0)
	}
	return d.Time.AddDate(0, 0, 1)
}

// ParseISODate parses "YYYY", "YYYY-MM" or "YYYY-MM-DD" and keeps the
// precision. An impossible date ("2024-13", "2023-02-29") is an error that
// wraps ErrBadDate.
func ParseISODate(s string) (Date, error) {
	bad := func() (Date, error) {
		return Date{}, fmt.Errorf("%q is %w (want YYYY, YYYY-MM or YYYY-MM-DD)", s, ErrBadDate)
	}
	parts := strings.Split(s, "-")
	if len(parts) > 3 || len(parts[0]) != 4 {
		return bad()
	}
	nums := make([]int, len(parts))
	for i, p := range parts {
		if (i > 0 && len(p) != 2) || !isDigits(p) {
			return bad()
		}
		nums[i], _ = strconv.Atoi(p)
	}
	switch len(nums) {
	case 1:
		return Date{Time: time.Date(nums[0], 1, 1, 0, 0, 0, 0, time.UTC), Precision: Year}, nil
	case 2:
		if nums[1] < 1 || nums[1] > 12 {
			return bad()
		}
		return Date{Time: time.Date(nums[0], time.Month(nums[1]), 1, 0, 0, 0, 0, time.UTC), Precision: Month}, nil
	}
	d, err := MakeDate(nums[0], nums[1], nums[2])
	if err != nil {
		return bad()
	}
	return d, nil
}

// MakeDate returns the day-precision date y-m-d, or an error wrapping
// ErrBadDate if that day does not exist.
func MakeDate(y, m, day int) (Date, error) {
	t := time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC)
	if m < 1 || m > 12 || t.Day() != day || t.Month() != time.Month(m) {
		return Date{}, fmt.Errorf("%04d-%02d-%02d is %w: no such day", y, m, day, ErrBadDate)
	}
	return Date{Time: t, Precision: Day}, nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
