package lexicon

import (
	"os"
	"strings"
	"testing"
)

func TestLiteraryTense(t *testing.T) {
	for _, tc := range []struct {
		tags string
		want bool
	}{
		{"simp 3sg", true},            // attentât
		{"simp 1sg", true},            // attentasse
		{"ipsi 1pl", true},            // prîmes
		{"ipsi 2pl", true},            // prîtes
		{"ipsi 3sg", false},           // attenta
		{"ipsi 3pl!", false},          // attentèrent
		{"ipre spre simp 3pl", false}, // finissent
		{"iimp spre simp 1pl", false},
		{"ipsi simp 3sg", false},
		{"ipre 3sg", false},
		{"", false}, // the entry itself, or a noun's form
	} {
		if got := literaryTense(strings.Fields(tc.tags)); got != tc.want {
			t.Errorf("literaryTense(%q) = %v; want %v", tc.tags, got, tc.want)
		}
	}
}

// TestRestored checks, on Debian's French dictionary when it is installed,
// which forms a word without accents is read as.
func TestRestored(t *testing.T) {
	if _, err := os.Stat("/usr/share/hunspell/fr.dic"); err != nil {
		t.Skipf("French dictionary absent (apt-get install hunspell-fr-classical): %v", err)
	}
	lex, err := Build("/usr/share/hunspell/fr.aff", "/usr/share/hunspell/fr.dic")
	if err != nil {
		t.Fatal(err)
	}
	for form, want := range map[string]bool{
		"attentât":  false, // "attentat" is the noun
		"contrât":   false, // "contrat"
		"soldât":    false, // "soldat"
		"prîmes":    false, // "primes"
		"pâlissent": true,  // also the present of "pâlir"
		"fût":       true,  // also a noun
		"chantât":   true,  // "chantat" is no other word
		"dût":       true,  // "dut" is "devoir" too
		"arrivées":  true,
		"attentat":  true,
	} {
		if got := lex.Restored(form); got != want {
			t.Errorf("Restored(%q) = %v; want %v", form, got, want)
		}
	}
}
