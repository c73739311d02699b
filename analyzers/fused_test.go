package analyzers

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// unfusedChains spells out the one-pass filters of chains; the analyzers
// must give exactly the terms of these chains.
var unfusedChains = map[string][]string{
	FrenchName: {LowerName, ElisionName, StopName, OrdinalName, StemFoldName},
	IndexName:  {LowerName, ElisionName, ExactRepeatName, StopName, OrdinalName, StemFoldName},
}

// unfused builds the analyzers of unfusedChains.
func unfused(t testing.TB) map[string]analysis.Analyzer {
	t.Helper()
	out := make(map[string]analysis.Analyzer)
	for name, chain := range unfusedChains {
		a, err := analyzerConstructor(chain)(nil, registry.NewCache())
		if err != nil {
			t.Fatal(err)
		}
		out[name] = a
	}
	return out
}

// checkUnfused reports whether the analyzer called name gives the tokens of
// its unfused chain on in.
func checkUnfused(t *testing.T, chains map[string]analysis.Analyzer, what string, in []byte) {
	t.Helper()
	for name, slow := range chains {
		got, err := Analyze(name, string(in))
		if err != nil {
			t.Fatal(err)
		}
		var want []Token
		for _, tok := range slow.Analyze(slices.Clone(in)) {
			want = append(want, Token{Term: string(tok.Term), Position: tok.Position, Start: tok.Start, End: tok.End})
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: Analyze(%s, %.80q) = %v; its unfused chain gives %v", what, name, in, got, want)
		}
	}
}

// TestFusedFilters checks that FrenchTermsName and IndexTermsName give the
// tokens of the chains of single filters they stand for, on sentences and
// on the reports of ../../shared/data/tvnews-fr/docs (when present).
func TestFusedFilters(t *testing.T) {
	chains := unfused(t)
	for _, in := range []string{
		"", "L’armée des États-Unis a tiré 3 missiles, le 14 avril, près de l’Élysée.",
		"dès dû était etait ETAIT le 1ère 2ème 3,5 covid-19 Œuvre aujourd’hui",
		"Sécurité sécurité securite Israël Émirats jusqu’à qu'il",
	} {
		checkUnfused(t, chains, "sentence", []byte(in))
	}
	dir := filepath.Join("..", "..", "shared", "data", "tvnews-fr", "docs")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Logf("tvnews-fr absent, only sentences checked: %v", err)
		return
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
		checkUnfused(t, chains, e.Name(), data)
	}
}
