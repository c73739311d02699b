package corpus

// This file matches the gazetteer (gazetteer.go) against text.

import (
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/rapports/rapports/internal/fold"
)

// isHyphen reports whether sep is a hyphen ("-" or U+2011).
func isHyphen(sep string) bool { return sep == "-" || sep == "\u2011" }

// quickKey hashes a word's length and first and last bytes to 15 bits.
func quickKey(w string) uint32 {
	return uint32(len(w)&31)<<10 | uint32(w[0]&31)<<5 | uint32(w[len(w)-1]&31)
}

// firstWords is the quick filter of a gazetteer's first words (of the
// countries, of the organisations): the bit quickKey(w) is set for every
// first word w, so that most words of a text are passed over before any
// lowercasing or map lookup.
type firstWords [1 << 15 / 64]uint64

// add sets the bit of the first word k.
func (f *firstWords) add(k string) {
	q := quickKey(k)
	f[q/64] |= 1 << (q % 64)
}

// has reports whether the bit q (a quickKey) is set.
func (f *firstWords) has(q uint32) bool { return f[q/64]&(1<<(q%64)) != 0 }

// asciiWord[c] is true for the ASCII bytes that are part of a word:
// letters and digits. Apostrophes, hyphens and other signs separate words;
// beyond ASCII, letters, digits and combining marks are part of words.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range utf8.RuneSelf {
		t[c] = ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')
	}
	return t
}()

// nextWord returns the bounds of the first word of s at or after i, or
// start == -1, and whether the word is all ASCII.
func nextWord(s string, i int) (start, end int, ascii bool) {
	start, ascii = -1, true
	for i < len(s) {
		c := s[i]
		word, size := false, 1
		if c < utf8.RuneSelf {
			word = asciiWord[c]
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			word = unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
			if word {
				ascii = false
			}
		}
		if word {
			if start < 0 {
				start = i
			}
		} else if start >= 0 {
			return start, i, ascii
		}
		i += size
	}
	if start < 0 {
		return -1, len(s), true
	}
	return start, len(s), ascii
}

// folded returns the folded form of s[start:end] (fold.String); the
// words of ASCII and of the Latin letters of foldTable are folded into buf
// without allocating (the result may be buf's bytes, valid until its next
// use).
func folded(s string, start, end int, ascii bool, buf *[32]byte) string {
	w := s[start:end]
	if len(w) > len(buf) {
		return fold.String(w)
	}
	if !ascii {
		return foldedLatin(w, buf)
	}
	lower := true
	for j := 0; j < len(w); j++ {
		if c := w[j]; 'A' <= c && c <= 'Z' {
			lower = false
			break
		}
	}
	if lower {
		return w
	}
	for j := 0; j < len(w); j++ {
		c := w[j]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[j] = c
	}
	return unsafe.String(&buf[0], len(w))
}

// foldTable holds fold.String of each rune below its length (ASCII, the
// Latin-1 Supplement, Latin Extended-A and -B, IPA extensions, spacing
// modifiers and the combining diacritical marks): fold.String folds a text
// rune by rune, so a word of these runes folds as the concatenation of
// theirs.
var foldTable = func() (t [0x370]string) {
	for r := range rune(len(t)) {
		t[r] = fold.String(string(r))
	}
	return t
}()

// foldedLatin is folded for a word w of at most 32 bytes with non-ASCII
// runes: into buf when its runes are all in foldTable and it fits.
func foldedLatin(w string, buf *[32]byte) string {
	n := 0
	for _, r := range w {
		if r >= rune(len(foldTable)) {
			return fold.String(w)
		}
		f := foldTable[r]
		if n+len(f) > len(buf) {
			return fold.String(w)
		}
		n += copy(buf[n:], f)
	}
	if n == 0 {
		return ""
	}
	return unsafe.String(&buf[0], n)
}

