package corpus

import (
	"slices"
	"testing"
)

// FuzzFindCountries checks that FindCountries never panics, returns known
// codes once each with positive counts, and gives the same answer twice.
func FuzzFindCountries(f *testing.F) {
	for _, s := range []string{"", "Israël", "la Réunion et La Réunion", "l'Hexagone", "N'Djamena", "É.-U.", "R.-U.",
		"Guinée-Bissau", "sud-coréen", "Est-timorais", "\u07ee", "e\u0301tats-unis", "ÉTATS-UNIS", "la la la Paz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		codes, counts := FindCountries(s)
		if len(codes) != len(counts) {
			t.Fatalf("FindCountries(%q): %d codes, %d counts", s, len(codes), len(counts))
		}
		for i, c := range codes {
			if !IsCountry(c) || counts[i] < 1 || slices.Index(codes, c) != i {
				t.Fatalf("FindCountries(%q) = %v %v: bad code or count at %d", s, codes, counts, i)
			}
		}
		again, againCounts := FindCountries(s)
		if !slices.Equal(codes, again) || !slices.Equal(counts, againCounts) {
			t.Fatalf("FindCountries(%q) = %v %v, then %v %v", s, codes, counts, again, againCounts)
		}
	})
}
