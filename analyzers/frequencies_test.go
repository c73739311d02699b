package analyzers

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// frequencyTexts are French texts on which IndexFrequencies must give what
// Bleve's path (Analyze, then analysis.TokenFrequency) gives.
var frequencyTexts = []string{
	"", "le", "de la", "   ", "…",
	"L'armée a dit : « l'armée, les armées et l'Armée ». Armée !",
	"Les élèves de l'école élémentaire ont élu leurs délégués ; les écoles ferment.",
	"Jusqu'à 12 000 personnes, le 1er mai 2024, à Paris-Saclay — aujourd'hui — œil, yeux, travail, travaux.",
	strings.Repeat("grève des transports, grève générale, la grève continue. ", 40),
	"Tōkyō, 東京, Москва et القاهرة : des villes.",
	"L’armée des États-Unis a tiré 3 missiles, le 14 avril, près de l’Élysée.",
	"dès dû était etait ETAIT le 1ère 2ème 3,5 covid-19 Œuvre aujourd’hui",
	"Sécurité sécurité securite Israël Émirats jusqu’à qu'il les feux, les travaux, arrivees, peche",
	"armées.Virage V.Poutine l’O.N.U. s.n.c.f.et 1 500 soldats, 2\u202f000\u202f000 d’euros, 1.500, 2.5 millions",
	"le mini\u00adstre, le pré\u200bsident, \u202aRÉPUBLIQUE\u202c, ＲＥＰＵＢＬＩＱＵＥ, l＇artillerie, la ﬁnance, arme\u0301e",
	"anticonstitutionnellementanticonstitutionnellement et " + strings.Repeat("x", 300),
	"le mot le plus long : " + strings.Repeat("é", maxVocabWordLen/2) + " et " + strings.Repeat("é", maxVocabWordLen/2+1) + ", l'armée",
	FingerprintProbe,
}

// checkFrequencies reports whether IndexFrequencies gives, for in, the
// frequencies and length of Bleve's path through a.
func checkFrequencies(t *testing.T, a analysis.Analyzer, what string, in []byte) {
	t.Helper()
	for _, ap := range [][]uint64{nil, {3}} {
		tokens := a.Analyze(slices.Clone(in))
		want := analysis.TokenFrequency(tokens, ap, bleveindex.IndexField|bleveindex.IncludeTermVectors)
		wantLen := FieldLength(tokens)
		got, gotLen, ok := IndexFrequencies(a, slices.Clone(in), ap)
		if !ok {
			t.Fatalf("%s: IndexFrequencies: not ok", what)
		}
		if gotLen != wantLen || !reflect.DeepEqual(got, want) {
			t.Errorf("%s (%.60q), array positions %v: IndexFrequencies = %d, %v;\nBleve's path gives %d, %v", what, in, ap, gotLen, got, wantLen, want)
		}
	}
	var f Frequencies
	if !AnalyzeFrequencies(a, slices.Clone(in), &f) {
		t.Fatalf("%s: AnalyzeFrequencies: not ok", what)
	}
	checkIDs(t, what, &f)
}

// seenIDs holds the term of each id and the id of each term that
// checkIDs met, by generation.
var seenIDs sync.Map // [2]uint64{Vocab, id} -> term

// checkIDs reports whether f's ids are those of its terms, one id for one
// term in each generation, in every text checked.
func checkIDs(t *testing.T, what string, f *Frequencies) {
	t.Helper()
	if f.Vocab == 0 {
		if f.IDs != nil {
			t.Errorf("%s: ids without a vocabulary", what)
		}
		return
	}
	if len(f.IDs) != len(f.Terms) {
		t.Fatalf("%s: %d ids for %d terms", what, len(f.IDs), len(f.Terms))
	}
	for i, term := range f.Terms {
		if prev, loaded := seenIDs.LoadOrStore([2]uint64{f.Vocab, uint64(f.IDs[i])}, term); loaded && prev != term {
			t.Errorf("%s: id %d of generation %d is %q and %q", what, f.IDs[i], f.Vocab, prev, term)
		}
		if prev, loaded := seenIDs.LoadOrStore([2]any{f.Vocab, term}, f.IDs[i]); loaded && prev != f.IDs[i] {
			t.Errorf("%s: %q of generation %d has ids %d and %d", what, term, f.Vocab, prev, f.IDs[i])
		}
	}
}

