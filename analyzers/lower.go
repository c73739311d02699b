package analyzers

import (
	"bytes"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// LowerName lowercases terms, in place when the lowercase form is not
// longer. It gives the terms of Bleve's to_lower filter, faster on ASCII,
// and keeps the bytes after a letter whose lowercase form is shorter
// ("İ", "K"), which to_lower garbles.
const LowerName = "rapports_lower"

// lowerFilter is the LowerName filter.
type lowerFilter struct{}

func (lowerFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, t := range input {
		t.Term = lower(t.Term)
	}
	return input
}

// lowerASCII lowercases s, which is ASCII, in place.
func lowerASCII(s []byte) {
	for i, c := range s {
		if 'A' <= c && c <= 'Z' {
			s[i] = c + 'a' - 'A'
		}
	}
}

// lower returns s lowercased, overwriting s unless a lowercase letter is
// longer than its capital, in which case it returns a new slice.
func lower(s []byte) []byte {
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf {
		if 'A' <= s[i] && s[i] <= 'Z' {
			s[i] += 'a' - 'A'
		}
		i++
	}
	if i == len(s) {
		return s
	}
	j := i // s[:j] is lowercased; s[i:] is still to do
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			s[j] = c
			i++
			j++
			continue
		}
		if c == 0xC3 && i+1 < len(s) && 0x80 <= s[i+1] && s[i+1] <= 0xBF {
			// U+00C0 to U+00FF, most accented letters of French: the
			// capitals but × are the small letters less 0x20.
			d := s[i+1]
			if d <= 0x9E && d != 0x97 {
				d += 0x20
			}
			s[j], s[j+1] = c, d
			i += 2
			j += 2
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		l := unicode.ToLower(r)
		if l == 'σ' && i+size == len(s) {
			l = 'ς' // final sigma, as to_lower does
		}
		if l == r {
			copy(s[j:], s[i:i+size])
			i += size
			j += size
			continue
		}
		n := utf8.RuneLen(l)
		if j+n > i+size {
			// Longer than what is left to overwrite ("Ⱥ" gives "ⱥ"):
			// build a new slice, as to_lower does.
			rest := bytes.ToLower(s[i:])
			out := make([]byte, j+len(rest))
			copy(out, s[:j])
			copy(out[j:], rest)
			return out
		}
		utf8.EncodeRune(s[j:], l)
		i += size
		j += n
	}
	return s[:j]
}
