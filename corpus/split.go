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
// title "Title (partie k/n)".
const MaxPartSize = 256 << 10

// SplitParts returns r whole when its body fits in MaxPartSize, else its
// parts, as Walk emits them. Programs that build reports themselves can use
// it before index.Add.
func SplitParts(r Report) []Report {
	if len(r.Body) <= MaxPartSize {
		return []Report{r}
	}
	var bodies []string
	for rest := r.Body; rest != ""; {
		cut := partCut(rest, MaxPartSize)
		bodies = append(bodies, strings.TrimSpace(rest[:cut]))
		rest = strings.TrimLeft(rest[cut:], " \t\r\n")
	}
	parts := make([]Report, len(bodies))
	for i, body := range bodies {
		p := r
		p.Body = body
		if i > 0 {
			p.ID = fmt.Sprintf("%s#p%d", r.ID, i+1)
		}
		p.Title = fmt.Sprintf("%s (partie %d/%d)", r.Title, i+1, len(bodies))
		if r.Title == "" {
			p.Title = fmt.Sprintf("partie %d/%d", i+1, len(bodies))
		}
		parts[i] = p
	}
	return parts
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
