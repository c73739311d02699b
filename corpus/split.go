package corpus

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxPartSize is the most body text one report carries. A longer body (a
// 50 MB single-line file, a book-length report) is split into parts of at
// most this size, cut at a paragraph, sentence or word boundary, so that
// indexing memory stays bounded and every word stays searchable. The first
// part keeps the report's ID; part k (k ≥ 2) has the ID "ID#pk" and the
// title "Title (partie k/n)", or, for a paged report (a PDF), "Title
// (partie k, p. 41–80 sur 950)": a PDF's parts are indexed as its pages
// are read, before their number is known.
const MaxPartSize = 256 << 10

// SplitParts returns r whole when its body fits in MaxPartSize, else its
// parts, as Walk emits them. A paged report (a PDF, with PageStarts) is
// cut at page boundaries, several pages to a part, and inside a page only
// when that page alone is longer than MaxPartSize; each part has its
// FirstPage and PageStarts. Programs that build reports themselves can use
// it before index.Add.
func SplitParts(r Report) []Report {
	if len(r.Body) <= MaxPartSize {
		return []Report{r}
	}
	type piece struct {
		body       string
		first      int
		pageStarts []int
	}
	var pieces []piece
	if len(r.PageStarts) > 0 {
		start := 0 // page index where the current part starts
		for start < len(r.PageStarts) {
			from := r.PageStarts[start]
			end := start + 1 // first page after the part
			for end < len(r.PageStarts) && pageEnd(r, end)-from <= MaxPartSize {
				end++
			}
			text := strings.TrimRight(r.Body[from:pageEnd(r, end-1)], " \t\r\n")
			if len(text) <= MaxPartSize {
				starts := make([]int, end-start)
				for i := range starts {
					starts[i] = r.PageStarts[start+i] - from
				}
				pieces = append(pieces, piece{text, r.FirstPage + start, starts})
			} else {
				// One page longer than a part: cut inside it.
				for rest := text; rest != ""; {
					cut := partCut(rest, MaxPartSize)
					pieces = append(pieces, piece{strings.TrimSpace(rest[:cut]), r.FirstPage + start, []int{0}})
					rest = strings.TrimLeft(rest[cut:], " \t\r\n")
				}
			}
			start = end
		}
	} else {
		for rest := r.Body; rest != ""; {
			cut := partCut(rest, MaxPartSize)
			pieces = append(pieces, piece{body: strings.TrimSpace(rest[:cut])})
			rest = strings.TrimLeft(rest[cut:], " \t\r\n")
		}
	}
	parts := make([]Report, len(pieces))
	for i, pc := range pieces {
		p := r
		p.Body, p.FirstPage, p.PageStarts = pc.body, pc.first, pc.pageStarts
		if i > 0 {
			p.ID = fmt.Sprintf("%s#p%d", r.ID, i+1)
		}
		switch {
		case len(r.PageStarts) > 0:
			p.Title = partTitle(r.Title, i+1, pc.first, pc.first+len(pc.pageStarts)-1, r.FirstPage+len(r.PageStarts)-1)
		case r.Title == "":
			p.Title = fmt.Sprintf("partie %d/%d", i+1, len(pieces))
		default:
			p.Title = fmt.Sprintf("%s (partie %d/%d)", r.Title, i+1, len(pieces))
		}
		parts[i] = p
	}
	return parts
}

// pageEnd returns the end in r.Body of page index i (before the blank
// line that separates it from the next).
func pageEnd(r Report, i int) int {
	if i+1 < len(r.PageStarts) {
		return max(r.PageStarts[i+1]-2, r.PageStarts[i])
	}
	return len(r.Body)
}

// partCut returns where to cut s so that s[:cut] is at most limit bytes:
// after the last paragraph break in the second half of the window, else
// after the last sentence end, else at the last space, else at a rune
// boundary. It returns len(s) when s fits.
func partCut(s string, limit int) int {
	if len(s) <= limit {
		return len(s)
	}
	w := s[:limit]
	half := limit / 2
	if i := strings.LastIndex(w, "\n\n"); i >= half {
		return i + 2
	}
	for _, sep := range []string{". ", "! ", "? ", "\n", " "} {
		if i := strings.LastIndex(w, sep); i >= half {
			return i + len(sep)
		}
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if cut == 0 {
		return limit // no rune start in the window: invalid UTF-8, cut anyway
	}
	return cut
}
