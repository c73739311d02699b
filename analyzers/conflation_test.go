package analyzers

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"

	lemmas "github.com/rapports/rapports/analyzers/internal/lexicon"
	"github.com/rapports/rapports/internal/fold"
)

// The measurements of the lexicon (issue 11). They need Debian's French
// dictionary (apt-get install hunspell-fr-classical), for the lemmas, and
// ../shared/data/tvnews-fr, and skip without them. Run them with
//
//	go test ./analyzers -run 'TestAccentsAcrossInflections|TestConflation' -v
//
// RAPPORTS_FULL_CORPUS=1 counts the corpus words over the 233,987 reports
// of tvnews-fr.jsonl.gz instead of the 13,040 files of tvnews-fr/docs.

func loadLemmas(t *testing.T) *lemmas.Lexicon {
	t.Helper()
	if _, err := os.Stat("/usr/share/hunspell/fr.dic"); err != nil {
		t.Skipf("French dictionary absent (apt-get install hunspell-fr-classical): %v", err)
	}
	lex, err := lemmas.Build("/usr/share/hunspell/fr.aff", "/usr/share/hunspell/fr.dic")
	if err != nil {
		t.Fatal(err)
	}
	return lex
}

// tvnewsFiles returns the paths of the tvnews-fr reports, sorted, or skips.
func tvnewsFiles(t *testing.T) []string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "data", "tvnews-fr", "docs")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Skipf("reference data absent: %v", err)
	}
	var paths []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".txt") {
			paths = append(paths, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(paths)
	return paths
}

// words returns the lower-case words of text as the analyzers read them
// (tokenized, lowercased, elided and normalized, not folded).
func words(tok analysis.Tokenizer, filters []analysis.TokenFilter, text []byte) []string {
	stream := tok.Tokenize(text)
	for _, f := range filters {
		stream = f.Filter(stream)
	}
	out := make([]string, len(stream))
	for i, t := range stream {
		out[i] = string(t.Term)
	}
	return out
}

func wordReader(t *testing.T) func([]byte) []string {
	cache := registry.NewCache()
	tok, err := cache.TokenizerNamed(TokenizerName)
	if err != nil {
		t.Fatal(err)
	}
	var filters []analysis.TokenFilter
	for _, name := range []string{LowerName, ElisionName} {
		f, err := cache.TokenFilterNamed(name)
		if err != nil {
			t.Fatal(err)
		}
		filters = append(filters, f)
	}
	return func(text []byte) []string { return words(tok, filters, text) }
}

// corpusCounts counts the words of the corpus.
func corpusCounts(t *testing.T) (map[string]int, string) {
	read := wordReader(t)
	counts := map[string]int{}
	if os.Getenv("RAPPORTS_FULL_CORPUS") != "" {
		path := filepath.Join("..", "..", "shared", "data", "tvnews-fr", "tvnews-fr.jsonl.gz")
		f, err := os.Open(path)
		if err != nil {
			t.Skipf("reference data absent: %v", err)
		}
		defer f.Close()
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(zr)
		sc.Buffer(make([]byte, 1<<20), 64<<20)
		n := 0
		for sc.Scan() {
			var r struct{ Title, Text string }
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				t.Fatal(err)
			}
			for _, w := range read([]byte(r.Title + "\n" + r.Text)) {
				counts[w]++
			}
			n++
		}
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
		return counts, fmt.Sprintf("%d reports of tvnews-fr.jsonl.gz", n)
	}
	paths := tvnewsFiles(t)
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range read(data) {
			counts[w]++
		}
	}
	return counts, fmt.Sprintf("%d reports of tvnews-fr/docs", len(paths))
}

// withLexicon runs fn with the lexicon on or off, on analyzers built for it.
func withLexicon(t *testing.T, on bool, fn func(terms func(string) []string)) {
	t.Helper()
	defer func(old bool) { useLexicon = old }(useLexicon)
	useLexicon = on
	a, err := registry.NewCache().AnalyzerNamed(FrenchName)
	if err != nil {
		t.Fatal(err)
	}
	fn(func(text string) []string {
		var out []string
		for _, tok := range a.Analyze([]byte(text)) {
			out = append(out, string(tok.Term))
		}
		return out
	})
}

