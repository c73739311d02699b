package analyzers

import (
	"bytes"
	"slices"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/kljensen/snowball/french"

	"github.com/rapports/rapports/internal/fold"
)

// apostropheLen returns the length of the apostrophe at the start of s, or
// 0: "'", the typographic ’ (U+2019), and the ‘ (U+2018), ʼ (U+02BC) and
// full-width ＇ (U+FF07) that some texts use in its place ("l‘armée").
func apostropheLen(s []byte) int {
	switch {
	case len(s) == 0:
		return 0
	case s[0] == '\'':
		return 1
	case s[0] == 0xE2 && len(s) >= 3 && s[1] == 0x80 && (s[2] == 0x99 || s[2] == 0x98): // ’ ‘
		return 3
	case s[0] == 0xCA && len(s) >= 2 && s[1] == 0xBC: // ʼ
		return 2
	case s[0] == 0xEF && len(s) >= 3 && s[1] == 0xBC && s[2] == 0x87: // ＇ (full width)
		return 3
	}
	return 0
}

// isElided reports whether p, a lowercased prefix ending before an
// apostrophe, is an elided French article or pronoun.
func isElided(p []byte) bool {
	switch string(p) {
	case "l", "d", "j", "m", "n", "s", "t", "c", "qu",
		"jusqu", "lorsqu", "puisqu", "quoiqu":
		return true
	}
	return false
}

// elisionFilter removes elided prefixes; see ElisionName.
type elisionFilter struct{}

func (elisionFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	return elide(input, false)
}

// Flags of the bytes of a term (byteFlags): what they may call for.
const (
	flagUpper      = 1 << iota // A to Z: lowercasing
	flagHigh                   // not ASCII: lowercasing (lower)
	flagApostrophe             // ' or the lead byte of another apostrophe (apostropheLen): elision
	flagDot                    // '.': splitJoined, undot
	flagNormalize              // a lead byte of needsNormalizing
)

// byteFlags holds the flags of each byte.
var byteFlags = func() (t [256]byte) {
	for c := 'A'; c <= 'Z'; c++ {
		t[c] |= flagUpper
	}
	for c := 0x80; c < 0x100; c++ {
		t[c] |= flagHigh
	}
	for _, c := range []byte{'\'', 0xE2, 0xCA, 0xEF} {
		t[c] |= flagApostrophe
	}
	t['.'] |= flagDot
	for _, c := range []byte{0xC2, 0xCC, 0xCD, 0xD8, 0xDB, 0xE1, 0xE2, 0xEF} {
		t[c] |= flagNormalize
	}
	return t
}()

// termFlags returns the union of the flags of the bytes of term.
func termFlags(term []byte) byte {
	var f byte
	for _, c := range term {
		f |= byteFlags[c]
	}
	return f
}

// elide is the ElisionName filter, lowercasing each term first (as
// LowerName does) when lowercase is set. A term whose bytes call for
// nothing (termFlags) is left as it is.
func elide(input analysis.TokenStream, lowercase bool) analysis.TokenStream {
	out := input[:0]
	var all byte // the flags of the terms kept
	for _, t := range input {
		f := termFlags(t.Term)
		if lowercase {
			switch {
			case f&flagHigh != 0:
				t.Term = lower(t.Term)
				f = termFlags(t.Term)
			case f&flagUpper != 0:
				lowerASCII(t.Term)
				f &^= flagUpper
			}
		}
		if f&flagApostrophe != 0 {
			if n := elidedPrefix(t.Term); n > 0 {
				if len(t.Term) == t.End-t.Start {
					t.Start += n
				} else {
					// The lowercase form is not as long as the text: find
					// the apostrophe's end from the end of the word.
					t.Start = max(t.Start, t.End-(len(t.Term)-n))
				}
				t.Term = t.Term[n:]
				f = termFlags(t.Term)
			}
		}
		if len(t.Term) > 0 {
			out = append(out, t)
			all |= f
		}
	}
	if all&(flagDot|flagNormalize) == 0 {
		return out
	}
	if all&flagDot != 0 {
		out = splitJoined(out)
	}
	empty := false
	for _, t := range out {
		f := termFlags(t.Term)
		if f&flagNormalize != 0 && needsNormalizing(t.Term) {
			trimFormat(t)
			t.Term = normalizeTerm(t.Term)
			empty = empty || len(t.Term) == 0
			f = termFlags(t.Term) // "．" gives a dot
		}
		if f&flagDot != 0 && bytes.IndexByte(t.Term, '.') > 0 {
			t.Term = undot(t.Term)
		}
	}
	if empty {
		out = slices.DeleteFunc(out, func(t *analysis.Token) bool { return len(t.Term) == 0 })
	}
	return out
}

// undot returns the letters of s joined when s is a dotted acronym: two
// or more single letters separated by dots, with an optional final dot
// ("o.n.u", "s.n.c.f."). Other terms ("jean.dupont", "3.5", "a..b") are
// returned as they are. It overwrites s.
func undot(s []byte) []byte {
	letters := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRune(s[i:])
		if !unicode.IsLetter(r) {
			return s
		}
		letters++
		i += size
		if i < len(s) && s[i] != '.' {
			return s
		}
		i++ // the dot
	}
	if letters < 2 {
		return s
	}
	j := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '.' {
			s[j] = s[i]
			j++
		}
	}
	return s[:j]
}

