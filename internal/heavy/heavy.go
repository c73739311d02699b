// Package heavy is the expensive query of the load tests and benchmarks
// (issue 17): 64 prefixes of common French words, ORed or ANDed.
package heavy

import "strings"

// heavyPrefixes are 64 three-letter prefixes of common French words: on
// the 13,040 tvnews-fr reports they expand to 15,076 words (title and body
// counted apart).
var heavyPrefixes = strings.Fields(`pre pro con com dis res rep par per pou tra tro sou sur dec dem
	den des det dev gou gra gro inf ins int inv mai man mar mat men mil min mon mor mou nat neg nou
	occ off opp org pas pat pen pla pol pos pot qua rec ref reg rel ren sec sen ser`)

// Query returns the 64 prefixes joined by op: "OR", or "" for AND.
func Query(op string) string {
	sep := " "
	if op != "" {
		sep = " " + op + " "
	}
	return strings.Join(heavyPrefixes, "*"+sep) + "*"
}