// pairFigures are the conflation figures of an analysis against the
// lexicon's lemmas, over a vocabulary with frequencies.
type pairFigures struct {
	same, sameKept           int     // pairs of forms of one lemma; those sharing a term
	sameW, sameKeptW         float64 // the same, each pair weighted by the product of the frequencies
	different                int     // pairs of forms without a common lemma sharing a term
	differentW               float64 // the same, weighted
	worst, worstSame         []string
	lemmaForms, vocabularyIn int
}

func (p pairFigures) String() string {
	return fmt.Sprintf("same-lemma pairs sharing a term %.2f%% (%d/%d), weighted %.2f%%; different-lemma pairs sharing a term %d, weighted %.4g",
		100*float64(p.sameKept)/float64(p.same), p.sameKept, p.same, 100*p.sameKeptW/p.sameW, p.different, p.differentW)
}

// measurePairs computes the figures over the words of freq that the
// lexicon knows and the analysis does not drop.
func measurePairs(lex *lemmas.Lexicon, freq map[string]int, terms func(string) []string) pairFigures {
	var p pairFigures
	termsOf := map[string][]string{}
	byLemma := map[string][]string{}
	for w := range freq {
		ls := lex.Lemmas(w)
		if len(ls) == 0 {
			continue
		}
		ts := terms(w)
		if len(ts) == 0 {
			continue // a stop word
		}
		p.vocabularyIn++
		termsOf[w] = ts
		for _, l := range ls {
			byLemma[l] = append(byLemma[l], w)
		}
	}
	share := func(a, b []string) bool {
		for _, x := range a {
			if slices.Contains(b, x) {
				return true
			}
		}
		return false
	}
	commonLemma := func(a, b string) bool { return share(lex.Lemmas(a), lex.Lemmas(b)) }
	type cost struct {
		what string
		w    float64
	}
	var missed []cost
	seen := map[[2]string]bool{}
	for _, ws := range byLemma {
		sort.Strings(ws)
		for i := range ws {
			for j := i + 1; j < len(ws); j++ {
				k := [2]string{ws[i], ws[j]}
				if seen[k] {
					continue
				}
				seen[k] = true
				w := float64(freq[ws[i]]) * float64(freq[ws[j]])
				p.same++
				p.sameW += w
				if share(termsOf[ws[i]], termsOf[ws[j]]) {
					p.sameKept++
					p.sameKeptW += w
				} else {
					missed = append(missed, cost{fmt.Sprintf("%s(%d)%v/%s(%d)%v", ws[i], freq[ws[i]], termsOf[ws[i]], ws[j], freq[ws[j]], termsOf[ws[j]]), w})
				}
			}
		}
	}
	byTerm := map[string][]string{}
	for w, ts := range termsOf {
		for _, t := range ts {
			byTerm[t] = append(byTerm[t], w)
		}
	}
	sort.Slice(missed, func(i, j int) bool {
		return missed[i].w > missed[j].w || (missed[i].w == missed[j].w && missed[i].what < missed[j].what)
	})
	for _, c := range missed[:min(20, len(missed))] {
		p.worstSame = append(p.worstSame, c.what)
	}
	var costs []cost
	seen = map[[2]string]bool{}
	for term, ws := range byTerm {
		sort.Strings(ws)
		for i := range ws {
			for j := i + 1; j < len(ws); j++ {
				k := [2]string{ws[i], ws[j]}
				if seen[k] || commonLemma(ws[i], ws[j]) {
					continue
				}
				seen[k] = true
				w := float64(freq[ws[i]]) * float64(freq[ws[j]])
				p.different++
				p.differentW += w
				costs = append(costs, cost{fmt.Sprintf("%s(%d)/%s(%d)→%s", ws[i], freq[ws[i]], ws[j], freq[ws[j]], term), float64(min(freq[ws[i]], freq[ws[j]]))})
			}
		}
	}
	sort.Slice(costs, func(i, j int) bool {
		return costs[i].w > costs[j].w || (costs[i].w == costs[j].w && costs[i].what < costs[j].what)
	})
	for _, c := range costs[:min(40, len(costs))] {
		p.worst = append(p.worst, c.what)
	}
	return p
}

