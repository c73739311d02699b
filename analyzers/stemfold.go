package analyzers

import (
	"bytes"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/kljensen/snowball/french"
)

// stemFolder computes the accent-insensitive stems of a word: the folded
// stem of the word as written and, when it differs, the stem of the folded
// word. Results are cached.
type stemFolder struct {
	cache *termCache[[2][]byte]
}

func newStemFolder() *stemFolder { return &stemFolder{cache: newTermCache[[2][]byte]()} }

// stems returns the terms of a lowercased word; the second is nil when the
// word gives a single term. The slices are shared and must not be modified.
func (s *stemFolder) stems(term []byte) (a, b []byte) {
	if len(term) <= maxCachedLen {
		if v, ok := s.cache.get(term); ok {
			return v[0], v[1]
		}
	}
	a, b = stemFoldTerms(term)
	if len(term) <= maxCachedLen {
		s.cache.put(term, [2][]byte{a, b})
	}
	return a, b
}

// stemFoldTerms computes, without cache, what stems returns. The results
// never share term's bytes, so that they can be cached.
func stemFoldTerms(term []byte) (a, b []byte) {
	if hasDigit(term) {
		// Numbers, years and codes such as "covid19" are not stemmed.
		if isLowerASCII(term) {
			return bytes.Clone(term), nil
		}
		return foldBytes(term), nil
	}
	folded := term
	if !isLowerASCII(term) {
		folded = foldBytes(term)
	}
	if _, ok := unstemmed[string(folded)]; ok {
		return bytes.Clone(folded), nil
	}
	a = foldStem(string(term))
	if isLowerASCII(term) {
		return a, nil
	}
	b = foldStem(string(foldBytes(term)))
	if bytes.Equal(a, b) {
		return a, nil
	}
	return a, b
}

// unstemmed lists the folded place names that are not stemmed, because
// their stem is that of unrelated common words: "Mali" stemmed to "mal"
// (749 times in 13,040 TV news reports), "Gaza" to "gaz", "Crimée" to
// "crim" (crime), "Damas" to "dam" (dame), "Cuba" to "cub" (cube),
// "Malaisie" to "malais" (malaise), "Dominique" to "domin" (dominer). Each
// gives its folded form, which no other word stems to. Names that stem like
// their adjective ("Russie", "russe") are stemmed as usual.
var unstemmed = func() map[string]struct{} {
	m := map[string]struct{}{}
	for _, w := range []string{
		"anguilla", "atlanta", "australie", "bale", "bali", "burkina", "colombie",
		"crimee", "cuba", "damas", "dominique", "fes", "gaza", "homs", "malaisie",
		"mali", "malte", "rome", "sinai", "tanger", "tonga",
	} {
		m[w] = struct{}{}
	}
	return m
}()

// foldStem returns the folded Snowball stem of w.
func foldStem(w string) []byte {
	st := french.Stem(w, true)
	for i := 0; i < len(st); i++ {
		if st[i] >= 0x80 || ('A' <= st[i] && st[i] <= 'Z') {
			return foldBytes([]byte(st))
		}
	}
	return []byte(st)
}

// stemFoldFilter replaces each word by its accent-insensitive stems; see
// StemFoldName.
type stemFoldFilter struct {
	s *stemFolder
}

func (f stemFoldFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	var out analysis.TokenStream // allocated at the first word with two stems
	var extra []analysis.Token
	for i, t := range input {
		if t.KeyWord {
			if out != nil {
				out = append(out, t)
			}
			continue
		}
		a, b := f.s.stems(t.Term)
		t.Term = a
		if b == nil {
			if out != nil {
				out = append(out, t)
			}
			continue
		}
		if out == nil {
			out = make(analysis.TokenStream, i, len(input)+len(input)/4+1)
			copy(out, input[:i])
		}
		if len(extra) == cap(extra) {
			extra = make([]analysis.Token, 0, 16)
		}
		extra = append(extra, *t)
		second := &extra[len(extra)-1]
		second.Term = b
		out = append(out, t, second)
	}
	if out == nil {
		return input
	}
	return out
}

// exactRepeatFilter adds marked exact forms; see ExactRepeatName.
type exactRepeatFilter struct {
	f *folder
}

func (e exactRepeatFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	if len(input) == 0 {
		return input
	}
	n := 0
	for _, t := range input {
		n += len(ExactMarker) + len(t.Term)
	}
	arena := make([]byte, 0, n)
	copies := make([]analysis.Token, len(input))
	out := make(analysis.TokenStream, 0, 2*len(input))
	for i, t := range input {
		start := len(arena)
		arena = append(arena, ExactMarker...)
		arena = append(arena, e.f.fold(t.Term)...)
		c := &copies[i]
		*c = *t
		c.Term = arena[start:len(arena):len(arena)]
		c.KeyWord = true
		out = append(out, c, t)
	}
	return out
}

// markFilter prefixes terms with ExactMarker; see MarkName.
type markFilter struct{}

func (markFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	n := 0
	for _, t := range input {
		n += len(ExactMarker) + len(t.Term)
	}
	arena := make([]byte, 0, n)
	for _, t := range input {
		start := len(arena)
		arena = append(arena, ExactMarker...)
		arena = append(arena, t.Term...)
		t.Term = arena[start:len(arena):len(arena)]
	}
	return input
}
