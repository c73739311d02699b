// Package lexicon builds the French lexicon that the analyzers embed
// (analyzers/lexicon.txt.gz) from Debian's French Hunspell dictionary,
// Dicollecte's "classique" dictionary (MPL-2.0), which it expands into
// about 450,000 forms grouped by lemma. Install it first:
//
//	apt-get install hunspell-fr-classical
//	go generate ./analyzers
//
// Forms that the tokenizer cannot give as one word (with a hyphen, a
// space, a dot or a digit) are left out; apostrophes inside a word
// ("aujourd'hui") are kept. The term of a form is its lemma, in lower
// case, with accents:
//
//   - the forms of one lemma share one term: "feux" and "feu" give "feu",
//     "travaux" "travail", "françaises" "français", "arrivées" "arriver"
//     and "arrivée"; the dictionary's separate entries for irregular
//     plurals join their singular ("yeux" gives "œil", see aliases), and a
//     lemma in the 1990 spelling ("évènement") takes the term of its older
//     spelling ("événement");
//   - different lemmas give different terms, where Snowball joins many:
//     "France" (a proper noun, not stemmed) is not "franc" nor "français",
//     "OMS" is not "OM", "économie" is not "économique";
//   - a form of several lemmas gives the terms of all of them ("portes":
//     "porte" and "porter"), so recall never drops, except that a form of
//     a lemma of the split table takes only that lemma's term ("armées",
//     also the participle of "armer", gives only "armée", so that "armée"
//     does not find "arme"), and that avoir and être join a form only when
//     it has no other lemma ("avions" gives "avion");
//   - a few readings implausible in news French are left out (see
//     leftOut: "cameras" is not the future of "se camer", "tue" not the
//     participle of "taire");
//   - a word typed without accents is not read as a literary tense whose
//     circumflex alone sets it apart from a common word (see Restored:
//     "attentat" is not "attentât", of "attenter").
//
// The file lists, sorted by folded key, each folded form with the
// lower-case forms that fold to it and their terms ("key\tform=term
// form=term=term"); a form equal to its key is written empty, a form that
// a word without its accents is not read as (see Restored) is marked with
// a leading "~", a term equal to the form's folded Snowball stem is left
// out, and keys whose only form needs neither are not written, since the
// analyzers compute the same term without the lexicon. The forms of a key
// of ExactOnly start with "!" ("prix\t!", "notamment\t!").
package lexicon

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/french"

	"github.com/rapports/rapports/analyzers/internal/hunspell"
	"github.com/rapports/rapports/internal/fold"
)

// aliases joins the lemmas that the dictionary lists apart although they
// are forms of one word (irregular plurals written as entries).
var aliases = map[string]string{
	"yeux": "œil", "cieux": "ciel", "aïeux": "aïeul",
}

// lemma is one lemma of the lexicon.
type lemma struct {
	key    string   // lower case
	proper bool     // only written with a capital
	kinds  []string // nom, adj, v, adv, other
	forms  []string // lower case
	term   string
}

// Lexicon holds the expanded dictionary.
type Lexicon struct {
	lemmas     map[string]*lemma
	formLemmas map[string][]string // lower-case form → lemma keys
	terms      map[string][]string // lower-case form → terms, once pruned
	literary   map[string]bool     // forms whose every reading is a literary tense
	byKey      map[string][]string // folded form → the forms, sorted
	exactOnly  map[string]bool     // keys whose exact form stands for their terms (see ExactOnly)
	written    int
}

func kindOf(pos string) string {
	switch {
	case pos == "nom", pos == "adj", pos == "adv":
		return pos
	case strings.HasPrefix(pos, "v"):
		return "v"
	case pos == "prn", pos == "patr", pos == "npr":
		return "nom"
	}
	return "other"
}