// TestConflation measures, against the lexicon's lemmas, which pairs of
// words share a term, today (Snowball and folding alone) and with the
// lexicon, over the Snowball reference vocabulary (each word counted once)
// and over the words of the TV-news reports weighted by their frequency;
// it requires with the lexicon at least 99% of the pairs of forms of one
// lemma sharing a term, and at most half as many pairs of different
// lemmas sharing one as today, in both.
func TestConflation(t *testing.T) {
	lex := loadLemmas(t)
	v := loadVocabulary(t, "legacy-2018")
	vocab := map[string]int{}
	for _, w := range v.words {
		vocab[w] = 1
	}
	corpus, what := corpusCounts(t)
	for _, set := range []struct {
		name string
		freq map[string]int
	}{{"Snowball vocabulary", vocab}, {what, corpus}} {
		var before, after pairFigures
		withLexicon(t, false, func(terms func(string) []string) { before = measurePairs(lex, set.freq, terms) })
		withLexicon(t, true, func(terms func(string) []string) { after = measurePairs(lex, set.freq, terms) })
		t.Logf("%s (%d words the lexicon knows): without the lexicon: %v", set.name, after.vocabularyIn, before)
		t.Logf("%s: with the lexicon: %v", set.name, after)
		t.Logf("%s: costliest different-lemma pairs left: %s", set.name, strings.Join(after.worst, ", "))
		t.Logf("%s: costliest same-lemma pairs apart: %s", set.name, strings.Join(after.worstSame, ", "))
		if after.sameKept*100 < after.same*99 {
			t.Errorf("%s: %d of %d same-lemma pairs share a term; want at least 99%%", set.name, after.sameKept, after.same)
		}
		if set.name != "Snowball vocabulary" && after.sameKeptW < 0.99*after.sameW {
			t.Errorf("%s: weighted same-lemma pairs sharing a term %.2f%%; want at least 99%%", set.name, 100*after.sameKeptW/after.sameW)
		}
		if 2*after.different > before.different {
			t.Errorf("%s: %d different-lemma pairs share a term; want at most half of %d", set.name, after.different, before.different)
		}
		if set.name != "Snowball vocabulary" && 2*after.differentW > before.differentW {
			t.Errorf("%s: weighted different-lemma pairs sharing a term %.4g; want at most half of %.4g", set.name, after.differentW, before.differentW)
		}
	}
}

