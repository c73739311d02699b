package corpus

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestFindOrganizations(t *testing.T) {
	cases := []struct {
		in     string
		codes  []string
		counts []int
	}{
		{"L'ONU a réuni les Nations unies, et l'O.N.U. a voté.", []string{"ONU"}, []int{3}},
		{"l’Onu et l'Organisation des Nations unies", []string{"ONU"}, []int{2}},
		{"NATIONS UNIES : L'OTAN ET NATO", []string{"ONU", "OTAN"}, []int{1, 2}},
		{"l'Alliance atlantique se réunit", []string{"OTAN"}, []int{1}},
		// OMS is not OM, the football club.
		{"l'OM a battu Lyon, selon l'OMS", []string{"OMS"}, []int{1}},
		{"l'Organisation mondiale de la sante", []string{"OMS"}, []int{1}},
		// UE only in capitals.
		{"l'UE et une ue de licence", []string{"UE"}, []int{1}},
		{"l'Union européenne", []string{"UE"}, []int{1}},
		// PS: the party, not the postscript, nor a game console.
		{"P.S. : je t'embrasse", nil, nil},
		{"PS : rappelle-moi", nil, nil},
		{"le PS a désigné son premier secrétaire, Olivier Faure, et les socialistes", []string{"PS"}, []int{1}},
		{"le PS et le Parti socialiste", []string{"PS"}, []int{2}},
		{"la PS 5 de Sony", nil, nil},
		// AI is artificial intelligence unless Amnesty is named.
		{"AI is changing everything", nil, nil},
		{"Amnesty International (AI) dénonce", []string{"AMNESTY"}, []int{2}},
		// Ambiguous names need a context word.
		{"Wagner à l'Opéra Bastille", nil, nil},
		{"les mercenaires de Wagner au Mali", []string{"WAGNER"}, []int{1}},
		{"le groupe Wagner", []string{"WAGNER"}, []int{1}},
		{"la Renaissance italienne", nil, nil},
		{"Renaissance, le parti présidentiel", []string{"RENAISSANCE"}, []int{2}},
		// The longest match wins, and a part counts its whole.
		{"le Conseil de sécurité de l'ONU", []string{"ONU-CS", "ONU"}, []int{1, 1}},
		{"Al-Qaïda au Maghreb islamique", []string{"AQMI", "AL-QAIDA"}, []int{1, 1}},
		{"Al-Qaïda", []string{"AL-QAIDA"}, []int{1}},
		// Names of French institutions followed by a foreign country.
		{"le ministère de la Défense russe", nil, nil},
		{"le ministère de la Défense d'Israël", nil, nil},
		{"le ministère de la Défense français", []string{"MIN-ARMEES"}, []int{1}},
		{"le ministère de la Défense a annoncé", []string{"MIN-ARMEES"}, []int{1}},
		{"le ministère de la Santé du Hamas", []string{"HAMAS"}, []int{1}},
		{"le Sénat américain et le Sénat", []string{"SENAT-US", "CONGRES-US", "SENAT"}, []int{1, 1, 1}},
		// RN 7 is a road.
		{"sur la RN 7, des élus du RN", []string{"RN"}, []int{1}},
		// No punctuation inside a name.
		{"en France, Travail et famille", nil, nil},
		{"France Travail recrute", []string{"FRANCE-TRAVAIL"}, []int{1}},
		// Case rules of names.
		{"la maison blanche du village", nil, nil},
		{"à la Maison-Blanche", []string{"MAISON-BLANCHE"}, []int{1}},
		{"les Républicains américains", []string{"US-REPUBLICAINS"}, []int{1}},
		{"Les Républicains et LR", []string{"LR"}, []int{2}},
		{"AfD et AFD", []string{"AFD-DE", "AFD"}, []int{1, 1}},
		{"Kremlin-Bicêtre", nil, nil},
		{"le Kremlin", []string{"KREMLIN"}, []int{1}},
		{"U.E.O.", nil, nil},
		{"", nil, nil},
		{"OTAN", []string{"OTAN"}, []int{1}},
	}
	for _, tc := range cases {
		codes, counts := FindOrganizations(tc.in)
		if !slices.Equal(codes, tc.codes) || !slices.Equal(counts, tc.counts) {
			t.Errorf("FindOrganizations(%q) = %q, %v; want %q, %v", tc.in, codes, counts, tc.codes, tc.counts)
		}
	}
}

