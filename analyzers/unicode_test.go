package analyzers

import (
	"slices"
	"strings"
	"testing"
)

// TestUnicodeInWords checks that the invisible and compatibility
// characters of real French files give the terms of the plain word, with
// offsets that cover the word as written (and nothing invisible around
// it), in every analyzer.
func TestUnicodeInWords(t *testing.T) {
	for _, tc := range []struct {
		text  string // one word, as a file may write it
		plain string // the same word typed plainly
		cover string // what the token's offsets must cover
	}{
		{"mini\u00adstre", "ministre", "mini\u00adstre"},             // soft hyphen
		{"gou\u200dvernement", "gouvernement", "gou\u200dvernement"}, // zero-width joiner
		{"gou\u200cvernement", "gouvernement", "gou\u200cvernement"}, // zero-width non-joiner
		{"pré\u200bsident", "président", "pré\u200bsident"},          // zero-width space
		{"pré\u200b\u200bsi\u200bdent", "président", "pré\u200b\u200bsi\u200bdent"},
		{"pré\u2060sident", "président", "pré\u2060sident"},          // word joiner
		{"\u200eministre\u200e", "ministre", "ministre"},             // left-to-right marks
		{"\u202aministre\u202c", "ministre", "ministre"},             // embedding, pop
		{"\u2066Assemblée\u2069", "assemblée", "Assemblée"},          // isolates
		{"\ufeffRapport", "rapport", "Rapport"},                      // byte order mark
		{"ＲＥＰＵＢＬＩＱＵＥ", "république", "ＲＥＰＵＢＬＩＱＵＥ"},                   // full-width letters
		{"l＇artillerie", "artillerie", "artillerie"},                 // full-width apostrophe
		{"Ｌ＇ＡＲＭＥＥ", "armée", "ＡＲＭＥＥ"},                                // full-width elision
		{"ﬁnance", "finance", "ﬁnance"},                              // ligature fi
		{"ﬂotte", "flotte", "ﬂotte"},                                 // fl
		{"eﬃcace", "efficace", "eﬃcace"},                             // ffi
		{"eﬀort", "effort", "eﬀort"},                                 // ff
		{"l’ARME\u0301E", "armée", "ARME\u0301E"},                    // decomposed (NFD)
		{"Sécurité", "sécurité", "Sécurité"},                         // composed (NFC)
		{"Se\u0301curite\u0301", "sécurité", "Se\u0301curite\u0301"}, // NFD
		{"l’œuvre", "oeuvre", "œuvre"},                               // œ
		{"ex\u00e6quo", "exaequo", "ex\u00e6quo"},                    // æ
		{"l‘armée", "armée", "armée"},                                // apostrophe variants
		{"lʼarmée", "armée", "armée"},
		{"l'armée", "armée", "armée"},
		{"aujourd＇hui", "aujourd'hui", "aujourd＇hui"},
	} {
		for _, name := range []string{FrenchName, ExactName, IndexName, ExactQueryName} {
			got, err := Analyze(name, tc.text)
			if err != nil {
				t.Fatal(err)
			}
			want := terms(t, name, tc.plain)
			if !slices.Equal(termsOf(got), want) {
				t.Errorf("Analyze(%s, %q) = %q; want %q, the terms of %q", name, tc.text, termsOf(got), want, tc.plain)
				continue
			}
			for _, tok := range got {
				if s := tc.text[tok.Start:tok.End]; s != tc.cover {
					t.Errorf("Analyze(%s, %q): token %q covers %q; want %q", name, tc.text, tok.Term, s, tc.cover)
				}
			}
		}
	}
	// In a sentence: the words around keep their positions, so phrases
	// still match, and no-break spaces separate words as spaces do.
	for _, tc := range []struct{ text, query string }{
		{"le pré\u200bsident de la Ré\u00adpublique", "président de la République"},
		{"le\u00a0président\u202fde la\u2009République", "président de la République"},
		{"l＇ARMÉE ＦＲＡＮＣＡＩＳＥ et la ﬁnance", "armée française et la finance"},
		{"\u202bun ministre\u202c de l’Intérieur", "ministre de l'intérieur"},
	} {
		if !phraseMatches(t, IndexName, tc.text, FrenchName, tc.query) {
			t.Errorf("text %q (%q) does not match the phrase %q (%q)", tc.text, phrase(t, IndexName, tc.text), tc.query, phrase(t, FrenchName, tc.query))
		}
		if !phraseMatches(t, IndexName, tc.text, ExactQueryName, tc.query) {
			t.Errorf("text %q (%q) does not match the exact phrase %q (%q)", tc.text, phrase(t, IndexName, tc.text), tc.query, phrase(t, ExactQueryName, tc.query))
		}
	}
	// Each token of a sentence keeps its own position.
	toks, err := Analyze(ExactName, "un pré\u200bsident, deux mi\u00adnistres")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tok := range toks {
		got = append(got, tok.Term+"@"+strings.Repeat("i", tok.Position))
	}
	if want := []string{"un@i", "president@ii", "deux@iii", "ministres@iiii"}; !slices.Equal(got, want) {
		t.Errorf("Analyze(%s, ...) = %q; want %q", ExactName, got, want)
	}
}

func termsOf(toks []Token) []string {
	out := make([]string, len(toks))
	for i, tok := range toks {
		out[i] = tok.Term
	}
	return out
}
