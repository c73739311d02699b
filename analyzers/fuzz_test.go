package analyzers

import (
	"testing"
)

// FuzzAnalyze feeds arbitrary bytes, invalid UTF-8 included, to every
// analyzer: it must not panic, every token must lie inside the input, with
// a non-empty term and positions that never decrease, and the one-pass
// filters must give the tokens of the chains they stand for.
func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{
		"L’armée des États-Unis, le 14 avril 2024-06 : l'ONU.",
		"jusqu’ qu' l'' ’’ '",
		"1ère 2ème 3,5 1'000 a.b _x_",
		"\xff\xfeinvalide \xc3 é\xa9",
		"İstanbul K ǅ ß ﬁ",
		"=armee ＝",
		"les armées.Virage, V.Poutine, la S.N.C.F.et l’a.B",
	} {
		f.Add(s)
	}
	chains := unfused(f)
	f.Fuzz(func(t *testing.T, in string) {
		checkUnfused(t, chains, "fuzz", []byte(in))
		for _, name := range Names() {
			toks, err := Analyze(name, in)
			if err != nil {
				t.Fatalf("Analyze(%s, %q): %v", name, in, err)
			}
			last := 0
			for _, tok := range toks {
				if tok.Start < 0 || tok.Start > tok.End || tok.End > len(in) {
					t.Errorf("Analyze(%s, %q): token %v outside the input [0:%d]", name, in, tok, len(in))
				}
				if tok.Term == "" || tok.Term == ExactMarker {
					t.Errorf("Analyze(%s, %q): token %v has an empty term", name, in, tok)
				}
				if tok.Position < last || tok.Position < 1 {
					t.Errorf("Analyze(%s, %q): token %v at position %d after %d", name, in, tok, tok.Position, last)
				}
				last = tok.Position
			}
		}
	})
}

// FuzzIndexFrequencies checks AnalyzeFrequencies (the vocabulary, its
// records and ids) against Bleve's path, the tokens of IndexName then
// analysis.TokenFrequency, on arbitrary text, with generations of a few
// hundred words so that new ones start as it runs.
func FuzzIndexFrequencies(f *testing.F) {
	for _, s := range frequencyTexts {
		f.Add(s)
	}
	analyzersOnce.Do(buildAnalyzers)
	if analyzersErr != nil {
		f.Fatal(analyzersErr)
	}
	defer func(n int) { maxVocabWords = n }(maxVocabWords)
	maxVocabWords = 300
	f.Fuzz(func(t *testing.T, in string) {
		checkFrequencies(t, builtAnalyzer[IndexName], "fuzz", []byte(in))
	})
}
