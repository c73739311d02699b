package corpus

import "slices"

// findNames scans texts, the title and body of a report, for the
// countries (with countries set) and the organisations (with orgs set)
// that they name, as FindCountries and findOrganizations do: the country
// codes and counts of all texts in order of first mention, and those of
// the organisations. Both gazetteers read the same words, split and
// folded once: on the 233,987 reports of tvnews-fr, each scan split and
// folded every word of every text again.
//
// Each gazetteer goes through a text as FindCountries alone did: a word
// is tried when it starts after the gazetteer's last match, and a
// country's words before the key word only after the last country match.
func findNames(texts []string, countries, orgs bool) (codes []string, counts []int, orgCodes []string, orgCounts []int) {
	cg, og := theGazetteer(), theOrganizations()
	var matches []orgMatch
	ambiguous := false
	var buf [32]byte
	for _, text := range texts {
		countryNext, orgNext := 0, 0 // where the next match may start
		for i := 0; i < len(text); {
			start, end, ascii := nextWord(text, i)
			if start < 0 {
				break
			}
			i = end
			tryC, tryO := countries && start >= countryNext, orgs && start >= orgNext
			if ascii {
				// The bit of an ASCII word, before lowercasing it:
				// quickKey reads only its length and the low bits of two
				// bytes, which lowercasing keeps.
				q := uint32((end-start)&31)<<10 | uint32(text[start]&31)<<5 | uint32(text[end-1]&31)
				tryC, tryO = tryC && cg.maybe.has(q), tryO && og.maybe.has(q)
			}
			if !tryC && !tryO {
				continue
			}
			k := folded(text, start, end, ascii, &buf)
			if k == "" {
				continue
			}
			q := quickKey(k)
			if tryC && cg.maybe.has(q) {
				if es := cg.first[k]; es != nil {
					if code, last := cg.match(text, start, end, countryNext, es); code != "" {
						countryNext = last
						if code != "-" {
							if j := slices.Index(codes, code); j >= 0 {
								counts[j]++
							} else {
								codes, counts = append(codes, code), append(counts, 1)
							}
						}
					}
				}
			}
			if tryO && og.maybe.has(q) {
				if fl := og.lists[k]; fl != nil {
					if f, last := og.matchAt(text, start, end, fl, -1); f != nil {
						orgNext = last
						if f.code != "-" {
							matches = append(matches, orgMatch{f.code, f.ambiguous})
							ambiguous = ambiguous || f.ambiguous
						}
					}
				}
			}
		}
	}
	if orgs {
		orgCodes, orgCounts = og.orgCounts(matches, ambiguous, texts)
	}
	return codes, counts, orgCodes, orgCounts
}
