package index

import (
	"html"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseMarked(t *testing.T) {
	cases := []struct {
		in, text string
		spans    []Span
	}{
		{"", "", nil},
		{"sans marque", "sans marque", nil},
		{"La <mark>défense</mark> aérienne", "La défense aérienne", []Span{{3, 11}}},
		{"L&#39;<mark>armée</mark> de l&#39;air", "L'armée de l'air", []Span{{2, 8}}},
		{"&lt;b&gt; <mark>&amp;</mark> &quot;x&quot;", "<b> & \"x\"", []Span{{4, 5}}},
		{"<mark>Économie</mark> <mark>française</mark>", "Économie française", []Span{{0, 9}, {10, 20}}},
		{"<mark>défense</mark><mark>aérienne</mark>", "défenseaérienne", []Span{{0, 17}}}, // adjacent marks merge
		{"a <mark></mark>b", "a b", nil},                      // empty mark
		{"a <mark>b", "a b", []Span{{2, 3}}},                  // left open
		{"a</mark> b", "a b", nil},                            // stray close
		{"<mark>a <mark>b</mark> c", "a b c", []Span{{0, 3}}}, // nested open dropped
		{"x < y <b>", "x < y <b>", nil},                       // other "<" is text
		{"…l’<mark>armée</mark>…", "…l’armée…", []Span{{7, 13}}},
	}
	for _, tc := range cases {
		text, spans := parseMarked(tc.in)
		if text != tc.text || !slices.Equal(spans, tc.spans) {
			t.Errorf("parseMarked(%q) = %q %v; want %q %v", tc.in, text, spans, tc.text, tc.spans)
		}
	}
}

// FuzzParseMarked checks that spans are in range, ordered, on rune
// boundaries, and that on the html highlighter's kind of input (escaped
// text with <mark>) each span is the unescaped marked text.
func FuzzParseMarked(f *testing.F) {
	f.Add("L&#39;<mark>armée</mark> de l&#39;air", "", "")
	f.Add("<mark>a</mark><mark>b</mark>", "c", "&amp;")
	f.Add("a</mark> <mark>", "é", "x")
	f.Fuzz(func(t *testing.T, s, a, b string) {
		text, spans := parseMarked(s)
		prev := -1
		for _, sp := range spans {
			if sp.Start <= prev || sp.End <= sp.Start || sp.End > len(text) {
				t.Fatalf("parseMarked(%q): span %v out of order or range in %q (%v)", s, sp, text, spans)
			}
			prev = sp.End
		}
		// Built input: plain a, marked b, plain a, escaped as the highlighter does.
		if !utf8.ValidString(a) || !utf8.ValidString(b) || b == "" {
			return
		}
		in := html.EscapeString(a) + "<mark>" + html.EscapeString(b) + "</mark>" + html.EscapeString(a)
		text, spans = parseMarked(in)
		if text != a+b+a || len(spans) != 1 || text[spans[0].Start:spans[0].End] != b {
			t.Fatalf("parseMarked(%q) = %q %v; want %q with %q marked", in, text, spans, a+b+a, b)
		}
		if !utf8.ValidString(text[:spans[0].Start]) || strings.Contains(text, "<mark>") && !strings.Contains(a+b, "<mark>") {
			t.Fatalf("parseMarked(%q): span %v not on a rune boundary", in, spans[0])
		}
	})
}