func TestFindOrganizationsTitleAndBody(t *testing.T) {
	// The context of an ambiguous form is the whole report.
	codes, counts := findOrganizations("Le PS se choisit un chef", "Les socialistes votent jeudi.")
	if !slices.Equal(codes, []string{"PS"}) || !slices.Equal(counts, []int{1}) {
		t.Errorf("findOrganizations(title, body) = %q, %v; want [PS] [1]", codes, counts)
	}
}

func TestOrganizationNamed(t *testing.T) {
	cases := []struct {
		in   string
		code string
	}{
		{"ONU", "ONU"}, {"onu", "ONU"}, {"O.N.U.", "ONU"}, {"Nations unies", "ONU"},
		{"nations unies", "ONU"}, {"United Nations", "ONU"},
		{"OTAN", "OTAN"}, {"NATO", "OTAN"}, {"Alliance atlantique", "OTAN"},
		{"UE", "UE"}, {"ue", ""}, {"union européenne", "UE"},
		{"OMS", "OMS"}, {"WHO", "OMS"}, {"who", ""},
		{"Banque mondiale", "BM"}, {"HCR", "HCR"}, {"unhcr", "HCR"},
		// Ambiguous forms, parts of names and longer texts name none.
		{"PS", ""}, {"Wagner", ""}, {"Nations", ""}, {"ONU Gaza", ""}, {"", ""}, {"  ", ""},
	}
	for _, tc := range cases {
		code, ok := OrganizationNamed(tc.in)
		if code != tc.code || ok != (tc.code != "") {
			t.Errorf("OrganizationNamed(%q) = %q, %v; want %q", tc.in, code, ok, tc.code)
		}
	}
}

func TestOrganizationForms(t *testing.T) {
	forms := OrganizationForms("OMS")
	for _, want := range []string{"Organisation mondiale de la santé", "World Health Organization", "OMS"} {
		if !slices.Contains(forms, want) {
			t.Errorf("OrganizationForms(OMS) = %q; want it to hold %q", forms, want)
		}
	}
	// Ambiguous and unsearched acronyms are left out.
	if forms := OrganizationForms("PS"); slices.Contains(forms, "PS") || !slices.Contains(forms, "Parti socialiste") {
		t.Errorf("OrganizationForms(PS) = %q; want Parti socialiste without PS", forms)
	}
	if forms := OrganizationForms("TAS"); slices.Contains(forms, "TAS") {
		t.Errorf("OrganizationForms(TAS) = %q; want it without TAS (tas is a word)", forms)
	}
	if OrganizationForms("NOPE") != nil {
		t.Error("OrganizationForms(NOPE) is not nil")
	}
	if got := OrganizationName("OTAN"); got != "Organisation du traité de l'Atlantique nord" {
		t.Errorf("OrganizationName(OTAN) = %q", got)
	}
	if got := OrganizationAcronym("OTAN"); got != "OTAN" {
		t.Errorf("OrganizationAcronym(OTAN) = %q", got)
	}
	if got := OrganizationAcronym("BM"); got != "Banque mondiale" {
		t.Errorf("OrganizationAcronym(BM) = %q; want the name", got)
	}
}

