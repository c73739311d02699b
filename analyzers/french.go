package analyzers

import (
	"github.com/blevesearch/bleve/v2/analysis"
)

// Names of the token filters that do in one pass what a chain of the other
// filters does, for speed: one cache lookup per word instead of one per
// filter.
const (
	// FrenchTermsName is StopName, OrdinalName and StemFoldName in one
	// filter: the end of FrenchName's chain.
	FrenchTermsName = "rapports_fr_terms"
	// IndexTermsName is ExactRepeatName, StopName, OrdinalName and
	// StemFoldName in one filter: the end of IndexName's chain.
	IndexTermsName = "rapports_fr_index_terms"
)

// wordTerms holds what the French filters make of a lowercased word, in
// two allocations: the struct, whose inline array holds the stems' slice
// headers (a word has one or two stems but for a few ambiguous forms), and
// one buffer that holds the marked exact form then the stems. Reading a
// cached word's terms then touches the struct alone, which keeps the
// analysis of words already seen as fast as before the lexicon.
type wordTerms struct {
	exactForm []byte   // ExactMarker and the folded word
	stemList  [][]byte // inline[:n] for n <= 2; nil for a stop word
	inline    [2][]byte
}

// exact returns ExactMarker and the folded word.
func (w *wordTerms) exact() []byte { return w.exactForm }

// stems returns the word's stems (see stemFoldTerms), nil for a stop word.
func (w *wordTerms) stems() [][]byte { return w.stemList }

// wordTermsOf computes the terms of a lowercased word, without cache. The
// result never shares term's bytes.
func wordTermsOf(term []byte) *wordTerms {
	folded := term
	if !isLowerASCII(term) {
		folded = foldBytes(term)
	}
	stop := false
	if len(term) <= 2*stopMaxLen {
		_, stop = stopSet[string(term)]
		if !stop {
			_, stop = stopSet[string(folded)]
		}
	}
	var stems [][]byte
	n := len(ExactMarker) + len(folded)
	if !stop {
		stems = stemFoldTerms(normalizeOrdinal(term))
		for _, st := range stems {
			n += len(st)
		}
	}
	buf := make([]byte, 0, n)
	buf = append(append(buf, ExactMarker...), folded...)
	w := &wordTerms{exactForm: buf[:len(buf):len(buf)]}
	if stems == nil {
		return w
	}
	w.stemList = w.inline[:0]
	if len(stems) > len(w.inline) {
		w.stemList = make([][]byte, 0, len(stems))
	}
	for _, st := range stems {
		start := len(buf)
		buf = append(buf, st...)
		w.stemList = append(w.stemList, buf[start:len(buf):len(buf)])
	}
	return w
}

// frenchTermsFilter is the FrenchTermsName filter or, with exact set, the
// IndexTermsName filter.
type frenchTermsFilter struct {
	exact bool
	cache *termCache[*wordTerms]
}

func newFrenchTermsFilter(exact bool) *frenchTermsFilter {
	return &frenchTermsFilter{exact: exact, cache: newTermCache[*wordTerms]()}
}

func (f *frenchTermsFilter) terms(term []byte) *wordTerms {
	if len(term) > maxCachedLen {
		return wordTermsOf(term)
	}
	if w, ok := f.cache.get(term); ok {
		return w
	}
	w := wordTermsOf(term)
	f.cache.put(term, w)
	return w
}

func (f *frenchTermsFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	if f.exact {
		return f.filterIndex(input)
	}
	out := input[:0:0] // allocated at the first word with two stems
	inPlace := true
	var extra []analysis.Token
	for i, t := range input {
		if t.KeyWord {
			if inPlace {
				input[len(out)] = t
				out = input[:len(out)+1]
			} else {
				out = append(out, t)
			}
			continue
		}
		stems := f.terms(t.Term).stems()
		if stems == nil {
			continue
		}
		t.Term = stems[0]
		if len(stems) == 1 {
			if inPlace {
				input[len(out)] = t
				out = input[:len(out)+1]
			} else {
				out = append(out, t)
			}
			continue
		}
		if inPlace {
			inPlace = false
			grown := make(analysis.TokenStream, len(out), len(out)+2*(len(input)-i))
			copy(grown, out)
			out = grown
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
	return out
}

// filterIndex gives, for each word, its marked exact form then its stems.
func (f *frenchTermsFilter) filterIndex(input analysis.TokenStream) analysis.TokenStream {
	if len(input) == 0 {
		return input
	}
	out := make(analysis.TokenStream, 0, 2*len(input)+len(input)/8)
	copies := make([]analysis.Token, 0, len(input)+len(input)/8)
	next := func(t *analysis.Token, term []byte) *analysis.Token {
		if len(copies) == cap(copies) {
			copies = make([]analysis.Token, 0, 16)
		}
		copies = append(copies, *t)
		c := &copies[len(copies)-1]
		c.Term = term
		return c
	}
	for _, t := range input {
		if t.KeyWord {
			out = append(out, t)
			continue
		}
		w := f.terms(t.Term)
		exact := next(t, w.exact())
		exact.KeyWord = true
		out = append(out, exact)
		stems := w.stems()
		if stems == nil {
			continue // a stop word
		}
		if isMarked(stems[0]) {
			// A word whose exact form stands for its terms (see
			// lexiconTerms): its other terms are only searched. The exact
			// form counts for them in FieldLength.
			exact.Type = aloneType + analysis.TokenType(min(len(stems)-1, maxAlone))
			continue
		}
		t.Term = stems[0]
		out = append(out, t)
		for _, st := range stems[1:] {
			if isMarked(st) {
				continue // an exact form that stands for st, searched only
			}
			out = append(out, next(t, st))
		}
	}
	return out
}

// aloneType, plus the number of terms it stands for (at most maxAlone),
// is the Type of the exact form of a word that IndexName stores alone.
const (
	aloneType analysis.TokenType = 1 << 10
	maxAlone                     = 63
)

// FieldLength returns the length that ranking gives a field whose tokens
// IndexName made: their number, the exact form of a word stored alone (in
// place of its terms) counting also for those terms, so that storing it
// alone changes no score.
func FieldLength(tokens analysis.TokenStream) int {
	n := len(tokens)
	for _, t := range tokens {
		if t.Type > aloneType && t.Type <= aloneType+maxAlone {
			n += int(t.Type - aloneType)
		}
	}
	return n
}

// IndexFieldLength returns the FieldLength of text analysed by IndexName.
func IndexFieldLength(text string) (int, error) {
	analyzersOnce.Do(buildAnalyzers)
	if analyzersErr != nil {
		return 0, analyzersErr
	}
	return FieldLength(builtAnalyzer[IndexName].Analyze([]byte(text))), nil
}