// word reports whether a form is one word for the tokenizer: letters,
// with apostrophes inside ("aujourd'hui").
func word(s string) bool {
	for i, r := range s {
		if r == '\'' || r == '’' {
			if i == 0 || i == len(s)-1 {
				return false
			}
			continue
		}
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return s != ""
}

// Build expands the dictionary and computes every form's term.
func Build(affPath, dicPath string) (*Lexicon, error) {
	aff, err := os.Open(affPath)
	if err != nil {
		return nil, fmt.Errorf("lexgen: %w (apt-get install hunspell-fr-classical)", err)
	}
	defer aff.Close()
	a, err := hunspell.ReadAffixes(aff)
	if err != nil {
		return nil, fmt.Errorf("lexgen: %s: %w", affPath, err)
	}
	dic, err := os.Open(dicPath)
	if err != nil {
		return nil, fmt.Errorf("lexgen: %w", err)
	}
	defer dic.Close()
	lex := &Lexicon{lemmas: map[string]*lemma{}, formLemmas: map[string][]string{}, literary: map[string]bool{}}
	lowerSeen := map[string]bool{}
	plain := map[string]bool{} // forms with a reading in another tense, or not a verb's
	err = a.Expand(dic, func(f hunspell.Form) {
		if !word(f.Word) {
			return
		}
		form := strings.ReplaceAll(strings.ToLower(f.Word), "’", "'")
		key := strings.ToLower(f.Lemma)
		if al, ok := aliases[key]; ok {
			key = al
		}
		if leftOutReading(key, form) {
			return
		}
		l := lex.lemmas[key]
		if l == nil {
			l = &lemma{key: key, proper: true}
			lex.lemmas[key] = l
		}
		if r, _ := utf8.DecodeRuneInString(f.Lemma); !unicode.IsUpper(r) {
			lowerSeen[key] = true
		}
		for _, p := range f.POS {
			if k := kindOf(p); !slices.Contains(l.kinds, k) {
				l.kinds = append(l.kinds, k)
			}
		}
		if !slices.Contains(l.forms, form) {
			l.forms = append(l.forms, form)
		}
		if !slices.Contains(lex.formLemmas[form], key) {
			lex.formLemmas[form] = append(lex.formLemmas[form], key)
		}
		if literaryTense(f.Tags) {
			lex.literary[form] = true
		} else {
			plain[form] = true
		}
	})
	if err != nil {
		return nil, fmt.Errorf("lexgen: %s: %w", dicPath, err)
	}
	for key, l := range lex.lemmas {
		l.proper = !lowerSeen[key]
	}
	for form := range plain {
		delete(lex.literary, form)
	}
	lex.byKey = map[string][]string{}
	for form := range lex.formLemmas {
		k := fold.String(form)
		lex.byKey[k] = append(lex.byKey[k], form)
	}
	for _, forms := range lex.byKey {
		sort.Strings(forms)
	}
	lex.assignTerms()
	lex.prune()
	lex.findExactOnly()
	return lex, nil
}

// literaryTense reports whether the tags of a form name a tense of written
// literary French only: the imperfect subjunctive ("attentât", "prît")
// and the first and second persons plural of the simple past ("prîmes",
// "attentâtes"), whose circumflex is all that sets them apart from common
// words ("attentat", "primes").
// A rule that makes a form of several tenses ("finissent": present and
// imperfect subjunctive) is not literary.
func literaryTense(tags []string) bool {
	tenses, simplePast, persons := 0, false, true // persons: only 1pl and 2pl
	for _, t := range tags {
		switch strings.TrimSuffix(t, "!") {
		case "1pl", "2pl":
		case "1sg", "2sg", "3sg", "3pl", "1isg":
			persons = false
		case "simp":
			tenses++
		case "ipsi":
			tenses++
			simplePast = true
		default:
			return false // another tense, or not a verb's form
		}
	}
	return tenses > 0 && (!simplePast || persons)
}

// Restored reports whether a word spelled as form without its accents (or
// with wrong ones) is read as form, among the other forms of its folded
// spelling. It is, unless form is, in every reading, a literary tense (see
// literaryTense), its folded spelling is also that of a form in common
// use, and it has a term that those forms do not have: "attentat" is the
// noun, not also the subjunctive "attentât" of "attenter" (which would
// join it to "attente", "il attente"), and "primes" is not "nous prîmes"
// of "prendre"; "attentât" written with its accent is still "attenter".
func (lex *Lexicon) Restored(form string) bool {
	if !lex.literary[form] {
		return true
	}
	k := fold.String(form)
	if k == form {
		return true
	}
	common := false
	var terms []string // of the forms in common use
	for _, g := range lex.byKey[k] {
		if !lex.literary[g] {
			common = true
			terms = append(terms, lex.Terms(g)...)
		}
	}
	if !common {
		return true
	}
	for _, t := range lex.Terms(form) {
		if !slices.Contains(terms, t) {
			return false
		}
	}
	return true // reading it changes nothing ("dût" and "dut", of "devoir")
}

// FoldStem is the analyzers' default term of a lower-case word: its
// Snowball stem, folded.
func FoldStem(w string) string { return fold.String(french.Stem(w, true)) }

// assignTerms gives each lemma its term: the lemma itself, in lower case,
// but for the spelling of the 1990 reform, which writes è where the older
// spelling writes é ("évènement", "événement"): such a lemma takes the
// term of its older spelling when the dictionary has it with a kind in
// common.
func (lex *Lexicon) assignTerms() {
	for _, l := range lex.lemmas {
		l.term = l.key
	}
	for _, l := range lex.lemmas {
		if !strings.Contains(l.key, "è") {
			continue
		}
		old, ok := lex.lemmas[strings.ReplaceAll(l.key, "è", "é")]
		if !ok || old == l {
			continue
		}
		for _, k := range l.kinds {
			if slices.Contains(old.kinds, k) {
				l.term = old.key
				break
			}
		}
	}
}

// Terms returns the terms of a lower-case form of the lexicon (nil for an
// unknown form): the terms of all its lemmas ("portes" gives "porte" and
// "porter"), except that
//
//   - a form of a lemma of the split table takes only that lemma's term
//     ("armées", also the participle of "armer", gives "armée");
//   - avoir and être join a form only when it has no other lemma ("avions"
//     gives "avion", not "avoir").
func (lex *Lexicon) Terms(form string) []string {
	if lex.terms != nil {
		return lex.terms[form]
	}
	return lex.readingTerms(form)
}

// readingTerms returns the terms of all the readings of form, before
// pruning.
func (lex *Lexicon) readingTerms(form string) []string {
	keys := lex.formLemmas[form]
	if len(keys) == 0 {
		return nil
	}
	for _, k := range keys {
		if _, ok := split[k]; ok {
			return []string{lex.lemmas[k].term}
		}
	}
	var all []string
	for _, k := range keys {
		if (k == "avoir" || k == "être") && len(keys) > 1 {
			continue
		}
		if t := lex.lemmas[k].term; !slices.Contains(all, t) {
			all = append(all, t)
		}
	}
	sort.Strings(all)
	return all
}

// prune removes the terms that change no match: a term t is dropped when
// every form that gives t also gives another term u (the noun "date" and
// the verb "dater": each form of the noun is also a form of the verb, so
// "date" and "dates" need only "dater"). Two words share a term after
// pruning exactly when they shared one before, with fewer terms per word.
// Terms are examined in sorted order, so of two terms given by the same
// forms, the first is dropped.
func (lex *Lexicon) prune() {
	lex.terms = nil
	terms := make(map[string][]string, len(lex.formLemmas))
	formsOf := map[string][]string{}
	for form := range lex.formLemmas {
		ts := lex.readingTerms(form)
		terms[form] = ts
		for _, t := range ts {
			formsOf[t] = append(formsOf[t], form)
		}
	}
	all := make([]string, 0, len(formsOf))
	for t := range formsOf {
		all = append(all, t)
	}
	sort.Strings(all)
	dead := map[string]bool{}
	for _, t := range all {
		forms := formsOf[t]
		var common []string // terms, other than t, given by every form of t
		for _, u := range terms[forms[0]] {
			if u != t && !dead[u] {
				common = append(common, u)
			}
		}
		for _, f := range forms[1:] {
			if len(common) == 0 {
				break
			}
			common = slices.DeleteFunc(common, func(u string) bool { return !slices.Contains(terms[f], u) })
		}
		if len(common) == 0 {
			continue
		}
		dead[t] = true
		for _, f := range forms {
			terms[f] = slices.DeleteFunc(slices.Clone(terms[f]), func(u string) bool { return u == t })
		}
	}
	lex.terms = terms
}

// ExactOnly reports whether the folded word key stands for its terms: all
// its forms have the same terms, and no form of another folded spelling
// has any of them ("notamment", "aujourd'hui", "prix"). The analyzers then
// give a word of that spelling its exact form as its only term, both for
// searching and for the index, instead of an exact form and a term that
// match the same words of the lexicon.
func (lex *Lexicon) ExactOnly(key string) bool { return lex.exactOnly[key] }

// findExactOnly computes the keys of ExactOnly.
func (lex *Lexicon) findExactOnly() {
	owner := map[string]string{} // term → the key of its forms, "" when several
	for form := range lex.formLemmas {
		k := fold.String(form)
		for _, t := range lex.Terms(form) {
			if o, ok := owner[t]; !ok {
				owner[t] = k
			} else if o != k {
				owner[t] = ""
			}
		}
	}
	lex.exactOnly = map[string]bool{}
	for k, forms := range lex.byKey {
		terms := lex.Terms(forms[0])
		ok := len(terms) > 0
		for _, f := range forms[1:] {
			ok = ok && slices.Equal(lex.Terms(f), terms)
		}
		for _, t := range terms {
			ok = ok && owner[t] == k
		}
		if ok {
			lex.exactOnly[k] = true
		}
	}
}

// Forms returns the lower-case forms of the lexicon, sorted.
func (lex *Lexicon) Forms() []string {
	forms := make([]string, 0, len(lex.formLemmas))
	for f := range lex.formLemmas {
		forms = append(forms, f)
	}
	sort.Strings(forms)
	return forms
}

// Lemmas returns the lemmas of a lower-case form.
func (lex *Lexicon) Lemmas(form string) []string { return lex.formLemmas[form] }

// Written returns how many keys the last Write wrote.
func (lex *Lexicon) Written() int { return lex.written }

// Len returns the number of forms and of lemmas.
func (lex *Lexicon) Len() (forms, lemmas int) { return len(lex.formLemmas), len(lex.lemmas) }

// Write writes the lexicon file that the analyzers embed to path.
func (lex *Lexicon) Write(path string) error {
	byKey := lex.byKey
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("lexgen: %w", err)
	}
	zw, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	w := bufio.NewWriter(zw)
	fmt.Fprintln(w, "# French lexicon of rapports: generated by analyzers/internal/lexgen from Dicollecte's French")
	fmt.Fprintln(w, "# dictionary (hunspell-fr-classical, MPL-2.0, see LEXICON-NOTICE). Do not edit.")
	for _, k := range keys {
		forms := byKey[k]
		var b strings.Builder
		needed := len(forms) > 1
		if lex.exactOnly[k] {
			b.WriteByte('!')
			needed = true
		}
		for i, form := range forms {
			if i > 0 {
				b.WriteByte(' ')
			}
			if !lex.Restored(form) {
				b.WriteByte('~')
			}
			if form != k {
				b.WriteString(form)
				needed = true
			}
			terms := lex.Terms(form)
			if len(terms) == 1 && terms[0] == FoldStem(form) {
				continue
			}
			needed = true
			for _, t := range terms {
				b.WriteByte('=')
				b.WriteString(t)
			}
		}
		if !needed {
			continue
		}
		lex.written++
		fmt.Fprintf(w, "%s\t%s\n", k, b.String())
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("lexgen: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("lexgen: %w", err)
	}
	return f.Close()
}