// TestIndexFrequencies checks IndexFrequencies against Bleve's path on
// sentences and on the reports of ../../shared/data/tvnews-fr/docs (when
// present), twice each so that the second run reads the local cache, and
// on an analyzer of its own.
func TestIndexFrequencies(t *testing.T) {
	analyzersOnce.Do(buildAnalyzers)
	if analyzersErr != nil {
		t.Fatal(analyzersErr)
	}
	own, err := registry.NewCache().AnalyzerNamed(IndexName)
	if err != nil {
		t.Fatal(err)
	}
	texts := tvnewsFrequencyTexts(t)
	for round := range 2 {
		for i, text := range texts {
			what := "text " + strings.Repeat("'", round) + string(rune('0'+i%10))
			checkFrequencies(t, builtAnalyzer[IndexName], what, []byte(text))
			if i%7 == 0 {
				checkFrequencies(t, own, what+" (own analyzer)", []byte(text))
			}
		}
	}
}

// TestIndexFrequenciesGenerations checks IndexFrequencies from goroutines
// side by side while the vocabulary starts a new generation every few
// hundred words.
func TestIndexFrequenciesGenerations(t *testing.T) {
	analyzersOnce.Do(buildAnalyzers)
	if analyzersErr != nil {
		t.Fatal(analyzersErr)
	}
	defer func(n int) { maxVocabWords = n }(maxVocabWords)
	maxVocabWords = 300
	currentVocab.Store(newVocab(nil))
	texts := tvnewsFrequencyTexts(t)
	if len(texts) > 300 {
		texts = texts[:300]
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := g; i < len(texts); i += 2 {
				checkFrequencies(t, builtAnalyzer[IndexName], "text", []byte(texts[i]))
			}
		})
	}
	wg.Wait()
	if v := currentVocab.Load(); v.size >= maxVocabWords {
		t.Errorf("vocabulary generation of %d words; want fewer than %d", v.size, maxVocabWords)
	}
}

// tvnewsFrequencyTexts returns frequencyTexts and up to 1000 reports of
// ../../shared/data/tvnews-fr/docs (100 with -short), when present.
func tvnewsFrequencyTexts(t *testing.T) []string {
	texts := slices.Clone(frequencyTexts)
	dir := filepath.Join("..", "..", "shared", "data", "tvnews-fr", "docs")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Logf("tvnews-fr absent, only sentences checked: %v", err)
	}
	n := min(len(entries), 1000)
	if testing.Short() {
		n = min(n, 100)
	}
	for _, e := range entries[:n] {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(data))
	}
	return texts
}

// TestIndexFrequenciesOther checks that IndexFrequencies declines analyzers
// whose chain does not end with IndexTermsName, and gives Bleve's path's
// results for a chain that makes keywords before it.
func TestIndexFrequenciesOther(t *testing.T) {
	analyzersOnce.Do(buildAnalyzers)
	for _, name := range []string{FrenchName, ExactName, ExactQueryName} {
		if _, _, ok := IndexFrequencies(builtAnalyzer[name], []byte("l'armée"), nil); ok {
			t.Errorf("IndexFrequencies(%s): ok; want not ok", name)
		}
	}
	keywords, err := analyzerConstructor([]string{LowerName, ElisionName, ExactRepeatName, IndexTermsName})(nil, registry.NewCache())
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range frequencyTexts {
		checkFrequencies(t, keywords, "keywords", []byte(text))
	}
}
