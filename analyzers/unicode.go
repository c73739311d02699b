package analyzers

import (
	"bytes"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"golang.org/x/text/unicode/norm"
)

// Real French files carry invisible or compatibility characters inside
// words: soft hyphens ("mini\u00adstre"), zero-width joiners and spaces,
// direction marks around a word (U+200E, U+202A…U+202C), full-width
// letters ("ＲＥＰＵＢＬＩＱＵＥ", "l＇artillerie"), the ligatures ﬁ ﬂ ﬀ ﬃ ﬄ ﬅ ﬆ,
// and decomposed accents (NFD). normalizeTerm rewrites the term of such a
// token as the plain word, leaving its offsets on the text as written, so
// that highlights still cover the word exactly.

// needsNormalizing reports whether term may hold a character that
// normalizeTerm rewrites. It only looks at lead bytes, so that the common
// French letters (é, è, à, ç, œ: lead bytes 0xC3 and 0xC5) cost one
// comparison each.
func needsNormalizing(term []byte) bool {
	for _, c := range term {
		switch c {
		case 0xC2, // U+0080–U+00BF: soft hyphen U+00AD
			0xCC, 0xCD, // U+0300–U+036F: combining marks
			0xD8, 0xDB, // U+061C Arabic letter mark, U+06DD
			0xE1, // U+180E Mongolian vowel separator
			0xE2, // U+2000–U+2FFF: zero-width and direction marks
			0xEF: // U+F000–U+FFFF: ligatures, BOM, full-width forms
			return true
		}
	}
	return false
}

// normalizeTerm returns term without format characters (category Cf:
// soft hyphen, zero-width space, joiner and non-joiner, word joiner,
// direction marks, byte order mark), with full-width ASCII forms and Latin
// ligatures written as plain letters, and composed (NFC). It returns term
// itself when there is nothing to change.
func normalizeTerm(term []byte) []byte {
	if !needsNormalizing(term) {
		return term
	}
	changed, marks := false, false
	for i := 0; i < len(term); {
		r, size := utf8.DecodeRune(term[i:])
		i += size
		switch {
		case isFormat(r), isFullWidth(r), ligature(r) != "":
			changed = true
		case unicode.Is(unicode.Mn, r):
			marks = true
		}
	}
	if !changed && !marks {
		return term
	}
	out := term
	if changed {
		out = make([]byte, 0, len(term))
		for i := 0; i < len(term); {
			r, size := utf8.DecodeRune(term[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				out = append(out, term[i])
			case isFormat(r):
			case isFullWidth(r):
				out = append(out, byte(unicode.ToLower(r-0xFEE0)))
			case ligature(r) != "":
				out = append(out, ligature(r)...)
			default:
				out = append(out, term[i:i+size]...)
			}
			i += size
		}
	}
	if marks && !norm.NFC.IsNormal(out) {
		out = norm.NFC.Bytes(out)
	}
	return out
}

// isFormat reports whether r is an invisible format character (category
// Cf), which the analyzers remove from words.
func isFormat(r rune) bool {
	return r >= 0xAD && unicode.Is(unicode.Cf, r)
}

// isFullWidth reports whether r is a full-width form of a printable ASCII
// character (U+FF01–U+FF5E: "Ｒ", "＇", "１").
func isFullWidth(r rune) bool { return 0xFF01 <= r && r <= 0xFF5E }

// ligature returns the letters of a Latin typographic ligature (ﬀ ﬁ ﬂ ﬃ
// ﬄ ﬅ ﬆ), or "".
func ligature(r rune) string {
	switch r {
	case 0xFB00:
		return "ff"
	case 0xFB01:
		return "fi"
	case 0xFB02:
		return "fl"
	case 0xFB03:
		return "ffi"
	case 0xFB04:
		return "ffl"
	case 0xFB05, 0xFB06:
		return "st"
	}
	return ""
}

// trimFormat moves the offsets of t past the format characters at the
// ends of the word it covers (a direction mark closing "\u202Aministre\u202C"
// belongs to the token by the Unicode word rules), so that a highlight
// covers only the visible word. It only acts while the term still holds the
// bytes of the text.
func trimFormat(t *analysis.Token) {
	if len(t.Term) != t.End-t.Start {
		return
	}
	term := t.Term
	for len(term) > 0 {
		r, size := utf8.DecodeRune(term)
		if !isFormat(r) {
			break
		}
		term = term[size:]
		t.Start += size
	}
	for len(term) > 0 {
		r, size := utf8.DecodeLastRune(term)
		if !isFormat(r) {
			break
		}
		term = term[:len(term)-size]
		t.End -= size
	}
}

// zeroWidthSpace is U+200B, which the Unicode word rules treat as a space
// although it is invisible: "pré\u200bsident" is two words for them.
var zeroWidthSpace = []byte("\u200b")

// joinZeroWidth joins the tokens that only zero-width spaces (and other
// format characters) separate in input into one token covering both, with
// the positions of the following tokens moved down. It returns stream
// itself when input has no zero-width space.
func joinZeroWidth(input []byte, stream analysis.TokenStream) analysis.TokenStream {
	if len(stream) < 2 || !bytes.Contains(input, zeroWidthSpace) {
		return stream
	}
	out := stream[:1]
	shift := 0
	for _, t := range stream[1:] {
		last := out[len(out)-1]
		if last.End <= t.Start && onlyFormat(input[last.End:t.Start]) &&
			bytes.Contains(input[last.End:t.Start], zeroWidthSpace) {
			last.End = t.End
			last.Term = input[last.Start:t.End:t.End]
			if t.Type != analysis.Numeric {
				last.Type = t.Type
			}
			shift++
			continue
		}
		t.Position -= shift
		out = append(out, t)
	}
	return out
}

// onlyFormat reports whether b holds format characters only.
func onlyFormat(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if !isFormat(r) {
			return false
		}
		b = b[size:]
	}
	return true
}

// elidedPrefix returns the number of bytes of term taken by an elided
// article or pronoun and its apostrophe ("l’", "jusqu'", "l＇", "Ｌ＇"), or 0.
// It reads full-width letters as their ASCII letters and skips format
// characters, so that it counts the bytes of the text as written.
func elidedPrefix(term []byte) int {
	var p [6]byte
	n := 0
	for i := 0; i < len(term); {
		if size := apostropheLen(term[i:]); size > 0 {
			if n == 0 || !isElided(p[:n]) {
				return 0
			}
			i += size
			for i < len(term) { // a format character after the apostrophe
				r, size := utf8.DecodeRune(term[i:])
				if !isFormat(r) {
					break
				}
				i += size
			}
			return i
		}
		r, size := utf8.DecodeRune(term[i:])
		switch {
		case isFullWidth(r):
			r = unicode.ToLower(r - 0xFEE0)
		case isFormat(r):
			i += size
			continue
		}
		if r >= utf8.RuneSelf || n == len(p) {
			return 0
		}
		p[n] = byte(r)
		n++
		i += size
	}
	return 0
}