// TestAccentsAcrossInflections measures whether a word typed without
// accents, or in capitals, finds exactly the reports that the accented
// word finds, today and with the lexicon, on the first 4,000 TV-news
// reports (sorted by file name).
//
// The forms are drawn by this rule. A candidate is an inflected form (the
// lexicon knows it and none of its lemmas is the form itself) that holds a
// letter outside ASCII, is not a stop word and occurs in at least 5
// reports. A candidate is unambiguous when its unaccented spelling is, in
// the dictionary, the spelling of no form with other lemmas (a property
// of the dictionary, not of the analysis: "presente" is "présenté", of
// "présenter" only, and also "présente", of "présent" and "présenter").
// Candidates are taken by the number of reports they occur in (most
// first, ties by form) down to the 300th unambiguous one: those 300 make
// the unambiguous sample, and all the candidates taken, ambiguous or not,
// the all-forms sample.
//
// An ambiguous unaccented spelling finds the reports of all its readings,
// as the issue asks (recall never drops), so it may find more than the
// accented form: for it "exactly the same reports" cannot hold, and the
// test lists those forms with what they find. With the lexicon it
// requires, in lower and in upper case: on the unambiguous sample, the
// unaccented form finding exactly the same reports for 99% (and it
// reports each miss); on all the forms, no report lost (the unaccented
// form finds a superset) for 100% and the upper-case accented form
// finding exactly the same reports for 100%.
func TestAccentsAcrossInflections(t *testing.T) {
	lex := loadLemmas(t)
	paths := tvnewsFiles(t)
	paths = paths[:min(4000, len(paths))]
	texts := make([][]byte, len(paths))
	read := wordReader(t)
	docFreq := map[string]int{}
	for i, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		texts[i] = data
		seen := map[string]bool{}
		for _, w := range read(slices.Clone(data)) {
			if !seen[w] {
				seen[w] = true
				docFreq[w]++
			}
		}
	}
	byKey := map[string][]string{}
	for _, f := range lex.Forms() {
		k := fold.String(f)
		byKey[k] = append(byKey[k], f)
	}
	// ambiguous tells whether the unaccented spelling of f is also that
	// of a form with other lemmas.
	ambiguous := func(f string) bool {
		for _, g := range byKey[fold.String(f)] {
			if g != f && !slices.Equal(lex.Lemmas(g), lex.Lemmas(f)) {
				return true
			}
		}
		return false
	}
	var candidates []string
	for w, n := range docFreq {
		ls := lex.Lemmas(w)
		if n < 5 || len(ls) == 0 || slices.Contains(ls, w) || fold.String(w) == w {
			continue
		}
		if _, stop := stopSet[fold.String(w)]; stop {
			continue
		}
		candidates = append(candidates, w)
	}
	sort.Slice(candidates, func(i, j int) bool {
		if docFreq[candidates[i]] != docFreq[candidates[j]] {
			return docFreq[candidates[i]] > docFreq[candidates[j]]
		}
		return candidates[i] < candidates[j]
	})
	const sample = 300
	var forms []string // all the forms, in the order of candidates
	unambiguous := 0
	for _, w := range candidates {
		if unambiguous == sample {
			break
		}
		if !ambiguous(w) {
			unambiguous++
		}
		forms = append(forms, w)
	}
	if unambiguous < sample {
		t.Fatalf("only %d unambiguous forms in %d reports (want %d)", unambiguous, len(texts), sample)
	}
	// figures counts forms: of all of them, and of the unambiguous sample.
	type figures struct {
		lower, upperFolded, same, upper, kept int // all the forms
		uLower, uUpperFolded, uSame, uUpper   int // the unambiguous ones
		misses, ambiguousMore                 []string
	}
	measure := func(on bool) (r figures) {
		defer func(old bool) { useLexicon = old }(useLexicon)
		useLexicon = on
		cache := registry.NewCache()
		index, err := cache.AnalyzerNamed(IndexName)
		if err != nil {
			t.Fatal(err)
		}
		query, err := cache.AnalyzerNamed(FrenchName)
		if err != nil {
			t.Fatal(err)
		}
		postings := map[string][]int{}
		for i, text := range texts {
			seen := map[string]bool{}
			for _, tok := range index.Analyze(slices.Clone(text)) {
				term := string(tok.Term)
				if !strings.HasPrefix(term, ExactMarker) && !seen[term] {
					seen[term] = true
					postings[term] = append(postings[term], i)
				}
			}
		}
		docs := func(q string) []int {
			set := map[int]bool{}
			for _, tok := range query.Analyze([]byte(q)) {
				for _, d := range postings[string(tok.Term)] {
					set[d] = true
				}
			}
			out := make([]int, 0, len(set))
			for d := range set {
				out = append(out, d)
			}
			sort.Ints(out)
			return out
		}
		count := func(ok bool, all, unamb *int, amb bool) {
			if ok {
				*all++
				if !amb {
					*unamb++
				}
			}
		}
		for _, f := range forms {
			amb := ambiguous(f)
			want := docs(f)
			lower, upperFolded, upper := docs(fold.String(f)), docs(strings.ToUpper(fold.String(f))), docs(strings.ToUpper(f))
			l, uf, u := slices.Equal(lower, want), slices.Equal(upperFolded, want), slices.Equal(upper, want)
			count(l, &r.lower, &r.uLower, amb)
			count(uf, &r.upperFolded, &r.uUpperFolded, amb)
			count(l && uf, &r.same, &r.uSame, amb)
			count(u, &r.upper, &r.uUpper, amb)
			if contains(lower, want) && contains(upperFolded, want) && contains(upper, want) {
				r.kept++
			}
			if l && uf && u {
				continue
			}
			miss := fmt.Sprintf("%s(%d: %d unaccented, %d unaccented upper, %d upper)", f, len(want), len(lower), len(upperFolded), len(upper))
			if amb && contains(lower, want) && contains(upperFolded, want) && u {
				r.ambiguousMore = append(r.ambiguousMore, miss)
			} else if len(r.misses) < 30 {
				if amb {
					miss += " ambiguous"
				}
				r.misses = append(r.misses, miss)
			}
		}
		return r
	}
	n, nu := float64(len(forms)), float64(unambiguous)
	pc := func(k int, of float64) string { return fmt.Sprintf("%.1f%% (%d)", 100*float64(k)/of, k) }
	before, after := measure(false), measure(true)
	t.Logf("%d forms (from %q to %q, in %d to %d of %d reports), %d of them unambiguous without accents, %d ambiguous",
		len(forms), forms[0], forms[len(forms)-1], docFreq[forms[0]], docFreq[forms[len(forms)-1]], len(texts), unambiguous, len(forms)-unambiguous)
	for _, r := range []struct {
		name string
		figures
	}{{"without the lexicon", before}, {"with the lexicon", after}} {
		t.Logf("%s, the %d unambiguous forms: the unaccented form finds the same reports: lower case %s, upper case %s, both %s; the upper-case accented form %s",
			r.name, unambiguous, pc(r.uLower, nu), pc(r.uUpperFolded, nu), pc(r.uSame, nu), pc(r.uUpper, nu))
		t.Logf("%s, all the %d forms: the unaccented form finds the same reports: lower case %s, upper case %s, both %s; the upper-case accented form %s; no report lost (lower, upper, upper accented): %s",
			r.name, len(forms), pc(r.lower, n), pc(r.upperFolded, n), pc(r.same, n), pc(r.upper, n), pc(r.kept, n))
		t.Logf("%s: ambiguous forms whose unaccented spelling finds more (a superset): %d: %s", r.name, len(r.ambiguousMore), strings.Join(r.ambiguousMore, ", "))
		t.Logf("%s: other misses: %s", r.name, strings.Join(r.misses, ", "))
	}
	if float64(after.uLower) < 0.99*nu || float64(after.uUpperFolded) < 0.99*nu || after.kept < len(forms) || after.upper < len(forms) {
		t.Errorf("with the lexicon: of the %d unambiguous forms, %d unaccented find the same reports in lower case, %d in upper case (want 99%%); of all the %d forms, %d lose no report, %d find the same in upper case with accents (want all)",
			unambiguous, after.uLower, after.uUpperFolded, len(forms), after.kept, after.upper)
	}
}

