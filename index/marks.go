package index

import (
	"html"
	"strings"
)

// Span is a match in a plain text: the bytes [Start, End) of it.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Fragment is a passage of a report's body around matched words: its
// plain text and the byte offsets of the matches in it.
type Fragment struct {
	Text    string `json:"text"`
	Matches []Span `json:"matches,omitempty"`
}

const (
	markOpen  = "<mark>"
	markClose = "</mark>"
)

// parseMarked turns the html highlighter's output (escaped text whose
// only markup is <mark>…</mark>) into plain text and the spans of the
// marked parts. Entities are unescaped; a <mark> left open ends at the
// end of the text, a stray </mark> is dropped, empty marks give no span
// and adjacent marks merge into one span.
func parseMarked(s string) (string, []Span) {
	var b strings.Builder
	var spans []Span
	start := -1
	flush := func(part string) {
		b.WriteString(html.UnescapeString(part))
	}
	for s != "" {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			flush(s)
			break
		}
		switch {
		case start < 0 && strings.HasPrefix(s[i:], markOpen):
			flush(s[:i])
			start = b.Len()
			s = s[i+len(markOpen):]
		case start >= 0 && strings.HasPrefix(s[i:], markClose):
			flush(s[:i])
			if end := b.Len(); end > start {
				if n := len(spans); n > 0 && spans[n-1].End == start {
					spans[n-1].End = end
				} else {
					spans = append(spans, Span{start, end})
				}
			}
			start = -1
			s = s[i+len(markClose):]
		case strings.HasPrefix(s[i:], markOpen), strings.HasPrefix(s[i:], markClose):
			// Nested <mark> or stray </mark>: drop the tag.
			flush(s[:i])
			if s[i+1] == '/' {
				s = s[i+len(markClose):]
			} else {
				s = s[i+len(markOpen):]
			}
		default:
			flush(s[:i+1])
			s = s[i+1:]
		}
	}
	if start >= 0 && b.Len() > start {
		if n := len(spans); n > 0 && spans[n-1].End == start {
			spans[n-1].End = b.Len()
		} else {
			spans = append(spans, Span{start, b.Len()})
		}
	}
	return b.String(), spans
}
