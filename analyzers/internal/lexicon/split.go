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

// leftOut lists readings of the dictionary that the lexicon leaves out,
// because they are implausible in news French and make a frequent word
// find unrelated reports: a lemma with its forms (nil: all its forms; a
// form left out of every lemma is unknown, and stemmed by Snowball). Chosen
// from the forms of TestAccentsAcrossInflections in analyzers whose
// unaccented spelling found more reports than the accented one, where the
// extra reports came from such a reading:
var leftOut = map[string][]string{
	// "se camer" (slang, to take drugs): its future "cameras" is the
	// unaccented "caméras", so "cameras" found "came" (the drug, and the
	// English verb of quoted English) and "camé"; the nouns "came" and
	// "camé" keep their own lemmas.
	"camer": nil,
	// The feminine participle of "taire" ("une vérité tue"), rare next to
	// "tue" and "tues" of "tuer": with it, "tue", "tues" (and "tué" typed
	// without accent) found "tait", "taire" and "se taisent".
	"taire": {"tue", "tues"},
}

// leftOutReading reports whether the reading of form as a form of lemma
// is left out (see leftOut).
func leftOutReading(lemma, form string) bool {
	forms, ok := leftOut[lemma]
	if !ok {
		return false
	}
	if forms == nil {
		return true
	}
	for _, f := range forms {
		if f == form {
			return true
		}
	}
	return false
}
