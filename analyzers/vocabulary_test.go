package analyzers

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/rapports/rapports/internal/fold"
)

// vocabulary is the Snowball French reference: each word and its stem.
type vocabulary struct {
	words, stems []string
}

// loadVocabulary reads ../../shared/data/snowball-fr/<dir>, skipping the
// test when the reference data is absent.
func loadVocabulary(t testing.TB, dir string) vocabulary {
	t.Helper()
	base := filepath.Join("..", "..", "shared", "data", "snowball-fr", dir)
	words := readLines(t, filepath.Join(base, "voc.txt"))
	stems := readLines(t, filepath.Join(base, "output.txt"))
	if len(words) != len(stems) {
		t.Fatalf("%s: %d words but %d stems", base, len(words), len(stems))
	}
	return vocabulary{words: words, stems: stems}
}

func readLines(t testing.TB, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		t.Skipf("reference data absent: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, strings.TrimSpace(sc.Text()))
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return lines
}

// TestStemmerReference checks that the StemmerName filter gives the 2018
// Snowball reference stem of every word of the reference vocabulary, but
// for the known differences of kljensen/snowball: words with a diaeresis
// (the reference reads "ï" and "ë" as vowels ending the stem: "mosaïque"
// gives "mosa", kljensen gives "mosaïqu") and words of two bytes or less,
// which kljensen leaves alone ("es" gives "es", the reference "e").
func TestStemmerReference(t *testing.T) {
	v := loadVocabulary(t, "legacy-2018")
	cache := registry.NewCache()
	f, err := cache.TokenFilterNamed(StemmerName)
	if err != nil {
		t.Fatal(err)
	}
	same, known := 0, 0
	for i, w := range v.words {
		got := string(f.Filter(analysis.TokenStream{{Term: []byte(w)}})[0].Term)
		switch {
		case got == v.stems[i]:
			same++
		case strings.ContainsAny(w, "ïë") || len(w) <= 2:
			known++
		default:
			t.Errorf("%s: stem(%q) = %q; want %q", StemmerName, w, got, v.stems[i])
		}
	}
	t.Logf("%s: %d of %d words give the reference stem (%.2f%%); %d known differences",
		StemmerName, same, len(v.words), 100*float64(same)/float64(len(v.words)), known)
}

// conflation holds the figures of an accent strategy on the vocabulary.
type conflation struct {
	words, matched       int // words whose unaccented and upper-case forms share a term with them
	pairs, pairsKept     int // pairs of words with the same reference stem; those sharing a term
	overConflated        int // pairs of words with different reference stems sharing a term
	firstMisses, overEgs []string
}

// measure computes the figures of terms, a function from a word to its set
// of terms, on v.
func measure(v vocabulary, terms func(string) []string) conflation {
	var c conflation
	termsOf := make(map[string][]string, len(v.words))
	for _, w := range v.words {
		termsOf[w] = terms(w)
	}
	share := func(a, b []string) bool {
		for _, x := range a {
			for _, y := range b {
				if x == y {
					return true
				}
			}
		}
		return false
	}
	for _, w := range v.words {
		c.words++
		ts := termsOf[w]
		if share(ts, terms(fold.String(w))) && share(ts, terms(strings.ToUpper(w))) {
			c.matched++
		} else if len(c.firstMisses) < 5 {
			c.firstMisses = append(c.firstMisses, w)
		}
	}
	byStem := make(map[string][]string)
	stemOf := make(map[string]string, len(v.words))
	for i, w := range v.words {
		byStem[v.stems[i]] = append(byStem[v.stems[i]], w)
		stemOf[w] = v.stems[i]
	}
	for _, ws := range byStem {
		for i := range ws {
			for j := i + 1; j < len(ws); j++ {
				c.pairs++
				if share(termsOf[ws[i]], termsOf[ws[j]]) {
					c.pairsKept++
				}
			}
		}
	}
	byTerm := make(map[string][]string)
	for _, w := range v.words {
		for _, term := range termsOf[w] {
			byTerm[term] = append(byTerm[term], w)
		}
	}
	seen := make(map[[2]string]bool)
	for term, ws := range byTerm {
		for i := range ws {
			for j := i + 1; j < len(ws); j++ {
				a, b := ws[i], ws[j]
				if a > b {
					a, b = b, a
				}
				if stemOf[a] == stemOf[b] || seen[[2]string{a, b}] {
					continue
				}
				seen[[2]string{a, b}] = true
				c.overConflated++
				if len(c.overEgs) < 5 {
					c.overEgs = append(c.overEgs, a+"/"+b+"→"+term)
				}
			}
		}
	}
	return c
}

func (c conflation) String() string {
	return fmt.Sprintf("unaccented and upper-case forms match: %.2f%% (%d/%d); same-stem pairs sharing a term: %.2f%% (%d/%d); different-stem pairs sharing a term: %d",
		100*float64(c.matched)/float64(c.words), c.matched, c.words,
		100*float64(c.pairsKept)/float64(c.pairs), c.pairsKept, c.pairs, c.overConflated)
}

// TestAccentStrategy measures accent folding on the 2018 Snowball French
// vocabulary, for the two simple orders and for StemFoldName without the
// lexicon (the terms of the words the lexicon does not know), and asserts
// the figures required of it: every word matches its unaccented and
// upper-case forms, at least 99% of the pairs the reference conflates
// still share a term, and at most 1,000 pairs of words with different
// reference stems share one. Through the whole FrenchName analyzer, with
// the lexicon, it asserts only that every word matches its unaccented and
// upper-case forms: the lexicon replaces Snowball's classes by the
// lexicon's lemmas for the words it knows, on purpose ("économie" and
// "économique" are two lemmas; "feu" and "feux" one), so the reference's
// classes no longer apply to them; TestConflation measures that.
func TestAccentStrategy(t *testing.T) {
	v := loadVocabulary(t, "legacy-2018")
	s := newStemmer()
	stemThenFold := func(w string) []string {
		return []string{fold.String(string(s.stem([]byte(strings.ToLower(w)))))}
	}
	foldThenStem := func(w string) []string {
		return []string{string(s.stem([]byte(fold.String(w))))}
	}
	useLexicon = false
	defer func() { useLexicon = true }()
	sf := newStemFolder()
	stemFold := func(w string) []string {
		var out []string
		for _, st := range sf.stems([]byte(strings.ToLower(w))) {
			out = append(out, string(st))
		}
		return out
	}
	t.Logf("stem then fold: %v", measure(v, stemThenFold))
	t.Logf("fold then stem: %v", measure(v, foldThenStem))
	check := func(name string, c conflation) {
		t.Logf("%s: %v", name, c)
		if c.matched != c.words {
			t.Errorf("%s: %d words do not match their unaccented or upper-case form, e.g. %q", name, c.words-c.matched, c.firstMisses)
		}
		if c.pairsKept*100 < c.pairs*99 {
			t.Errorf("%s: only %d of %d same-stem pairs share a term; want at least 99%%", name, c.pairsKept, c.pairs)
		}
		if c.overConflated > 1000 {
			t.Errorf("%s: %d different-stem pairs share a term, e.g. %q; want at most 1000", name, c.overConflated, c.overEgs)
		}
	}
	check(StemFoldName, measure(v, stemFold))
	useLexicon = true

	// The whole analyzer removes stop words: measure the other words, and
	// check that a stop word's unaccented and upper-case forms are removed too.
	analyzed := func(w string) []string {
		toks, err := Analyze(FrenchName, w)
		if err != nil {
			t.Fatal(err)
		}
		terms := make([]string, len(toks))
		for i, tok := range toks {
			terms[i] = tok.Term
		}
		return terms
	}
	var content vocabulary
	stops := 0
	for i, w := range v.words {
		if len(analyzed(w)) > 0 {
			content.words = append(content.words, w)
			content.stems = append(content.stems, v.stems[i])
			continue
		}
		stops++
		for _, form := range []string{fold.String(w), strings.ToUpper(w)} {
			if got := analyzed(form); len(got) > 0 {
				t.Errorf("Analyze(%s, %q) = %q; want no term, as for %q", FrenchName, form, got, w)
			}
		}
	}
	t.Logf("%s: %d stop words removed", FrenchName, stops)
	// A literary tense whose unaccented spelling is a common word
	// ("fermât", "Fermat") is not read from that spelling, on purpose:
	// check only its upper case.
	var literary []string
	kept := content
	content = vocabulary{}
	for i, w := range kept.words {
		if !unrestored(w) {
			content.words = append(content.words, w)
			content.stems = append(content.stems, kept.stems[i])
			continue
		}
		literary = append(literary, w)
		if got, want := analyzed(strings.ToUpper(w)), analyzed(w); !slices.Equal(got, want) {
			t.Errorf("Analyze(%s, %q) = %q; want %q, as for %q", FrenchName, strings.ToUpper(w), got, want, w)
		}
	}
	t.Logf("%s: %d literary tenses not read from their unaccented spelling: %q", FrenchName, len(literary), literary)
	c := measure(content, analyzed)
	t.Logf("%s, with the lexicon: %v", FrenchName, c)
	if c.matched != c.words {
		t.Errorf("%s: %d words do not match their unaccented or upper-case form, e.g. %q", FrenchName, c.words-c.matched, c.firstMisses)
	}
}

// unrestored reports whether the lexicon reads the lower-case form of w
// only from w written with its accents (a form marked "~").
func unrestored(w string) bool {
	lex, err := theLexicon()
	if err != nil {
		return false
	}
	w = strings.ToLower(w)
	for _, e := range bytes.Fields(lex.entries([]byte(fold.String(w)))) {
		if form, _, _ := bytes.Cut(e, []byte{'='}); string(form) == "~"+w {
			return true
		}
	}
	return false
}