// stopFilter removes stop words; see StopName.
// A word is removed when its folded form is a stop word, so that "dès",
// "des" and "DES" are all removed, as a query typed without accents
// would be.
type stopFilter struct {
	words  map[string]struct{} // stop words, as written and folded
	maxLen int                 // length in bytes of the longest stop word
	f      *folder
}

// stopSet holds the stop words as written and folded; it is never modified
// after init.
var stopSet, stopMaxLen = func() (map[string]struct{}, int) {
	words := make(map[string]struct{}, 2*len(frenchStopWords))
	n := 0
	for _, w := range frenchStopWords {
		words[w] = struct{}{}
		words[fold.String(w)] = struct{}{}
		n = max(n, len(w))
	}
	return words, n
}()

func newStopFilter() *stopFilter {
	return &stopFilter{words: stopSet, maxLen: stopMaxLen, f: newFolder()}
}

func (f *stopFilter) isStop(term []byte) bool {
	if len(term) > 2*f.maxLen {
		return false
	}
	if _, stop := f.words[string(term)]; stop {
		return true
	}
	if isLowerASCII(term) {
		return false
	}
	_, stop := f.words[string(f.f.fold(term))]
	return stop
}

func (f *stopFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	out := input[:0]
	for _, t := range input {
		if !t.KeyWord && f.isStop(t.Term) {
			continue
		}
		out = append(out, t)
	}
	return out
}

// ordinalFilter normalizes numeric ordinals; see OrdinalName.
type ordinalFilter struct{}

func (ordinalFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, t := range input {
		if !t.KeyWord {
			t.Term = normalizeOrdinal(t.Term)
		}
	}
	return input
}

// normalizeOrdinal returns term with a numeric ordinal written in one form,
// or term itself when it is not an ordinal or already in that form.
func normalizeOrdinal(term []byte) []byte {
	if len(term) < 2 || !isDigit(term[0]) {
		return term
	}
	k := 1
	for k < len(term) && isDigit(term[k]) {
		k++
	}
	if k == len(term) {
		return term
	}
	var suffix string
	switch string(term[k:]) {
	case "er", "re", "ère", "ere", "ers", "res", "ères", "eres":
		if k == 1 && term[0] == '1' {
			suffix = "er"
		}
	case "e", "è", "ème", "eme", "es", "èmes", "emes", "nd", "nde", "nds", "ndes", "d", "de":
		suffix = "e"
	}
	if suffix == "" || string(term[k:]) == suffix {
		return term
	}
	out := make([]byte, 0, k+len(suffix))
	out = append(out, term[:k]...)
	return append(out, suffix...)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func hasDigit(b []byte) bool {
	for _, c := range b {
		if isDigit(c) {
			return true
		}
	}
	return false
}

func isLowerASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// folder folds terms, caching the folded form of non-ASCII terms.
type folder struct {
	cache *termCache[[]byte]
}

func newFolder() *folder { return &folder{cache: newTermCache[[]byte]()} }

// fold returns term lowercased, without diacritics and with its
// apostrophes (’ ‘ ʼ ＇) written as '.
// The result may be term itself or a shared slice: callers must not
// modify it.
func (f *folder) fold(term []byte) []byte {
	if isLowerASCII(term) {
		return term
	}
	if len(term) <= maxCachedLen {
		if v, ok := f.cache.get(term); ok {
			return v
		}
	}
	folded := foldBytes(term)
	if len(term) <= maxCachedLen {
		f.cache.put(term, folded)
	}
	return folded
}

// foldBytes is fold.Bytes with apostrophes (’ ‘ ʼ ＇) written as '; it always
// returns a new slice.
func foldBytes(term []byte) []byte {
	s := fold.String(string(term))
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		if n := apostropheLen([]byte(s[i:min(i+3, len(s))])); n > 1 {
			b = append(b, '\'')
			i += n
			continue
		}
		b = append(b, s[i])
		i++
	}
	return b
}

// foldFilter folds terms; see FoldName.
type foldFilter struct {
	f *folder
}

func (ff foldFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, t := range input {
		if !t.KeyWord {
			t.Term = ff.f.fold(t.Term)
		}
	}
	return input
}

// stemmer stems lowercased French words with Snowball, caching the stems.
type stemmer struct {
	cache *termCache[[]byte]
}

func newStemmer() *stemmer { return &stemmer{cache: newTermCache[[]byte]()} }

func (s *stemmer) stem(term []byte) []byte {
	if len(term) <= maxCachedLen {
		if v, ok := s.cache.get(term); ok {
			return v
		}
	}
	st := []byte(french.Stem(string(term), true))
	if len(term) <= maxCachedLen {
		s.cache.put(term, st)
	}
	return st
}

// stemFilter is the plain Snowball stemmer; see StemmerName.
type stemFilter struct {
	s *stemmer
}

func (sf stemFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, t := range input {
		if t.KeyWord || hasDigit(t.Term) {
			continue
		}
		t.Term = sf.s.stem(t.Term)
	}
	return input
}
