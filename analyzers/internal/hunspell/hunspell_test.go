package hunspell

import (
	"os"
	"slices"
	"strings"
	"testing"
)

const testAff = `FLAG long
NEEDAFFIX ()
FORBIDDENWORD {}
SFX S. Y 2
SFX S. 0 0/L'D'Q' [^sxz] is:sg
SFX S. 0 s/D'Q' [^sxz] is:pl
SFX X. Y 3
SFX X. 0 0/L'D'Q' [ul] is:sg
SFX X. 0 x/D'Q' [aeoœ]u is:pl
SFX X. l ux/D'Q' al is:pl
SFX a0 Y 2
SFX a0 er ât/n'q' [^cg]er po:simp po:3sg
SFX a0 er a/n'q' [^cg]er po:ipsi po:3sg
`

const testDic = `5
armée/S.() po:nom is:fem
feu/X.() po:nom is:mas
cheval/X.() po:nom is:mas
France/L'D'Q' po:nom is:fem is:inv
faux/{} po:nom
attenter/a0 po:v1___n___a
`

func TestExpand(t *testing.T) {
	a, err := ReadAffixes(strings.NewReader(testAff))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	err = a.Expand(strings.NewReader(testDic), func(f Form) {
		g := f.Word + "<" + f.Lemma + ":" + strings.Join(f.POS, ",")
		if f.Tags != nil {
			g += ":" + strings.Join(f.Tags, ",")
		}
		got = append(got, g)
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"armée<armée:nom", "armées<armée:nom", "feu<feu:nom", "feux<feu:nom",
		"cheval<cheval:nom", "chevaux<cheval:nom", "France<France:nom", "attenter<attenter:v1___n___a",
		"attentât<attenter:v1___n___a:simp,3sg", "attenta<attenter:v1___n___a:ipsi,3sg"}
	if !slices.Equal(got, want) {
		t.Errorf("Expand = %q; want %q", got, want)
	}
}

// TestFrenchDictionary expands Debian's French dictionary when it is
// installed (apt-get install hunspell-fr-classical).
func TestFrenchDictionary(t *testing.T) {
	aff, err := os.Open("/usr/share/hunspell/fr.aff")
	if err != nil {
		t.Skipf("French dictionary absent: %v", err)
	}
	defer aff.Close()
	dic, err := os.Open("/usr/share/hunspell/fr.dic")
	if err != nil {
		t.Skipf("French dictionary absent: %v", err)
	}
	defer dic.Close()
	a, err := ReadAffixes(aff)
	if err != nil {
		t.Fatal(err)
	}
	lemmas := map[string][]string{}
	n := 0
	if err := a.Expand(dic, func(f Form) {
		n++
		lemmas[f.Word] = append(lemmas[f.Word], f.Lemma)
	}); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d forms, %d distinct", n, len(lemmas))
	for form, lemma := range map[string]string{
		"arrivées": "arriver", "irons": "aller", "vais": "aller", "travaux": "travail",
		"feux": "feu", "françaises": "français", "armées": "armée", "pêches": "pêche",
	} {
		if !slices.Contains(lemmas[form], lemma) {
			t.Errorf("form %q has lemmas %q; want %q among them", form, lemmas[form], lemma)
		}
	}
}