// TestOrganizationsFile checks the embedded gazetteer: enough entries of
// each family the issue names, no form given to two codes, every code
// found by its own name.
func TestOrganizationsFile(t *testing.T) {
	g := theOrganizations()
	if len(g.conflicts) > 0 {
		t.Errorf("forms given to two codes: %s", strings.Join(g.conflicts, "; "))
	}
	if n := len(g.codes); n < 300 {
		t.Errorf("%d organisations; want at least 300", n)
	}
	for _, code := range []string{"ONU", "OMS", "HCR", "UNICEF", "UE", "COM-EU", "BCE", "OTAN", "UA", "CEDEAO", "G7", "G20", "OPEP", "CPI", "CIJ", "MSF", "AMNESTY", "HRW", "CICR", "HAMAS", "HEZBOLLAH", "WAGNER", "PS", "RN", "MIN-ARMEES", "SENAT"} {
		if !IsOrganization(code) {
			t.Errorf("IsOrganization(%s) = false", code)
		}
	}
	for _, code := range g.codes {
		if !validOrgCode(code) {
			t.Errorf("bad code %q", code)
		}
		for _, f := range OrganizationForms(code) {
			if got, _ := FindOrganizations(f); !slices.Contains(got, code) {
				t.Errorf("FindOrganizations(%q) = %q; want it to hold %s, whose form it is", f, got, code)
			}
		}
	}
	if codes := OrganizationCodes(); !slices.Equal(codes, g.codes) {
		t.Error("OrganizationCodes is not the file order")
	}
}

func TestParseOrganizationsErrors(t *testing.T) {
	cases := []struct{ in, want string }{
		{"onu\tNations unies", "line 1: bad code"},
		{"ONU", "line 1: want 2 to 7 columns"},
		{"ONU\tNations unies\nONU\tONU", "line 2: code ONU listed twice"},
		{"ONU\t~", "line 1: ONU has no name"},
		{"ONU\tNations unies\t\t\t\t\tXYZ", "part of \"XYZ\""},
		{"ONU\tNations unies\t...", "bad form"},
	}
	for _, tc := range cases {
		_, err := parseOrganizations(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("parseOrganizations(%q) = %v; want an error with %q", tc.in, err, tc.want)
		}
	}
	g, err := parseOrganizations("A\tAlpha\tAL\nB\tBeta\tAL")
	if err != nil || len(g.conflicts) != 1 {
		t.Errorf("parseOrganizations with a form given twice: %v, conflicts %q; want one conflict", err, g.conflicts)
	}
}

func FuzzFindOrganizations(f *testing.F) {
	for _, s := range []string{"l'O.N.U.", "P.S. :", "le ministère de la Défense d'", "RN 7", "U.E.", "Al-Qaïda", "\xff\xfe", "Sénat\u00a0américain"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		codes, counts := FindOrganizations(s)
		if len(codes) != len(counts) {
			t.Fatalf("FindOrganizations(%q): %d codes, %d counts", s, len(codes), len(counts))
		}
		for i, c := range codes {
			if !IsOrganization(c) || counts[i] < 1 {
				t.Fatalf("FindOrganizations(%q) = %q, %v", s, codes, counts)
			}
		}
		OrganizationNamed(s)
	})
}

func FuzzParseOrganizations(f *testing.F) {
	f.Add("ONU\tNations unies\tONU\t\tUnited Nations|!UN?\tonu\n")
	f.Add("-\t-\t-\tSénat américain\n")
	f.Add("A\t!B~#*?^\tC\t\t\t\tA\n")
	f.Fuzz(func(t *testing.T, data string) {
		g, err := parseOrganizations(data)
		if err != nil {
			return
		}
		for _, code := range g.codes {
			if g.orgs[code].name == "" {
				t.Fatalf("parseOrganizations(%q): %s has no name", data, code)
			}
		}
	})
}

func ExampleFindOrganizations() {
	codes, counts := FindOrganizations("L'ONU et l'OTAN : le Conseil de sécurité des Nations unies s'est réuni, l'Alliance atlantique aussi.")
	for i, c := range codes {
		fmt.Println(c, counts[i], OrganizationName(c))
	}
	// Output:
	// ONU 2 Organisation des Nations unies
	// OTAN 2 Organisation du traité de l'Atlantique nord
	// ONU-CS 1 Conseil de sécurité des Nations unies
}
