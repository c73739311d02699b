package corpus

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
	"unicode"
)

func TestFindCountries(t *testing.T) {
	cases := []struct {
		in     string
		codes  []string
		counts []int
	}{
		{"", nil, nil},
		{"Israël, Israel et ISRAËL.", []string{"IL"}, []int{3}},
		{"L'armée israélienne et les colons israéliens, des Israéliennes.", []string{"IL"}, []int{3}},
		{"La France et l'Allemagne.", []string{"FR", "DE"}, []int{1, 1}},
		{"Les ministres des Émirats arabes unis, des États-Unis, du Bahreïn et d'Égypte.", []string{"AE", "US", "BH", "EG"}, []int{1, 1, 1, 1}},
		{"aux emirats arabes unis, au bahrein, en egypte", []string{"AE", "BH", "EG"}, []int{1, 1, 1}},
		{"La Grande-Bretagne et le Royaume-Uni.", []string{"GB"}, []int{2}},
		{"La Birmanie, ou Myanmar.", []string{"MM"}, []int{2}},
		{"En RDC, la République démocratique du Congo, et au Congo-Brazzaville.", []string{"CD", "CG"}, []int{2, 1}},
		{"La Corée du Nord menace la Corée du Sud.", []string{"KP", "KR"}, []int{1, 1}},
		{"En Côte d’Ivoire et en Côte d'Ivoire.", []string{"CI"}, []int{2}},
		{"Guinée équatoriale, Guinée-Bissau, Papouasie-Nouvelle-Guinée, Guinée.", []string{"GQ", "GW", "PG", "GN"}, []int{1, 1, 1, 1}},
		{"Des Américains, une Américaine, un Saoudien, des Émiriens, un Émirati.", []string{"US", "SA", "AE"}, []int{2, 1, 2}},
		{"Le Pentagone et Washington, Manama, Téhéran.", []string{"US", "BH", "IR"}, []int{2, 1, 1}},
		{"Dans la bande de Gaza et en Cisjordanie.", []string{"PS"}, []int{2}},
		{"le Tchad et la Chine", []string{"TD", "CN"}, []int{1, 1}},
		{"une dinde sur la mer Noire", nil, nil},
		{"La réunion a eu lieu ; à La Réunion, il pleut.", []string{"RE"}, []int{1}},
		{"Une grenade a explosé.", nil, nil},
		{"François Hollande à Bombay.", []string{"IN"}, []int{1}},
		{"dans l'océan Indien, des Indiens", []string{"IN"}, []int{1}},
		{"le sommet nord-américain et latino-américain", nil, nil},
		{"Les relations franco-allemandes et israélo-palestiniennes.", []string{"FR", "DE", "IL", "PS"}, []int{1, 1, 1, 1}},
		{"Le dirigeant nord-coréen et le président sud-coréen.", []string{"KP", "KR"}, []int{1, 1}},
		{"Drapeaux en berne à Berne.", []string{"CH"}, []int{1}},
		{"Les Grecques et les Turcs, une Britannique, des Iraniens, un Jordanien.", []string{"GR", "TR", "GB", "IR", "JO"}, []int{1, 1, 1, 1, 1}},
		{"ÉTATS-UNIS : Le Nouveau-Mexique.", []string{"US"}, []int{2}},
		{"Le New Jersey et Jersey.", []string{"US", "JE"}, []int{1, 1}},
		{"À Saint-Martin-de-Ré ; à Saint-Martin, des dégâts ; Saint-Martin. Le vent.", []string{"MF"}, []int{2}},
		{"L'Alhambra à Grenade ; l'ouragan sur la Grenade.", []string{"GD"}, []int{1}},
		{"Les obsèques de Philippine ; des Philippines aux Philippins.", []string{"PH"}, []int{2}},
		{"Poitiers (Vienne) ; les pourparlers à Vienne.", []string{"AT"}, []int{1}},
		// Channels named after the country are not the country.
		{"Reportage de France 2. Les explications de France 3 et de France Télévisions.", nil, nil},
		{"Sur France Info et France Inter, puis France 24 ; en France, la grève.", []string{"FR"}, []int{1}},
		{"Le chou de Bruxelles et des choux de Bruxelles ; à Bruxelles, le sommet.", []string{"BE"}, []int{1}},
		{"Nos sources (en anglais) ; des touristes anglais.", []string{"GB"}, []int{1}},
		{"Article en Anglais, traduit en russe et en chinois ; la professeure d'anglais.", nil, nil},
		{"L'attentat de la promenade des Anglais, à Nice ; les Anglais.", []string{"FR", "GB"}, []int{1, 1}},
		{"Le fleuve Niger et le fleuve Congo ; au Niger et au Congo.", []string{"NE", "CG"}, []int{1, 1}},
		{"Le delta du Niger.", []string{"NG"}, []int{1}},
		{"De la porcelaine de Chine et de l'encre de Chine ; en Chine.", []string{"CN"}, []int{1}},
		{"À Atlanta (Géorgie), dans l'État de Géorgie ; en Géorgie, à Tbilissi.", []string{"US", "GE"}, []int{2, 2}},
		{"Des prix bradés, un bermuda ; Lawrence d'Arabie.", nil, nil},
		{"Aux Bermudes ; à Brades, Montserrat ; Bermuda.", []string{"BM", "MS"}, []int{2, 2}},
		{"Mosaïque à Vienne en Isère ; un magasin à Vienne (Isère) ; un concert à Vienne.", []string{"FR", "AT"}, []int{2, 1}},
		// Overseas territories with their own ISO code are not FR.
		{"En Guadeloupe, à Nouméa en Nouvelle-Calédonie et à Mayotte.", []string{"GP", "NC", "YT"}, []int{1, 2, 1}},
		{"À La Réunion comme en métropole, en France.", []string{"RE", "FR"}, []int{1, 1}},
		// The first part of a compound adjective needs its hyphen.
		{"Le général Franco et le chef Franco Bowanee ; l'amitié franco-allemande.", []string{"FR", "DE"}, []int{1, 1}},
		{"Indo, sino et italo ; le sommet sino‑indien.", []string{"CN", "IN"}, []int{1, 1}},
		{"À Mexico ; l'accord mexico-américain.", []string{"MX", "US"}, []int{2, 1}},
	}
	for _, tc := range cases {
		codes, counts := FindCountries(tc.in)
		if !slices.Equal(codes, tc.codes) || !slices.Equal(counts, tc.counts) {
			t.Errorf("FindCountries(%q) = %v %v; want %v %v", tc.in, codes, counts, tc.codes, tc.counts)
		}
	}
}

