package corpus

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// spacingAccents maps the spacing accents that PDFs made by TeX put
// beside a letter ("g´en´erale", "fa¸con", "aˆıtre") to the combining
// marks they stand for.
var spacingAccents = map[rune]rune{
	'\u00b4': '\u0301', // ´ acute
	'\u02ca': '\u0301', // ˊ modifier acute
	'`':      '\u0300', // grave
	'\u02cb': '\u0300', // ˋ modifier grave
	'\u02c6': '\u0302', // ˆ modifier circumflex
	'^':      '\u0302', // circumflex
	'\u00a8': '\u0308', // ¨ diaeresis
	'\u02dc': '\u0303', // ˜ small tilde
	'\u00b8': '\u0327', // ¸ cedilla
}

// frenchAccented are the letters that composeAccents may make: the accented
// letters of French (and ñ), so that a caret or a back quote beside any
// other letter is left alone.
const frenchAccented = "àâäçéèêëîïôöùûüÿñÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸÑ"

// composeAccents joins a spacing accent to the letter after it (or, for a
// cedilla, before it, as both orders occur) when the two make an accented
// letter of French: "g´en´erale" → "générale", "ma¸con"/"mac¸on" →
// "maçon", "aˆıtre" → "aître" (a dotless ı under an accent is an i).
// Other text is returned unchanged.
func composeAccents(s string) string {
	if !strings.ContainsAny(s, "\u00b4\u02ca`\u02cb\u02c6^\u00a8\u02dc\u00b8") {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		mark, ok := spacingAccents[r]
		if !ok {
			b = append(b, s[i:i+size]...)
			i += size
			continue
		}
		// The letter after the accent.
		if next, nsize := utf8.DecodeRuneInString(s[i+size:]); nsize > 0 {
			if c, ok := composed(next, mark); ok {
				b = utf8.AppendRune(b, c)
				i += size + nsize
				continue
			}
		}
		// A cedilla after its c: the c already written is replaced in place.
		if mark == '\u0327' {
			if prev, psize := utf8.DecodeLastRune(b); psize > 0 {
				if c, ok := composed(prev, mark); ok {
					b = utf8.AppendRune(b[:len(b)-psize], c)
					i += size
					continue
				}
			}
		}
		b = append(b, s[i:i+size]...)
		i += size
	}
	return string(b)
}

// composed returns letter with mark as one accented letter of French.
func composed(letter, mark rune) (rune, bool) {
	if letter == 'ı' {
		letter = 'i'
	}
	c, size := utf8.DecodeRuneInString(norm.NFC.String(string([]rune{letter, mark})))
	if size == 0 || !strings.ContainsRune(frenchAccented, c) {
		return 0, false
	}
	return c, true
}
