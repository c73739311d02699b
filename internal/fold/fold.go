// Package fold lowercases text and removes French (and other Latin) diacritics,
// so that "ARMÉE", "armée" and "armee" compare equal. It is shared by the
// analyzers (term folding) and the corpus gazetteer (country matching).
package fold

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// latin maps the precomposed Latin-1 and Latin Extended-A letters to their
// lowercase base letters; it covers every letter French writes.
var latin = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'æ': "ae",
	'ç': "c", 'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ì': "i", 'í': "i",
	'î': "i", 'ï': "i", 'ð': "d", 'ñ': "n", 'ò': "o", 'ó': "o", 'ô': "o",
	'õ': "o", 'ö': "o", 'ø': "o", 'ù': "u", 'ú': "u", 'û': "u", 'ü': "u",
	'ý': "y", 'ÿ': "y", 'þ': "th", 'ß': "ss", 'œ': "oe", 'ĳ': "ij", 'ł': "l", 'đ': "d", 'ħ': "h", 'ı': "i",
}

// String returns s lowercased, with diacritics removed and the ligatures
// æ, œ and ß spelled out. It returns s itself when s is lowercase ASCII.
func String(s string) string {
	if isLowerASCII(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		appendRune(&b, r)
	}
	return b.String()
}

// Bytes is String for a byte slice; it returns a new slice unless the input
// is lowercase ASCII, in which case it returns the input itself.
func Bytes(s []byte) []byte {
	ascii := true
	for _, c := range s {
		if c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	return []byte(String(string(s)))
}

func isLowerASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

func appendRune(b *strings.Builder, r rune) {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		b.WriteByte(byte(r))
		return
	}
	r = unicode.ToLower(r)
	if s, ok := latin[r]; ok {
		b.WriteString(s)
		return
	}
	if unicode.Is(unicode.Mn, r) { // a combining accent left by decomposed input
		return
	}
	// Other letters: decompose and drop combining marks (e.g. "ă" → "a"),
	// folding what is left ("ǽ" → "æ" → "ae").
	d := norm.NFD.String(string(r))
	for _, c := range d {
		switch {
		case unicode.Is(unicode.Mn, c):
		case c == r:
			b.WriteRune(c)
		default:
			appendRune(b, c)
		}
	}
}
