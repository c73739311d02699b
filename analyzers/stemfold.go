package analyzers

import (
	"bytes"
	"slices"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/kljensen/snowball/french"
)

// stemFolder computes the accent-insensitive stems of a word (see
// stemFoldTerms). Results are cached.
type stemFolder struct {
	cache *termCache[[][]byte]
}

func newStemFolder() *stemFolder { return &stemFolder{cache: newTermCache[[][]byte]()} }

// stems returns the terms of a lowercased word, at least one. The slices
// are shared and must not be modified.
func (s *stemFolder) stems(term []byte) [][]byte {
	if len(term) <= maxCachedLen {
		if v, ok := s.cache.get(term); ok {
			return v
		}
	}
	v := stemFoldTerms(term)
	if len(term) <= maxCachedLen {
		s.cache.put(term, v)
	}
	return v
}

// stemFoldTerms computes, without cache, the terms of a lowercased word:
// for a word of the lexicon, the terms of its forms (usually one; see
// lexiconTerms); for another word, the folded stem of the word as written
// and, when it differs, the stem of the folded word. The results never
// share term's bytes, so that they can be cached.
func stemFoldTerms(term []byte) [][]byte {
	if hasDigit(term) {
		// Numbers, years and codes such as "covid19" are not stemmed.
		if isLowerASCII(term) {
			return [][]byte{bytes.Clone(term)}
		}
		return [][]byte{foldBytes(term)}
	}
	folded := term
	if !isLowerASCII(term) {
		folded = foldBytes(term)
	}
	if terms, ok := lexiconTerms(term, folded); ok {
		return terms
	}
	var terms [][]byte
	if _, ok := unstemmed[string(folded)]; ok {
		terms = [][]byte{bytes.Clone(folded)}
	} else {
		a := foldStem(string(term))
		terms = [][]byte{a}
		if !isLowerASCII(term) {
			if b := foldStem(string(folded)); !bytes.Equal(a, b) {
				terms = append(terms, b)
			}
		}
	}
	// A term that the index holds, for the words of the lexicon, as the
	// exact form of their only spelling: search that too (after the terms,
	// and only in searches: see filterIndex).
	for _, t := range terms {
		if e := exactFor(t); e != nil {
			terms = appendTerm(terms, bytes.Clone(e))
		}
	}
	return terms
}

// isMarked reports whether term starts with ExactMarker.
func isMarked(term []byte) bool { return len(term) > 0 && term[0] == ExactMarker[0] }

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
		stems := f.s.stems(t.Term)
		if i > 0 && input[i-1].KeyWord && input[i-1].Position == t.Position &&
			bytes.HasPrefix(input[i-1].Term, []byte(ExactMarker)) {
			// After ExactRepeatName, in the index: a word whose exact form
			// stands for its terms gives no other term, and the exact
			// forms that other words search are left out.
			if isMarked(stems[0]) {
				stems = nil
			} else if isMarked(stems[len(stems)-1]) {
				stems = slices.DeleteFunc(slices.Clone(stems), isMarked)
			}
			if len(stems) == 0 {
				if out == nil {
					out = make(analysis.TokenStream, i, len(input)+len(input)/4+1)
					copy(out, input[:i])
				}
				continue
			}
		}
		t.Term = stems[0]
		if len(stems) == 1 {
			if out != nil {
				out = append(out, t)
			}
			continue
		}
		if out == nil {
			out = make(analysis.TokenStream, i, len(input)+len(input)/4+1)
			copy(out, input[:i])
		}
		out = append(out, t)
		for _, st := range stems[1:] {
			if len(extra) == cap(extra) {
				extra = make([]analysis.Token, 0, 16)
			}
			extra = append(extra, *t)
			next := &extra[len(extra)-1]
			next.Term = st
			out = append(out, next)
		}
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