// startsUpper reports whether s starts with a capital letter.
func startsUpper(s string) bool {
	if s == "" {
		return false
	}
	if c := s[0]; c < utf8.RuneSelf {
		return 'A' <= c && c <= 'Z'
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// maxLook bounds the words of a form, and so the words looked at around
// its key word.
const maxLook = 12

// follower is a word after the first one of a candidate match.
type follower struct {
	start, end int
	key        string
}

// FindCountries returns the countries named in text, as ISO 3166-1
// alpha-2 codes in order of first mention, and how many times each is
// named. Names, adjectives and places of the gazetteer (countries.tsv) are
// matched on lowercased, accent-folded words, so "Israël", "ISRAEL" and
// "israélienne" all give IL; the longest match wins ("Guinée-Bissau" is GW,
// not GN).
//
// The French overseas departments and collectivities that ISO 3166-1 lists
// apart (Guadeloupe GP, Martinique MQ, Guyane GF, La Réunion RE, Mayotte YT,
// Nouvelle-Calédonie NC, Polynésie française PF, Saint-Martin MF,
// Saint-Barthélemy BL, Saint-Pierre-et-Miquelon PM, Wallis-et-Futuna WF,
// Terres australes TF) give their own code and not FR, so that a filter on
// FR is about metropolitan France; a report that also names France gives
// both. Channels and phrases named after a country ("France 2", "chou de
// Bruxelles", "en anglais") and first names ("Dominique", "Franco") give
// none.
func FindCountries(text string) (codes []string, counts []int) {
	codes, counts, _, _ = findNames([]string{text}, true, false)
	return codes, counts
}

// match returns the code of the longest form among es that matches the
// text around its key word text[start:end] (words before it must start at
// or after from), and the end of its last word; code is "" when none
// matches.
func (g *gazetteer) match(text string, start, end, from int, es []entry) (code string, last int) {
	var next, prev [maxLook]follower
	var nextBuf, prevBuf [maxLook][32]byte // the folded keys of next and prev
	nnext, nprev := 0, 0
	scanned, back := end, start
	// after returns word k after the key word, reading it when needed.
	after := func(k int) (follower, bool) {
		for nnext <= k {
			s, e, ascii := nextWord(text, scanned)
			if s < 0 || nnext == maxLook {
				return follower{}, false
			}
			next[nnext] = follower{s, e, folded(text, s, e, ascii, &nextBuf[nnext])}
			nnext++
			scanned = e
		}
		return next[k], true
	}
	// before returns word k before the key word (0 is the nearest).
	before := func(k int) (follower, bool) {
		for nprev <= k {
			s, e, ascii := prevWord(text, back)
			if s < from || nprev == maxLook {
				return follower{}, false
			}
			prev[nprev] = follower{s, e, folded(text, s, e, ascii, &prevBuf[nprev])}
			nprev++
			back = s
		}
		return prev[k], true
	}
candidates:
	for _, e := range es {
		last := end
		for k, w := range e.rest {
			f, ok := after(k)
			if !ok || f.key != w {
				continue candidates
			}
			last = f.end
		}
		for k, w := range e.prev {
			f, ok := before(k)
			if !ok || f.key != w {
				continue candidates
			}
		}
		// word returns word k of the form as found in the text.
		word := func(k int) follower {
			var f follower
			switch {
			case k < len(e.prev):
				f, _ = before(len(e.prev) - 1 - k)
			case k == len(e.prev):
				f.start, f.end = start, end
			default:
				f, _ = after(k - len(e.prev) - 1)
			}
			return f
		}
		n := len(e.prev) + 1 + len(e.rest)
		for k := 0; k < n && e.caps != 0; k++ {
			if e.caps&(1<<k) != 0 && !startsUpper(text[word(k).start:]) {
				continue candidates
			}
		}
		for k := 0; k+1 < n && e.hyph != 0; k++ {
			if e.hyph&(1<<k) != 0 && !isHyphen(text[word(k).end:word(k+1).start]) {
				continue candidates
			}
		}
		if e.joined && !followedByHyphen(text[last:]) {
			continue
		}
		return e.code, last
	}
	return "", 0
}

// followedByHyphen reports whether s starts with a hyphen ("-" or U+2011).
func followedByHyphen(s string) bool {
	return strings.HasPrefix(s, "-") || strings.HasPrefix(s, "\u2011")
}

// prevWord returns the bounds of the last word of s ending at or before
// i, or start == -1, and whether the word is all ASCII.
func prevWord(s string, i int) (start, end int, ascii bool) {
	end, ascii = -1, true
	for i > 0 {
		r, size := rune(s[i-1]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeLastRuneInString(s[:i])
		}
		word := r < utf8.RuneSelf && asciiWord[r] ||
			r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r))
		if word {
			if end < 0 {
				end = i
			}
			if r >= utf8.RuneSelf {
				ascii = false
			}
		} else if end >= 0 {
			return i, end, ascii
		}
		i -= size
	}
	if end < 0 {
		return -1, 0, true
	}
	return 0, end, ascii
}

// CountryName returns the usual short French name of an ISO 3166-1
// alpha-2 code ("IL" gives "Israël"), or "" if code is unknown.
func CountryName(code string) string {
	return theGazetteer().names[code]
}

// IsCountry reports whether code is an ISO 3166-1 alpha-2 code (in
// uppercase) of the gazetteer.
func IsCountry(code string) bool {
	_, ok := theGazetteer().names[code]
	return ok
}

// CountryCodes returns every ISO 3166-1 alpha-2 code of the gazetteer, in
// its file order.
func CountryCodes() []string {
	return append([]string(nil), theGazetteer().codes...)
}