// contains reports whether the sorted list a holds every element of the
// sorted list b.
func contains(a, b []int) bool {
	i := 0
	for _, x := range b {
		for i < len(a) && a[i] < x {
			i++
		}
		if i == len(a) || a[i] != x {
			return false
		}
	}
	return true
}

// TestTermsPerWord counts the terms that FrenchName and IndexName give per
// word of the 13,040 TV-news reports, and the distinct terms (the size of
// the index's term dictionary), without and with the lexicon, and
// requires no more with it: a word the lexicon knows gives its lemma's
// term where Snowball's accent strategy gave two stems, and only
// ambiguous forms give more. IndexName stores a word whose exact form
// stands for its terms as that exact form alone; FrenchName searches that
// exact form besides the terms, which is counted apart.
func TestTermsPerWord(t *testing.T) {
	paths := tvnewsFiles(t)
	var docs [][]byte
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, data)
	}
	defer func(old bool) { useLexicon = old }(useLexicon)
	perWord := map[string][2]float64{}
	for k, on := range []bool{false, true} {
		useLexicon = on
		for _, name := range []string{FrenchName, IndexName} {
			a, err := registry.NewCache().AnalyzerNamed(name)
			if err != nil {
				t.Fatal(err)
			}
			terms, positions, searched := 0, 0, 0
			distinct := map[string]struct{}{}
			for _, d := range docs {
				last := -1
				for _, tok := range a.Analyze(slices.Clone(d)) {
					terms++
					if name == FrenchName && strings.HasPrefix(string(tok.Term), ExactMarker) {
						searched++
						continue
					}
					distinct[string(tok.Term)] = struct{}{}
					if tok.Position != last {
						positions++
						last = tok.Position
					}
				}
			}
			v := perWord[name]
			v[k] = float64(terms-searched) / float64(positions)
			perWord[name] = v
			t.Logf("%s, lexicon %v: %d terms at %d positions, %.4f terms per word, %d distinct terms; and %d exact forms searched for the words stored as exact forms alone (%.4f terms per word in all)",
				name, on, terms-searched, positions, v[k], len(distinct), searched, float64(terms)/float64(positions))
		}
	}
	for name, v := range perWord {
		if v[1] > v[0] {
			t.Errorf("%s: %.4f terms per word with the lexicon, %.4f without; want no more", name, v[1], v[0])
		}
	}
}

