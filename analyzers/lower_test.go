package analyzers

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
)

// lowerRef lowercases valid UTF-8 rune by rune, with to_lower's final sigma.
func lowerRef(s string) string {
	var b strings.Builder
	for i, r := range s {
		l := unicode.ToLower(r)
		if r == 'Σ' && i+len("Σ") == len(s) {
			l = 'ς'
		}
		b.WriteRune(l)
	}
	return b.String()
}

func TestLower(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"armée", "armée"},
		{"ARMÉE", "armée"},
		{"L’ÉTAT-MAJOR", "l’état-major"},
		{"ŒUVRE Ÿ", "œuvre ÿ"},
		{"ΟΔΟΣ", "οδος"}, // final sigma
		{"ΣΑ", "σα"},
		{"İstanbul", "istanbul"}, // "İ" (2 bytes) lowercases to "i" (1 byte)
		{"\u212Aelvin", "kelvin"},
		{"ȺB", "ⱥb"}, // "Ⱥ" (2 bytes) lowercases to "ⱥ" (3 bytes)
		{"a\xffB", "a\xffb"},
	} {
		if got := string(lower([]byte(tc.in))); got != tc.want {
			t.Errorf("lower(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

// TestLowerLatin1 checks the letters U+00C0 to U+00FF, which lower reads
// without decoding them, alone, after an ASCII capital, and after a
// letter whose lowercase form is shorter ("İ", so that lower writes behind
// where it reads).
func TestLowerLatin1(t *testing.T) {
	for r := rune(0xC0); r <= 0xFF; r++ {
		l := string(unicode.ToLower(r))
		for _, tc := range []struct{ in, want string }{
			{string(r), l},
			{"A" + string(r) + "B", "a" + l + "b"},
			{"İ" + string(r) + string(r) + "É", "i" + l + l + "é"},
		} {
			if got := string(lower([]byte(tc.in))); got != tc.want {
				t.Errorf("lower(%q) = %q; want %q", tc.in, got, tc.want)
			}
		}
	}
}

// FuzzLower checks lower against a rune-by-rune reference on valid UTF-8,
// and against Bleve's to_lower where to_lower is right (no letter whose
// lowercase form has another length).
func FuzzLower(f *testing.F) {
	for _, s := range []string{"ARMÉE", "İa", "ȺB", "ΟΔΟΣ", "\xffA"} {
		f.Add(s)
	}
	bleveLower := lowercase.NewLowerCaseFilter()
	f.Fuzz(func(t *testing.T, in string) {
		got := string(lower([]byte(in)))
		if !utf8.ValidString(in) {
			return
		}
		sameLength := true
		for _, r := range in {
			if utf8.RuneLen(unicode.ToLower(r)) != utf8.RuneLen(r) {
				sameLength = false
			}
		}
		if want := lowerRef(in); sameLength && got != want {
			t.Errorf("lower(%q) = %q; want %q", in, got, want)
		}
		if sameLength {
			toks := bleveLower.Filter(analysis.TokenStream{{Term: []byte(in)}})
			if want := string(toks[0].Term); got != want {
				t.Errorf("lower(%q) = %q; to_lower gives %q", in, got, want)
			}
		}
	})
}
