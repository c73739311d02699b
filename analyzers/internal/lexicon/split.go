package lexicon

// split lists the lemmas whose forms take only that lemma's term, even
// those that are also forms of another lemma ("armées" is also the
// participle of "armer"), because the other reading would join unrelated
// words: with both readings, "armée" and "arme" would share the term of
// "armer", and a search for the army would find the weapons again (762 of
// the reports hold both). Chosen by measurement (TestConflation in
// analyzers lists the costliest pairs of lemmas left sharing a term).
var split = map[string]struct{}{
	"armée": {}, // Snowball stems "arme" (weapon) and "armée" (army) alike
}
