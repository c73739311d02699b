package analyzers

import (
	"slices"
	"testing"
)

// TestNumbers checks that a number gives one term however French writes
// its thousands and decimals, with offsets covering the whole number and
// the positions of the words after it unchanged by the separators.
func TestNumbers(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string // FrenchName's terms
	}{
		{"1500", []string{"1500"}},
		{"1 500", []string{"1500"}},
		{"1\u00a0500", []string{"1500"}},
		{"1\u202f500", []string{"1500"}},
		{"1\u2009500", []string{"1500"}},
		{"1.500", []string{"1500"}},
		{"2 000 000 d’euros", []string{"2000000", "euro"}},
		{"2.000.000", []string{"2000000"}},
		{"2,5 millions", []string{"2,5", "million"}},
		{"2.5 millions", []string{"2,5", "million"}},
		{"1 500,75 €", []string{"1500,75"}},
		{"1.500,75", []string{"1500,75"}},
		{"12 345 678", []string{"12345678"}},
		// Not one number.
		{"2024 500 personnes", []string{"2024", "500", "personne"}},
		{"1  500", []string{"1", "500"}},      // two spaces
		{"1 50", []string{"1", "50"}},         // not a group of three
		{"1 5000", []string{"1", "5000"}},     // nor this
		{"1234 567", []string{"1234", "567"}}, // more than three digits first
		{"06 12 34 56 78", []string{"06", "12", "34", "56", "78"}},
		{"le 14.07.2024", []string{"14.07.2024"}},
		{"1.2.3", []string{"1.2.3"}},
		{"1,500", []string{"1,500"}}, // a French decimal
		{"1 500e", []string{"1", "500e"}},
	} {
		if got := terms(t, FrenchName, tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("Analyze(%s, %q) = %q; want %q", FrenchName, tc.in, got, tc.want)
		}
	}
	const text = "Il y a 1\u202f500 soldats et 2 000 000 d’euros, soit 2,5 millions."
	toks, err := Analyze(IndexName, text)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tok := range toks {
		got = append(got, text[tok.Start:tok.End])
	}
	want := []string{"Il", "y", "a", "1\u202f500", "1\u202f500", "soldats", "soldats", "et",
		"2 000 000", "2 000 000", "euros", "euros", "soit", "2,5", "2,5", "millions", "millions"}
	if !slices.Equal(got, want) {
		t.Errorf("Analyze(%s, %q) covers %q; want %q", IndexName, text, got, want)
	}
	for _, tc := range []struct {
		text, query string
		exact, want bool
	}{
		{"il y a 1\u00a0500 soldats", "1500 soldats", false, true},
		{"il y a 1500 soldats", "1 500 soldats", false, true},
		{"il y a 1.500 soldats", "1\u202f500 soldats", true, true},
		{"2,5 millions d'euros", "2.5 millions", false, true},
		{"2,5 millions d'euros", "25 millions", false, false},
		{"1 500 soldats", "500 soldats", false, false},
	} {
		q := FrenchName
		if tc.exact {
			q = ExactQueryName
		}
		if got := phraseMatches(t, IndexName, tc.text, q, tc.query); got != tc.want {
			t.Errorf("text %q, query %q (%s): match = %v; want %v", tc.text, tc.query, q, got, tc.want)
		}
	}
}
