package analyzers

import (
	"slices"
	"testing"
)

func TestSplitJoinedPositions(t *testing.T) {
	cases := []struct {
		in   string
		want []Token
	}{
		{"armées.Virage puis Moscou", []Token{
			{"armees", 1, 0, 7}, {"virage", 2, 8, 14}, {"puis", 3, 15, 19}, {"moscou", 4, 20, 26},
		}},
		{"V.Poutine l’a.Dit ici", []Token{
			{"v", 1, 0, 1}, {"poutine", 2, 2, 9}, {"a", 3, 14, 15}, {"dit", 4, 16, 19}, {"ici", 5, 20, 23},
		}},
		{"l’O.N.U.Mardi", []Token{{"onu", 1, 4, 9}, {"mardi", 2, 10, 15}}},
		{"3.5 kg", []Token{{"3,5", 1, 0, 3}, {"kg", 2, 4, 6}}}, // not split; the decimal point is written as a comma
	}
	for _, tc := range cases {
		got, err := Analyze(ExactName, tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Analyze(%s, %q) =\n  %v\nwant\n  %v", ExactName, tc.in, got, tc.want)
		}
		for _, tok := range got {
			if tok.Start < 0 || tok.End > len(tc.in) || tok.Start > tok.End {
				t.Errorf("Analyze(%q): token %v outside the text", tc.in, tok)
			}
		}
	}
}

// TestJoinedAt checks the dot that joinedAt finds, the first that joins
// two words, past dots that join none.
func TestJoinedAt(t *testing.T) {
	for _, tc := range []struct {
		term string
		want int
	}{
		{"", -1}, {".", -1}, {"a.", -1}, {".a", -1}, {"ab.", -1}, {".ab", -1},
		{"armées.virage", 7}, {"v.poutine", 1}, {"o.n.u", -1}, {"o.n.u.", -1},
		{"s.n.c.f.et", 7}, {"o.n.u.mardi", 5}, {"3.5", -1}, {"a..b", -1},
		{"12.ab.cd", 5}, {"a.b.cd", 3}, {"é.été", 2}, {"ab.c", 2},
		{"x" + string(make([]byte, 40)) + "ab.cd", 43},
	} {
		if got := joinedAt([]byte(tc.term)); got != tc.want {
			t.Errorf("joinedAt(%q) = %d; want %d", tc.term, got, tc.want)
		}
	}
}
