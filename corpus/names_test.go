package corpus

import (
	"slices"
	"strings"
	"testing"
)

// separateNames is what finish found before findNames: each gazetteer
// scanning each text alone, the countries of the title and of the body
// merged.
func separateNames(texts []string) (codes []string, counts []int, orgs []string, orgCounts []int) {
	for _, t := range texts {
		c, n := FindCountries(t)
		for i, code := range c {
			if j := slices.Index(codes, code); j >= 0 {
				counts[j] += n[i]
			} else {
				codes, counts = append(codes, code), append(counts, n[i])
			}
		}
	}
	orgs, orgCounts = findOrganizations(texts...)
	return codes, counts, orgs, orgCounts
}

// TestFindNames checks that one scan for the countries and organisations
// of a report finds what a scan for each does, on texts where the matches
// of the two overlap and on the 13,040 reports of tvnews-fr/docs (title
// and body, or body alone) when the shared data is there.
func TestFindNames(t *testing.T) {
	reports := [][]string{
		{"Le Conseil de sécurité de l'ONU et la République démocratique du Congo"},
		{"L'Union européenne", "L'UE et les États-Unis : l'OTAN à Bruxelles, la France et l'Allemagne"},
		{"Le ministère de la Défense russe et le ministère des Affaires étrangères du Mali"},
		{"P.S. : le PS socialiste, O.N.U. et U.E.O. en Guinée-Bissau, océan Indien"},
		{"", "à la Banque mondiale, au Fonds monétaire international (FMI), Royaume-Uni"},
	}
	if texts, err := loadTexts(); err == nil {
		for _, text := range texts {
			title, body, _ := strings.Cut(text, "\n\n")
			reports = append(reports, []string{body}, []string{title, body})
		}
	}
	for _, texts := range reports {
		c, n, o, m := findNames(texts, true, true)
		wc, wn, wo, wm := separateNames(texts)
		if !slices.Equal(c, wc) || !slices.Equal(n, wn) || !slices.Equal(o, wo) || !slices.Equal(m, wm) {
			t.Fatalf("findNames(%.80q) = %v %v, %v %v; scanned apart: %v %v, %v %v", texts, c, n, o, m, wc, wn, wo, wm)
		}
	}
}