func TestCountryName(t *testing.T) {
	cases := map[string]string{
		"IL": "Israël", "AE": "Émirats arabes unis", "US": "États-Unis", "GB": "Royaume-Uni",
		"FR": "France", "CI": "Côte d'Ivoire", "MU": "Maurice", "JE": "Jersey", "XX": "", "fr": "",
	}
	for code, want := range cases {
		if got := CountryName(code); got != want {
			t.Errorf("CountryName(%q) = %q; want %q", code, got, want)
		}
	}
}

// TestGazetteer checks the embedded data: 249 codes, each with a name that
// is found in a sentence (but for the few names that need their article or
// island word), and no form given to two countries.
func TestGazetteer(t *testing.T) {
	g := theGazetteer()
	if n := len(g.codes); n != 249 {
		t.Errorf("gazetteer has %d codes; want the 249 of ISO 3166-1", n)
	}
	if len(g.conflicts) > 0 {
		t.Errorf("forms given to two countries: %s", strings.Join(g.conflicts, "; "))
	}
	// "la Dominique", "île Maurice", "la Grenade": alone, first names or
	// the Spanish city.
	unmatched := map[string]bool{"DM": true, "MU": true, "GD": true}
	for _, code := range g.codes {
		name := CountryName(code)
		if name == "" {
			t.Errorf("CountryName(%q) is empty", code)
			continue
		}
		if unmatched[code] {
			continue
		}
		s := "Un rapport sur " + name + " est paru."
		if codes, _ := FindCountries(s); !slices.Contains(codes, code) {
			t.Errorf("FindCountries(%q) = %v; want %s", s, codes, code)
		}
	}
}

func TestAdjectiveForms(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"israélien", []string{"israélien", "israélienne", "israéliens", "israéliennes"}},
		{"américain", []string{"américain", "américaine", "américains", "américaines"}},
		{"français", []string{"français", "française", "françaises"}},
		{"belge", []string{"belge", "belges"}},
		{"letton", []string{"letton", "lettonne", "lettons", "lettonnes"}},
		{"émirati", []string{"émirati", "émiratie", "émiratis", "émiraties"}},
		{"grec/grecque", []string{"grec", "grecque"}},
		{"franco/", []string{"franco-"}},
	}
	for _, tc := range cases {
		if got := adjectiveForms(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("adjectiveForms(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

// refExceptions are reference forms that the gazetteer gives to another
// country on purpose, or does not match alone.
var refExceptions = map[string]string{
	"TF Français": "FR", "TF Française": "FR", // the French of France
	"BQ Néerlandais": "NL", "BQ Néerlandaise": "NL",
	"CD Congolais": "CG", "CD Congolaise": "CG", // shared; the Congo is CG
	"MP Américan": "", "MP Américaine": "US",
	"AS Samoan": "WS", "AS Samoane": "WS",
	"SX Saint-Martinois": "MF", "SX Saint-Martinoise": "MF",
	"DM Dominique": "", "MU Maurice": "", // first names: "la Dominique", "île Maurice"
	"FK Malouinne":  "", // misspelt in the reference
	"GD Grenade":    "", // alone, the Spanish city: "la Grenade"
	"PH Philippine": "", // a first name; "Philippines" is the country
	"VA Vatican":    "VA",
}

// TestReferenceNames checks, against the external reference list of
// French country names when present, that every CLDR name and every
// demonym is found in a sentence, as written and without accents.
func TestReferenceNames(t *testing.T) {
	f, err := os.Open("../../shared/data/countries/countries_fr.tsv")
	if err != nil {
		t.Skipf("reference data absent: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	names, demonyms := 0, 0
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 9 {
			continue
		}
		code := cols[0]
		var forms []string
		for _, n := range strings.Split(cols[4], "|") {
			if n = strings.TrimSpace(n); n != "" {
				forms = append(forms, n)
				names++
			}
		}
		for _, d := range cols[7:9] {
			if d = strings.TrimSpace(d); d != "" {
				forms = append(forms, d)
				demonyms++
			}
		}
		for _, form := range forms {
			want := code
			if w, ok := refExceptions[code+" "+form]; ok {
				if w == "" {
					continue
				}
				want = w
			}
			for _, s := range []string{"Selon le rapport, " + form + " a été cité.", "Selon le rapport, " + stripAccents(form) + " a ete cite."} {
				if codes, _ := FindCountries(s); !slices.Contains(codes, want) {
					t.Errorf("%s: FindCountries(%q) = %v; want %s", code, s, codes, want)
				}
			}
		}
	}
	t.Logf("checked %d CLDR names and %d demonyms", names, demonyms)
}

// stripAccents removes diacritics and keeps the case: "Équateur" gives
// "Equateur".
func stripAccents(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		return s
	}
	return out
}
