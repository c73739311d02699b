package corpus

import (
	"bufio"
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/rapports/rapports/internal/fold"
)

// This file reads the gazetteer; countries.go matches it against text.

// countriesTSV is the gazetteer. Each line is
//
//	code <TAB> name <TAB> other names <TAB> adjectives <TAB> places
//
// with "|" between forms. The name is the usual short French name, the one
// CountryName returns; it is matched too unless written "~name". Other
// names include long names and alternatives. Adjectives are written in the
// masculine singular and expanded to the four forms by French rules
// ("israélien" gives israélienne, israéliens, israéliennes); a form with
// "/" lists its forms instead ("grec/grecque/grecs/grecques"), and a
// single form ending with "/" is the first part of a compound
// ("franco/"): it only matches when a hyphen follows it in the text
// ("franco-allemand", not "Franco Bowanee" nor "le général Franco"). Places
// stand for the country (capitals, seats of government). A form written
// "!Form" only matches when its capitalized words are capitalized in the
// text ("!La Réunion" is not "la réunion"); a form written "=Form" only
// matches when its hyphens are hyphens in the text ("=Saint-Martin-de" is
// not "Saint-Martin, de"). Lines with code "-" list phrases that name no
// country but would otherwise contain one ("océan Indien"): the longest
// match wins, so they hide the shorter one.
//
//go:embed countries.tsv
var countriesTSV string

// entry is one gazetteer form, found by its key word: the first word that
// is not a common short word ("la", "l", "sud"...), so that the common
// words of a text are rejected quickly.
type entry struct {
	prev []string // folded words before the key word, nearest first
	rest []string // folded words after the key word
	caps uint64   // bit i: word i of the form must be capitalized
	hyph uint64   // bit i: words i and i+1 must be joined by a hyphen
	// joined: a hyphen must follow the last word (the first part of a
	// compound adjective, "franco-").
	joined bool
	code   string // "-" for a blocking phrase
}

// gazetteer matches folded word sequences to country codes.
type gazetteer struct {
	first map[string][]entry // by folded key word, longest first
	// maybe has the bit quickKey(w) set for every first word w: most
	// words of a text are rejected without a map lookup.
	maybe firstWords
	names map[string]string // code → French name
	codes []string          // codes in file order
	// conflicts lists forms given to two codes (the first one is kept).
	conflicts []string
}

var (
	gazOnce sync.Once
	gaz     *gazetteer
)

func theGazetteer() *gazetteer {
	gazOnce.Do(func() {
		g, err := parseGazetteer(countriesTSV)
		if err != nil {
			panic(fmt.Sprintf("corpus: embedded countries.tsv: %v", err))
		}
		gaz = g
	})
	return gaz
}