// TestExactOnlySameMatches checks, on the first 4,000 TV-news reports,
// that storing only the exact form of the words whose exact form stands
// for their terms (keys marked "!" in the lexicon) changes no search: for
// every distinct word of the reports, as written and without accents, an
// exact query (ExactQueryName) and an ordinary one (FrenchName) match the
// same occurrences (report and position) as with both terms stored, and
// that each report's FieldLength, hence its score, is the same. It logs
// the terms per word that the index stores either way.
func TestExactOnlySameMatches(t *testing.T) {
	paths := tvnewsFiles(t)
	paths = paths[:min(4000, len(paths))]
	texts := make([][]byte, len(paths))
	for i, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		texts[i] = data
	}
	read := wordReader(t)
	queries := map[string]struct{}{}
	for _, text := range texts {
		for _, w := range read(slices.Clone(text)) {
			queries[w] = struct{}{}
			queries[fold.String(w)] = struct{}{}
		}
	}
	type occurrences map[string][]uint64 // term → report<<32 | position
	defer func(old bool) { useExactOnly = old }(useExactOnly)
	var postings [2]occurrences
	var query [2]func(analyzer, q string) []uint64
	var lengths [2][]int // FieldLength of each report
	for k, on := range []bool{false, true} {
		useExactOnly = on
		cache := registry.NewCache()
		analyzer := func(name string) analysis.Analyzer {
			a, err := cache.AnalyzerNamed(name)
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		index := analyzer(IndexName)
		post := occurrences{}
		terms, positions, marked := 0, 0, 0
		for i, text := range texts {
			last := -1
			toks := index.Analyze(slices.Clone(text))
			lengths[k] = append(lengths[k], FieldLength(toks))
			for _, tok := range toks {
				terms++
				if tok.Position != last {
					positions++
					last = tok.Position
				}
				term := string(tok.Term)
				if strings.HasPrefix(term, ExactMarker) {
					marked++
				}
				post[term] = append(post[term], uint64(i)<<32|uint64(tok.Position))
			}
		}
		postings[k] = post
		t.Logf("exact-only keys %v: %d terms (%d exact forms) at %d positions: %.4f terms per word, %d distinct terms", on, terms, marked, positions, float64(terms)/float64(positions), len(post))
		analyzers := map[string]analysis.Analyzer{FrenchName: analyzer(FrenchName), ExactQueryName: analyzer(ExactQueryName)}
		query[k] = func(name, q string) []uint64 {
			var out []uint64
			for _, tok := range analyzers[name].Analyze([]byte(q)) {
				out = append(out, post[string(tok.Term)]...)
			}
			slices.Sort(out)
			return slices.Compact(out)
		}
	}
	for i := range texts {
		if lengths[0][i] != lengths[1][i] {
			t.Errorf("report %s: FieldLength %d with exact forms alone, %d with both terms", paths[i], lengths[1][i], lengths[0][i])
		}
	}
	checked, differ := 0, 0
	for q := range queries {
		for _, name := range []string{ExactQueryName, FrenchName} {
			checked++
			before, after := query[0](name, q), query[1](name, q)
			if !slices.Equal(before, after) {
				if differ++; differ <= 60 {
					t.Errorf("%s query %q: %d occurrences with exact forms only, %d with both terms", name, q, len(after), len(before))
				}
			}
		}
	}
	t.Logf("%d queries (%d words, as written and unaccented, exact and ordinary) in %d reports: %d match other occurrences", checked, len(queries), len(texts), differ)
}
