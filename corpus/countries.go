package corpus

import (
	"bufio"
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/rapports/rapports/internal/fold"
)

// countriesTSV is the gazetteer. Each line is
//
//	code <TAB> name <TAB> other names <TAB> adjectives <TAB> places
//
// with "|" between forms. The name is the usual short French name, the one
// CountryName returns; it is matched too unless written "~name". Other
// names include long names and alternatives. Adjectives are written in the
// masculine singular and expanded to the four forms by French rules
// ("israélien" gives israélienne, israéliens, israéliennes); a form with
// "/" lists its forms instead ("grec/grecque/grecs/grecques"). Places
// stand for the country (capitals, seats of government). A form written
// "!Form" only matches when its capitalized words are capitalized in the
// text ("!La Réunion" is not "la réunion"). Lines with code "-" list
// phrases that name no country but would otherwise contain one ("océan
// Indien"): the longest match wins, so they hide the shorter one.
//
//go:embed countries.tsv
var countriesTSV string

// entry is one gazetteer form after its first word.
type entry struct {
	rest []string // folded words after the first
	caps uint64   // bit i: word i must be capitalized in the text
	code string   // "-" for a blocking phrase
}

// gazetteer matches folded word sequences to country codes.
type gazetteer struct {
	first map[string][]entry // by folded first word, longest first
	names map[string]string  // code → French name
	codes []string           // codes in file order
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
			cased := strings.HasPrefix(f, "!")
			f = strings.TrimPrefix(f, "!")
			toks := tokenize(f, nil)
			if len(toks) == 0 || len(toks) > 64 {
				return nil, fmt.Errorf("line %d: bad form %q", n, f)
			}
			key := joinKeys(toks)
			if prev, ok := seen[key]; ok {
				if prev != code {
					g.conflicts = append(g.conflicts, fmt.Sprintf("%q: %s and %s", f, prev, code))
				}
				continue
			}
			seen[key] = code
			e := entry{code: code}
			for i, t := range toks {
				if i > 0 {
					e.rest = append(e.rest, t.key)
				}
				if cased && t.upper {
					e.caps |= 1 << i
				}
			}
			g.first[toks[0].key] = append(g.first[toks[0].key], e)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for k, es := range g.first {
		sort.SliceStable(es, func(i, j int) bool { return len(es[i].rest) > len(es[j].rest) })
		g.first[k] = es
	}
	return g, nil
}

func joinKeys(toks []token) string {
	keys := make([]string, len(toks))
	for i, t := range toks {
		keys[i] = t.key
	}
	return strings.Join(keys, " ")
}

// adjectiveForms expands a masculine singular adjective (or demonym) to
// its four forms; "a/b/c" lists the forms instead.
func adjectiveForms(m string) []string {
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

// token is a folded word of a text.
type token struct {
	key   string // lowercased, accent-folded
	upper bool   // the word starts with a capital in the text
}

// tokenize appends the words of text to toks: runs of letters, digits and
// combining marks; apostrophes, hyphens and other signs separate words.
func tokenize(text string, toks []token) []token {
	for i := 0; i < len(text); {
		start := i
		ascii, lower, upper := true, true, false
		for i < len(text) {
			c := text[i]
			if c < utf8.RuneSelf {
				switch {
				case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				case 'A' <= c && c <= 'Z':
					lower = false
					if i == start {
						upper = true
					}
				default:
					goto end
				}
				i++
				continue
			}
			r, size := utf8.DecodeRuneInString(text[i:])
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) {
				break
			}
			if i == start && unicode.IsUpper(r) {
				upper = true
			}
			ascii = false
			i += size
		}
	end:
		if i == start {
			if text[i] < utf8.RuneSelf {
				i++
			} else {
				_, size := utf8.DecodeRuneInString(text[i:])
				i += size
			}
			continue
		}
		w := text[start:i]
		if !ascii || !lower {
			w = fold.String(w)
		}
		toks = append(toks, token{key: w, upper: upper})
	}
	return toks
}

var tokenPool = sync.Pool{New: func() any { s := make([]token, 0, 1024); return &s }}

// FindCountries returns the countries named in text, as ISO 3166-1
// alpha-2 codes in order of first mention, and how many times each is
// named. Names, adjectives and places of the gazetteer (countries.tsv) are
// matched on lowercased, accent-folded words, so "Israël", "ISRAEL" and
// "israélienne" all give IL; the longest match wins ("Guinée-Bissau" is GW,
// not GN).
func FindCountries(text string) (codes []string, counts []int) {
	g := theGazetteer()
	p := tokenPool.Get().(*[]token)
	toks := tokenize(text, (*p)[:0])
	for i := 0; i < len(toks); {
		n, code := g.match(toks, i)
		if n == 0 {
			i++
			continue
		}
		i += n
		if code == "-" {
			continue
		}
		found := false
		for j, c := range codes {
			if c == code {
				counts[j]++
				found = true
				break
			}
		}
		if !found {
			codes = append(codes, code)
			counts = append(counts, 1)
		}
	}
	clear(toks)
	*p = toks[:0]
	tokenPool.Put(p)
	return codes, counts
}

// match returns the number of words and the code of the longest form
// starting at toks[i], or 0.
func (g *gazetteer) match(toks []token, i int) (int, string) {
	es, ok := g.first[toks[i].key]
	if !ok {
		return 0, ""
	}
next:
	for _, e := range es {
		if i+1+len(e.rest) > len(toks) {
			continue
		}
		for k, w := range e.rest {
			if toks[i+1+k].key != w {
				continue next
			}
		}
		if e.caps != 0 {
			for k := 0; k <= len(e.rest); k++ {
				if e.caps&(1<<k) != 0 && !toks[i+k].upper {
					continue next
				}
			}
		}
		return 1 + len(e.rest), e.code
	}
	return 0, ""
}

// CountryName returns the usual short French name of an ISO 3166-1
// alpha-2 code ("IL" gives "Israël"), or "" if code is unknown.
func CountryName(code string) string {
	return theGazetteer().names[code]
}

// IsCountry reports whether code is an ISO 3166-1 alpha-2 code (in
// uppercase) of the gazetteer.
func IsCountry(code string) bool {
	_, ok := theGazetteer().names[code]
	return ok
}

// CountryCodes returns every ISO 3166-1 alpha-2 code of the gazetteer, in
// its file order.
func CountryCodes() []string {
	return append([]string(nil), theGazetteer().codes...)
}