// parseGazetteer reads the gazetteer format described at countriesTSV.
func parseGazetteer(data string) (*gazetteer, error) {
	g := &gazetteer{first: map[string][]entry{}, names: map[string]string{}}
	seen := map[string]string{} // folded form → code
	sc := bufio.NewScanner(strings.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) < 2 {
			return nil, fmt.Errorf("line %d: want code, name, names, adjectives, places separated by tabs", n)
		}
		code := strings.TrimSpace(cols[0])
		if code != "-" && (len(code) != 2 || strings.ToUpper(code) != code) {
			return nil, fmt.Errorf("line %d: bad code %q", n, code)
		}
		var forms []string
		name := strings.TrimSpace(cols[1])
		if code != "-" {
			if _, dup := g.names[code]; dup {
				return nil, fmt.Errorf("line %d: code %s listed twice", n, code)
			}
			g.names[code] = strings.TrimLeft(name, "~!")
			g.codes = append(g.codes, code)
		}
		if !strings.HasPrefix(name, "~") && name != "-" {
			forms = append(forms, name)
		}
		for i := 2; i < len(cols); i++ {
			for _, f := range strings.Split(cols[i], "|") {
				f = strings.TrimSpace(f)
				if f == "" {
					continue
				}
				if i == 3 {
					forms = append(forms, adjectiveForms(f)...)
				} else {
					forms = append(forms, f)
				}
			}
		}
		for _, f := range forms {
			cased, hyphens, joined := false, false, false
			if strings.HasSuffix(f, "-") {
				joined, f = true, strings.TrimSuffix(f, "-")
			}
			for f != "" && (f[0] == '!' || f[0] == '=') {
				cased = cased || f[0] == '!'
				hyphens = hyphens || f[0] == '='
				f = f[1:]
			}
			toks := tokenize(f, nil)
			if len(toks) == 0 || len(toks) > maxLook {
				return nil, fmt.Errorf("line %d: bad form %q", n, f)
			}
			key := joinKeys(toks)
			if joined {
				key += "-" // "mexico-" does not hide the place "Mexico"
			}
			if prev, ok := seen[key]; ok {
				if prev != code {
					g.conflicts = append(g.conflicts, fmt.Sprintf("%q: %s and %s", f, prev, code))
				}
				continue
			}
			seen[key] = code
			e := entry{code: code, joined: joined}
			at := 0
			for at < len(toks)-1 && commonWords[toks[at].key] {
				at++
			}
			for i, t := range toks {
				switch {
				case i < at:
					e.prev = append([]string{t.key}, e.prev...)
				case i > at:
					e.rest = append(e.rest, t.key)
				}
				if cased && t.upper {
					e.caps |= 1 << i
				}
			}
			if hyphens {
				e.hyph = hyphenMask(f)
			}
			g.first[toks[at].key] = append(g.first[toks[at].key], e)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for k, es := range g.first {
		g.maybe.add(k)
		sort.SliceStable(es, func(i, j int) bool {
			return len(es[i].prev)+len(es[i].rest) > len(es[j].prev)+len(es[j].rest)
		})
		g.first[k] = es
	}
	return g, nil
}

// hyphenMask returns the bits i such that words i and i+1 of form are
// joined by a hyphen.
func hyphenMask(form string) uint64 {
	var mask uint64
	prevEnd := -1
	for i, k := 0, 0; k < 64; k++ {
		start, end, _ := nextWord(form, i)
		if start < 0 {
			break
		}
		if prevEnd >= 0 && isHyphen(form[prevEnd:start]) {
			mask |= 1 << (k - 1)
		}
		prevEnd, i = end, end
	}
	return mask
}

// commonWords are frequent words that never key a form: a form starting
// with them ("la Réunion", "l'Hexagone", "sud-coréen") is found by its
// next word, then its first words are checked backwards.
var commonWords = map[string]bool{
	"l": true, "la": true, "le": true, "les": true, "d": true, "de": true,
	"du": true, "des": true, "n": true, "a": true, "e": true, "r": true,
	"s": true, "est": true, "et": true, "en": true, "au": true, "aux": true,
	"sud": true, "nord": true, "el": true, "san": true, "new": true, "the": true,
}

func joinKeys(toks []token) string {
	keys := make([]string, len(toks))
	for i, t := range toks {
		keys[i] = t.key
	}
	return strings.Join(keys, " ")
}

// adjectiveForms expands a masculine singular adjective (or demonym) to
// its four forms; "a/b/c" lists the forms instead, and "a/" gives "a-",
// the first part of a compound, which must be followed by a hyphen.
func adjectiveForms(m string) []string {
	if p, ok := strings.CutSuffix(m, "/"); ok && p != "" && !strings.Contains(p, "/") {
		return []string{strings.TrimSpace(p) + "-"}
	}
	if strings.Contains(m, "/") {
		var out []string
		for _, f := range strings.Split(m, "/") {
			if f = strings.TrimSpace(f); f != "" {
				out = append(out, f)
			}
		}
		return out
	}
	cased := strings.HasPrefix(m, "!")
	m = strings.TrimPrefix(m, "!")
	f := fold.String(m)
	var forms []string
	switch {
	case strings.HasSuffix(f, "e"):
		forms = []string{m, m + "s"}
	case strings.HasSuffix(f, "s"), strings.HasSuffix(f, "x"):
		forms = []string{m, m + "e", m + "es"}
	case strings.HasSuffix(f, "en"), strings.HasSuffix(f, "on"):
		forms = []string{m, m + "ne", m + "s", m + "nes"}
	default:
		forms = []string{m, m + "e", m + "s", m + "es"}
	}
	if cased {
		for i := range forms {
			forms[i] = "!" + forms[i]
		}
	}
	return forms
}

// token is a folded word with its capitalization, as the gazetteer stores
// its forms.
type token struct {
	key   string
	upper bool
}

// tokenize splits a gazetteer form into folded words.
func tokenize(form string, toks []token) []token {
	var buf [32]byte
	for i := 0; ; {
		start, end, ascii := nextWord(form, i)
		if start < 0 {
			return toks
		}
		k := strings.Clone(folded(form, start, end, ascii, &buf))
		if k != "" {
			toks = append(toks, token{key: k, upper: startsUpper(form[start:])})
		}
		i = end
	}
}
