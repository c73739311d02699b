package analyzers

import (
	"slices"
	"strings"
	"testing"

	"github.com/rapports/rapports/internal/fold"
)

// terms returns the terms of text analyzed by the analyzer called name.
func terms(t *testing.T, name, text string) []string {
	t.Helper()
	toks, err := Analyze(name, text)
	if err != nil {
		t.Fatalf("Analyze(%s, %q): %v", name, text, err)
	}
	out := make([]string, len(toks))
	for i, tok := range toks {
		out[i] = tok.Term
	}
	return out
}

// phrase returns the terms of text grouped by position, positions taken
// relative to the first, as Bleve's MatchPhraseQuery groups them.
func phrase(t *testing.T, name, text string) [][]string {
	t.Helper()
	toks, err := Analyze(name, text)
	if err != nil {
		t.Fatalf("Analyze(%s, %q): %v", name, text, err)
	}
	if len(toks) == 0 {
		return nil
	}
	first, last := toks[0].Position, toks[0].Position
	for _, tok := range toks {
		first, last = min(first, tok.Position), max(last, tok.Position)
	}
	groups := make([][]string, last-first+1)
	for _, tok := range toks {
		groups[tok.Position-first] = append(groups[tok.Position-first], tok.Term)
	}
	return groups
}

// phraseMatches reports whether the query phrase, analyzed with queryName,
// occurs in text analyzed with indexName: at consecutive positions, each
// query position shares a term with the text (an empty query position, a
// removed stop word, matches anything).
func phraseMatches(t *testing.T, indexName, text, queryName, query string) bool {
	t.Helper()
	doc, q := phrase(t, indexName, text), phrase(t, queryName, query)
	if len(q) == 0 {
		return false
	}
	for start := 0; start+len(q) <= len(doc); start++ {
		ok := true
		for i, want := range q {
			if len(want) > 0 && !slices.ContainsFunc(doc[start+i], func(s string) bool { return slices.Contains(want, s) }) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func TestFrenchTerms(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", []string{}},
		{" ,;… « » ", []string{}},
		{"L'armée", []string{"armée"}},
		{"l’ARMÉE", []string{"armée"}},
		{"armées", []string{"armée"}},
		{"La sécurité", []string{"sécurité"}},
		{"securite", []string{"sécurité"}},
		// A word whose exact form stands for its terms in the index (no other
		// spelling gives "israël") searches its exact form first, and its
		// terms, which the index then holds only for words outside the
		// lexicon that Snowball stems alike.
		{"Israël", []string{"=israel", "israël"}},
		{"Émirats", []string{"émirat"}},
		{"les États-Unis", []string{"état", "unir"}},
		{"état-major", []string{"état", "major"}},
		{"Grande-Bretagne", []string{"grand", "=bretagne", "bretagne"}},
		{"l'Arabie saoudite", []string{"=arabie", "arabie", "saoudite"}},
		{"économiques", []string{"économique"}},
		{"les missiles", []string{"missile"}},
		{"Le président de la République", []string{"président", "présider", "république"}},
		{"jusqu’à ce qu'il soit là", []string{}},
		{"aujourd’hui", []string{"=aujourd'hui", "aujourd'hui"}},
		{"l‘Américain qu‘il aujourdʼhui", []string{"américain", "=aujourd'hui", "aujourd'hui"}},
		{"dès dû était etait ETAIT", []string{}},
		{"le 14 avril 2024", []string{"14", "avril", "2024"}},
		{"2024-06", []string{"2024", "06"}},
		{"3,5 milliards", []string{"3,5", "milliard"}},
		{"l'ONU et l’OTAN", []string{"=onu", "onu", "=otan", "otan"}},
		{"le CENTCOM", []string{"centcom"}},
		{"l’O.N.U. et la S.N.C.F", []string{"=onu", "onu", "=sncf", "sncf"}},
		{"au Mali, à Gaza, en Crimée, à Cuba", []string{"mali", "gazer", "=crimee", "crimée", "cuber"}}, // "gaza" is also a form of "gazer", whose term covers it,
		{"le mal, le gaz, les crimes, des cubes", []string{"mal", "=gaz", "gaz", "crime", "cuber"}},
		{"jean.dupont@exemple.fr et 3.5", []string{"jean", "=dupont", "dupont", "exemple", "=fr", "fr", "3,5"}}, // a decimal point is written as the French comma
		{"les armées.Virage à droite, V.Poutine", []string{"armée", "virage", "droit", "=v", "v", "poutine"}},
		{"l'attentat.Benjamin", []string{"attentat", "benjamin"}}, // not also the subjunctive "attentât"
		{"qu'il attentât, nous prîmes des primes", []string{"attenter", "prendre", "primer"}},
		{"la S.N.C.F.et l’O.N.U.", []string{"=sncf", "sncf", "=onu", "onu"}},
		{"des avions de chasse, le porte-avions", []string{"avion", "chasser", "châsse", "porter", "avion"}},
		{"la médaille d’or", []string{"médailler", "or"}},
		{"le 1er mai, la 1re fois, la 1ère", []string{"1er", "mai", "1er", "foi", "1er"}},
		{"2e 2ème 2eme 2nd 2nde 21e", []string{"2e", "2e", "2e", "2e", "2e", "21e"}},
		{"XXe siècle", []string{"=xxe", "xxe", "siècle"}},
		{"covid-19 G7", []string{"=covid", "covid", "19", "g7"}},
		{"Œuvre cœur", []string{"œuvrer", "cœur"}},
		// Words of the lexicon give the term of their lemma, and all the
		// lemmas of an ambiguous form ("peche" is pêche, péché, pêcher,
		// pécher), but for terms that another term covers (every form of
		// the noun "pêche" is a form of "pêcher", so "pêcher" is enough);
		// other words their Snowball stems.
		{"les feux, des jeux, les travaux, les yeux", []string{"feu", "jeu", "travail", "œil"}},
		{"arrivees ARRIVÉES dernieres", []string{"arriver", "arriver", "dernier"}},
		{"peche", []string{"pécher", "péché", "pêcher"}},
		{"la France, le franc, les Français, la française", []string{"=france", "france", "franc", "français", "français"}},
		{"l'OMS et l'OM", []string{"=oms", "oms", "om"}},
		{"Zelensky Macronie", []string{"zelensky", "macron"}},
		// Readings left out (lexicon.leftOut): "cameras" and "camions" are
		// not forms of "se camer", "tue" not the participle of "taire".
		{"des cameras, des camions, la came", []string{"caméra", "camion", "came", "camé"}}, // "came" typed without accent is also "camé"
		{"il tue, TUES, tué, se taire", []string{"tuer", "tuer", "tuer", "taire"}},
	} {
		got := terms(t, FrenchName, tc.in)
		if !slices.Equal(got, tc.want) {
			t.Errorf("Analyze(%s, %q) = %q; want %q", FrenchName, tc.in, got, tc.want)
		}
	}
}

func TestElision(t *testing.T) {
	for _, prefix := range []string{"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"} {
		for _, apostrophe := range []string{"'", "’", "‘", "ʼ"} {
			for _, p := range []string{prefix, strings.ToUpper(prefix), strings.ToUpper(prefix[:1]) + prefix[1:]} {
				in := p + apostrophe + "Avion"
				toks, err := Analyze(ExactName, in)
				want := Token{Term: "avion", Position: 1, Start: len(p) + len(apostrophe), End: len(in)}
				if err != nil || len(toks) != 1 || toks[0] != want {
					t.Errorf("Analyze(%s, %q) = %v, %v; want [%v]", ExactName, in, toks, err, want)
				}
			}
		}
	}
	// Not elisions: the apostrophe belongs to the word.
	for _, in := range []string{"aujourd'hui", "prud’homme", "presqu'île", "aujourd‘hui", "prudʼhomme"} {
		got := terms(t, ExactName, in)
		want := []string{fold.String(strings.NewReplacer("’", "'", "‘", "'", "ʼ", "'").Replace(in))}
		if !slices.Equal(got, want) {
			t.Errorf("Analyze(%s, %q) = %q; want %q", ExactName, in, got, want)
		}
	}
}

// TestMatches checks which texts a query finds, as a phrase, through the
// index and query analyzers the index uses: IndexName for the text,
// FrenchName for ordinary queries and ExactQueryName for exact ones.
func TestMatches(t *testing.T) {
	for _, tc := range []struct {
		text, query string
		exact       bool // query with ExactQueryName instead of FrenchName
		want        bool
	}{
		// Accents and case, both ways.
		{"L'armée de terre", "armee", false, true},
		{"l'armee de terre", "ARMÉE", false, true},
		{"les armées", "armée", false, true},
		{"La sécurité nationale", "securite", false, true},
		{"la securite nationale", "sécurité", false, true},
		{"SÉCURITÉ NATIONALE", "sécurité nationale", false, true},
		{"La sécurité nationale", "securite nationale", false, true},
		{"en Israël", "Israel", false, true},
		{"en Israel", "Israël", false, true},
		{"les Émirats arabes unis", "emirats arabes unis", false, true},
		{"les États-Unis", "etats-unis", false, true},
		{"les etats-unis", "États-Unis", false, true},
		{"les États-Unis", "etats unis", false, true},
		{"l'Élysée", "elysee", false, true},
		{"Côte d’Ivoire", "cote d'ivoire", false, true},
		{"le cœur", "coeur", false, true},
		// Hyphenated and multiword names, as phrases and by their parts.
		{"la Grande-Bretagne", "Grande-Bretagne", false, true},
		{"la Grande-Bretagne", "grande bretagne", false, true},
		{"la Grande-Bretagne", "Bretagne", false, true},
		{"la Bretagne est grande", "Grande-Bretagne", false, false},
		{"l'Arabie saoudite", "Arabie saoudite", false, true},
		{"l'Arabie saoudite", "saoudite", false, true},
		{"l'Arabie est saoudite", "Arabie saoudite", false, false},
		{"le chef d'état-major", "état-major", false, true},
		{"le chef d'état-major", "etat major", false, true},
		{"le chef d'état-major", "major", false, true},
		{"Washington et les États-Unis", "unis", false, true},
		// Place names that Snowball would stem like common words.
		{"les soldats au Mali", "mali", false, true},
		{"au MALI", "Mali", false, true},
		{"il a mal au dos", "Mali", false, false},
		{"le prix du gaz", "Gaza", false, false},
		{"la bande de Gaza", "gaz", false, false},
		{"les crimes de guerre", "Crimée", false, false},
		{"les Russes en Russie", "russe", false, true},
		// Dotted acronyms.
		{"le siège de l’O.N.U.", "ONU", false, true},
		{"le siège de l'ONU", "O.N.U.", false, true},
		{"le siège de l’O.N.U.", "onu", true, true},
		// Stemming.
		{"des missiles balistiques", "missile balistique", false, true},
		{"l'économie", "économique", false, false}, // other lemmas since the lexicon
		{"l'économie", "économies", false, true},
		// The lexicon: forms of one lemma, and not of another.
		{"les feux de forêt", "feu de forêt", false, true},
		{"les travaux", "travail", false, true},
		{"les yeux", "œil", false, true},
		{"la délégation française", "français", false, true},
		{"les dernières arrivées", "dernieres arrivees", false, true},
		{"LES DERNIÈRES ARRIVÉES", "dernieres arrivees", false, true},
		{"les ETATS-UNIS", "États-Unis", false, true},
		{"la pêche en mer", "peche", false, true},
		{"un péché", "peche", false, true},
		{"la pêche en mer", "péché", false, false},
		{"la France", "franc", false, false},
		{"les francs", "France", false, false},
		{"le français", "France", false, false},
		{"l'armée", "arme", false, false},
		{"les armes", "armée", false, false},
		{"l'OMS", "OM", false, false},
		{"l'OM", "OMS", false, false},
		{"le gouvernement", "gouvernements", false, true},
		{"la mission", "missile", false, false},
		// Numbers, dates, acronyms, ordinals.
		{"le 14 avril 2024", "14 avril", false, true},
		{"le 14 avril 2024", "15 avril", false, false},
		{"publié en 2024-06", "2024-06", false, true},
		{"publié en 2024-06", "2024 06", false, true},
		{"une résolution de l'ONU", "onu", false, true},
		{"l'OTAN et le CENTCOM", "CENTCOM", false, true},
		{"le 1er mai", "1er mai", false, true},
		{"la 1ère fois", "1re fois", false, true},
		{"la 2ème division", "2e division", false, true},
		{"la 2ème division", "3e division", false, false},
		// Exact forms: no stemming, but accents and case still ignored.
		{"des missiles", "missiles", true, true},
		{"des missiles", "missile", true, false},
		{"un missile", "missiles", true, false},
		{"la Sécurité", "securite", true, true},
		{"la sécurité", "sécuritaire", true, false},
		{"l'armée de terre", "armée de terre", true, true},
		{"l'armée de terre", "l’armée de terre", true, true},
		{"l'armée à terre", "armée de terre", true, false},
		{"Grande-Bretagne", "grande bretagne", true, true},
	} {
		queryName := FrenchName
		if tc.exact {
			queryName = ExactQueryName
		}
		if got := phraseMatches(t, IndexName, tc.text, queryName, tc.query); got != tc.want {
			t.Errorf("text %q (%s: %q), query %q (%s: %q): match = %v; want %v",
				tc.text, IndexName, phrase(t, IndexName, tc.text), tc.query, queryName, phrase(t, queryName, tc.query), got, tc.want)
		}
	}
}

// TestIndexTerms checks that IndexName gives, at each position, the
// marked exact form and FrenchName's terms, with the positions and offsets
// that FrenchName, ExactName and ExactQueryName give them.
func TestIndexTerms(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want [][]string
	}{
		{"Les missiles", [][]string{{"=les"}, {"=missiles", "missile"}}},
		{"L’ARMÉE", [][]string{{"=armee", "armée"}}},
		{"la sécurité", [][]string{{"=la"}, {"=securite", "sécurité"}}},
		{"la Macronie", [][]string{{"=la"}, {"=macronie", "macron"}}},
		{"le 1ère", [][]string{{"=le"}, {"=1ere", "1er"}}},
	} {
		if got := phrase(t, IndexName, tc.in); !slices.EqualFunc(got, tc.want, slices.Equal) {
			t.Errorf("Analyze(%s, %q) = %q; want %q", IndexName, tc.in, got, tc.want)
		}
	}
	const text = "L'armée des États-Unis a tiré 3 missiles, le 14 avril, près de l’Élysée."
	index, err := Analyze(IndexName, text)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{FrenchName, ExactName, ExactQueryName} {
		toks, err := Analyze(name, text)
		if err != nil {
			t.Fatal(err)
		}
		for _, tok := range toks {
			if name == ExactName {
				tok.Term = ExactMarker + tok.Term
			}
			i := slices.IndexFunc(index, func(x Token) bool { return x.Term == tok.Term })
			if i < 0 || index[i] != tok {
				t.Errorf("Analyze(%s, %q) gives %v, which %s does not give", name, text, tok, IndexName)
			}
		}
	}
}

func TestExactMarker(t *testing.T) {
	// The tokenizer never emits the marker, so marked terms cannot come
	// from text: ExactName never gives one, and FrenchName gives one only
	// as the exact form of a word at its position (a word of the lexicon
	// whose exact form stands for its terms in the index, such as "b").
	for _, in := range []string{"=armee", "a=b", "x = y", "==", "＝armee", "=aujourd'hui"} {
		exact, err := Analyze(ExactName, in)
		if err != nil {
			t.Fatal(err)
		}
		for _, tok := range exact {
			if strings.HasPrefix(tok.Term, ExactMarker) {
				t.Errorf("Analyze(%s, %q) gives %q, which starts with %q", ExactName, in, tok.Term, ExactMarker)
			}
		}
		toks, err := Analyze(FrenchName, in)
		if err != nil {
			t.Fatal(err)
		}
		for _, tok := range toks {
			if !strings.HasPrefix(tok.Term, ExactMarker) {
				continue
			}
			if !slices.ContainsFunc(exact, func(e Token) bool { return e.Position == tok.Position && ExactMarker+e.Term == tok.Term }) {
				t.Errorf("Analyze(%s, %q) gives %v, which starts with %q and is not the exact form of its word (%v)", FrenchName, in, tok, ExactMarker, exact)
			}
		}
	}
}

func TestAnalyze(t *testing.T) {
	if got, want := Names(), []string{FrenchName, ExactName, IndexName, ExactQueryName}; !slices.Equal(got, want) {
		t.Errorf("Names() = %q; want %q", got, want)
	}
	for _, name := range Names() {
		toks, err := Analyze(name, "")
		if err != nil || toks == nil || len(toks) != 0 {
			t.Errorf("Analyze(%s, \"\") = %#v, %v; want an empty slice", name, toks, err)
		}
	}
	toks, err := Analyze("nope", "armée")
	if err == nil {
		t.Fatalf("Analyze(\"nope\", ...) = %v, nil; want an error", toks)
	}
	for _, want := range append(Names(), "nope") {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Analyze(\"nope\", ...) error %q does not name %q", err, want)
		}
	}
	got, err := Analyze(FrenchName, "Les armées")
	want := []Token{{Term: "armée", Position: 2, Start: 4, End: 11}}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("Analyze(%s, \"Les armées\") = %v, %v; want %v", FrenchName, got, err, want)
	}
}
