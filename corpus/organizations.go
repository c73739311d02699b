package corpus

import (
	"bufio"
	_ "embed"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/rapports/rapports/internal/fold"
)

// organizationsTSV is the gazetteer of organisations. Each line is
//
//	code <TAB> name <TAB> acronyms <TAB> other names <TAB> English names <TAB> context <TAB> part of
//
// with "|" between forms; the header of the file gives the marks a form
// may carry. The name is the usual French name, the one OrganizationName
// returns; it is matched too unless written "~name".
//
//go:embed organizations.tsv
var organizationsTSV string

// Case rules of a word of an organisation's form.
const (
	caseAny      uint8 = iota // any case
	caseCapitals              // the form's capital letters must be capitals in the text
	caseExact                 // the text has the form's case, letter by letter
)

// orgWord is one word of a form.
type orgWord struct {
	key  string // folded
	form string // as written in the gazetteer, for the case rule
	rule uint8
}

// orgForm is one way of naming an organisation.
type orgForm struct {
	words []orgWord
	// plain has bit i set when the form's separator between words i and
	// i+1 holds no punctuation (spaces, a hyphen, an apostrophe): the
	// text's must hold none either ("France Travail", not "France,
	// travail").
	plain      uint64
	dotted     bool // an acronym written with dots: one letter a word, "." between
	noNumber   bool // "#": not before a number
	notForeign bool // "*": not before the name of a country other than France
	ambiguous  bool // "?": needs another form or a context word in the text
	code       string
}

// orgInfo is what the gazetteer knows of one organisation.
type orgInfo struct {
	name     string
	acronyms []string // unambiguous acronyms, as written
	names    []string // unambiguous names, as written, French then English
	context  []string // folded context words of its ambiguous forms
	parents  []string
}

// orgGazetteer matches folded word sequences to organisation codes.
type orgGazetteer struct {
	first map[string][]*orgForm // by folded first word, longest first
	// lists holds the forms of first, by the same key, as matchAt reads
	// them.
	lists map[string]*formList
	// maybe has the bit quickKey(w) set for every first word w.
	maybe firstWords
	orgs  map[string]*orgInfo
	codes []string // in file order
	// conflicts lists forms given to two codes (the first one is kept).
	conflicts []string
}

var (
	orgOnce sync.Once
	orgGaz  *orgGazetteer
)

func theOrganizations() *orgGazetteer {
	orgOnce.Do(func() {
		g, err := parseOrganizations(organizationsTSV)
		if err != nil {
			panic(fmt.Sprintf("corpus: embedded organizations.tsv: %v", err))
		}
		orgGaz = g
	})
	return orgGaz
}

// validOrgCode reports whether code is 1 to 24 of A-Z, 0-9 and "-",
// starting with a letter or digit.
func validOrgCode(code string) bool {
	if code == "" || len(code) > 24 || code[0] == '-' {
		return false
	}
	for i := 0; i < len(code); i++ {
		c := code[i]
		if !('A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// parseOrganizations reads the format described at organizationsTSV.
func parseOrganizations(data string) (*orgGazetteer, error) {
	g := &orgGazetteer{first: map[string][]*orgForm{}, orgs: map[string]*orgInfo{}}
	seen := map[string]string{} // form key → code
	sc := bufio.NewScanner(strings.NewReader(data))
	sc.Buffer(nil, 1<<20)
	var parents [][2]string // code, parent: checked at the end
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) < 2 || len(cols) > 7 {
			return nil, fmt.Errorf("line %d: want 2 to 7 columns separated by tabs (code, name, acronyms, other names, English names, context, part of), got %d", n, len(cols))
		}
		code := strings.TrimSpace(cols[0])
		block := code == "-"
		if !block && !validOrgCode(code) {
			return nil, fmt.Errorf("line %d: bad code %q (want A-Z, 0-9 and -)", n, code)
		}
		info := &orgInfo{}
		if !block {
			if _, dup := g.orgs[code]; dup {
				return nil, fmt.Errorf("line %d: code %s listed twice", n, code)
			}
			name := strings.TrimSpace(cols[1])
			info.name = strings.TrimLeft(strings.TrimRight(name, "~#*?"), "~!")
			if info.name == "" {
				return nil, fmt.Errorf("line %d: %s has no name", n, code)
			}
			g.orgs[code] = info
			g.codes = append(g.codes, code)
			if len(cols) > 5 {
				for _, w := range strings.Split(cols[5], "|") {
					if w = strings.TrimSpace(w); w != "" {
						info.context = append(info.context, fold.String(w))
					}
				}
			}
			if len(cols) > 6 {
				for _, p := range strings.Split(cols[6], "|") {
					if p = strings.TrimSpace(p); p != "" {
						parents = append(parents, [2]string{code, p})
						info.parents = append(info.parents, p)
					}
				}
			}
		}
		for c := 1; c < len(cols) && c <= 4; c++ {
			for _, f := range strings.Split(cols[c], "|") {
				f = strings.TrimSpace(f)
				if f == "" || block && f == "-" || c == 1 && strings.HasPrefix(f, "~") {
					continue
				}
				forms, text, acronym, unsearched, err := parseOrgForm(f, c == 2)
				if err != nil {
					return nil, fmt.Errorf("line %d: %w", n, err)
				}
				for _, of := range forms {
					of.code = code
					key := formKey(of)
					if prev, ok := seen[key]; ok {
						if c := fmt.Sprintf("%q: %s and %s", f, prev, code); prev != code && !slices.Contains(g.conflicts, c) {
							g.conflicts = append(g.conflicts, c)
						}
						continue
					}
					seen[key] = code
					g.first[of.words[0].key] = append(g.first[of.words[0].key], of)
				}
				if block || forms[0].ambiguous || unsearched {
					continue
				}
				list := &info.names
				if acronym {
					list = &info.acronyms
				}
				if !slices.ContainsFunc(info.acronyms, func(s string) bool { return fold.String(s) == fold.String(text) }) &&
					!slices.ContainsFunc(info.names, func(s string) bool { return fold.String(s) == fold.String(text) }) {
					*list = append(*list, text)
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for _, p := range parents {
		if _, ok := g.orgs[p[1]]; !ok || p[1] == p[0] {
			return nil, fmt.Errorf("%s is part of %q, which is not another code of the file", p[0], p[1])
		}
	}
	g.lists = make(map[string]*formList, len(g.first))
	for k, fs := range g.first {
		g.maybe.add(k)
		sort.SliceStable(fs, func(i, j int) bool {
			if len(fs[i].words) != len(fs[j].words) {
				return len(fs[i].words) > len(fs[j].words)
			}
			// A form in exact case is tried before one in any case.
			return fs[i].words[0].rule > fs[j].words[0].rule
		})
		g.lists[k] = newFormList(fs)
	}
	return g, nil
}

// formList is the forms of one first word, longest first, with what lets
// matchAt pass over those that cannot match: the first word of the text
// that has no capital when they all need one, and those whose second word
// is not the text's. Leaving out forms that cannot match keeps the first
// one that does: the same match.
type formList struct {
	forms []*orgForm
	// upper: every form needs the text's word to start with a capital
	// (needsUpper).
	upper bool
	// second, for a list with forms of several words, holds the forms by
	// the key of their second word, each list with the one-word forms in
	// their place; single holds the one-word forms, for a text whose
	// second word is none of those.
	second map[string][]*orgForm
	single []*orgForm
}

// minSecond is the fewest forms that a formList sorts by second word.
const minSecond = 4

func newFormList(fs []*orgForm) *formList {
	l := &formList{forms: fs, upper: true}
	for _, f := range fs {
		l.upper = l.upper && needsUpper(f.words[0])
	}
	if len(fs) < minSecond {
		return l
	}
	l.second = map[string][]*orgForm{}
	for _, f := range fs {
		if len(f.words) == 1 {
			l.single = append(l.single, f)
			for k, list := range l.second {
				l.second[k] = append(list, f)
			}
			continue
		}
		k := f.words[1].key
		if _, ok := l.second[k]; !ok {
			l.second[k] = slices.Clone(l.single) // the one-word forms sort after: none yet
		}
		l.second[k] = append(l.second[k], f)
	}
	return l
}

// needsUpper reports whether caseOK(ow, w) needs w to start with a capital
// letter: ow's case rule is not caseAny and its form starts with one.
func needsUpper(ow orgWord) bool {
	return ow.rule != caseAny && startsUpper(ow.form)
}

// formKey identifies a form for the conflict check: its folded words, and
// the exact case of the words that need it.
func formKey(f *orgForm) string {
	var b strings.Builder
	for i, w := range f.words {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w.key)
		if w.rule == caseExact {
			b.WriteString("=" + w.form)
		}
	}
	if f.dotted {
		b.WriteString(" (dots)")
	}
	return b.String()
}

// parseOrgForm parses one form with its marks, and returns it with its
// dotted variant for an acronym, the form without marks, and whether it is
// an acronym (in the acronyms column, or one word in capitals), and
// whether searches leave it out.
func parseOrgForm(f string, acronymColumn bool) (forms []*orgForm, text string, acronym, unsearched bool, err error) {
	cased := strings.HasPrefix(f, "!")
	f = strings.TrimPrefix(f, "!")
	of := &orgForm{}
	noDots := false
	for f != "" {
		switch f[len(f)-1] {
		case '~':
			noDots = true
		case '#':
			of.noNumber = true
		case '*':
			of.notForeign = true
		case '?':
			of.ambiguous = true
		case '^':
			unsearched = true
		default:
			goto marksDone
		}
		f = strings.TrimSpace(f[:len(f)-1])
	}
marksDone:
	text = f
	var seps []string
	prevEnd := -1
	for i := 0; ; {
		start, end, _ := nextWord(f, i)
		if start < 0 {
			break
		}
		if prevEnd >= 0 {
			seps = append(seps, f[prevEnd:start])
		}
		w := f[start:end]
		of.words = append(of.words, orgWord{key: fold.String(w), form: w})
		prevEnd, i = end, end
	}
	if len(of.words) == 0 || len(of.words) > maxOrgWords {
		return nil, "", false, false, fmt.Errorf("bad form %q: want 1 to %d words", f, maxOrgWords)
	}
	for i, s := range seps {
		if isPlainSep(s) {
			of.plain |= 1 << i
		}
	}
	acronym = acronymColumn || len(of.words) == 1 && isCapitals(of.words[0].form)
	for i := range of.words {
		switch {
		case cased && acronym:
			of.words[i].rule = caseExact
		case cased:
			of.words[i].rule = caseCapitals
		}
	}
	forms = []*orgForm{of}
	if w := of.words[0].form; acronym && !noDots && len(of.words) == 1 && isCapitals(w) && isASCIILetters(w) && len(w) >= 2 && len(w) <= 6 {
		d := *of
		d.dotted, d.plain, d.words = true, 0, nil
		for _, c := range w {
			d.words = append(d.words, orgWord{key: strings.ToLower(string(c)), form: string(c), rule: caseCapitals})
		}
		forms = append(forms, &d)
	}
	return forms, text, acronym, unsearched, nil
}

// isCapitals reports whether w has at least two letters and no lowercase
// letter ("ONU", "G20", "CDU-CSU" word by word).
func isCapitals(w string) bool {
	letters := 0
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 2
}

func isASCIILetters(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i]; !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z') {
			return false
		}
	}
	return true
}

// isPlainSep reports whether the text between two words holds only
// spaces, hyphens and apostrophes (no punctuation that ends a name).
func isPlainSep(s string) bool {
	for _, r := range s {
		switch {
		case unicode.IsSpace(r), r == '-', r == '\u2011', r == '\'', r == '’', r == '‘', r == 'ʼ':
		default:
			return false
		}
	}
	return true
}

// caseOK reports whether the text word w follows the case rule of ow.
func caseOK(ow orgWord, w string) bool {
	switch ow.rule {
	case caseAny:
		return true
	case caseExact:
		if utf8.RuneCountInString(w) != utf8.RuneCountInString(ow.form) {
			return false
		}
		for i, j := 0, 0; i < len(w); {
			r, n := decodeRune(w, i)
			fr, m := decodeRune(ow.form, j)
			if isUpper(r) != isUpper(fr) {
				return false
			}
			i, j = i+n, j+m
		}
		return true
	}
	if utf8.RuneCountInString(w) != utf8.RuneCountInString(ow.form) {
		return !startsUpper(ow.form) || startsUpper(w)
	}
	for i, j := 0, 0; i < len(w); {
		r, n := decodeRune(w, i)
		fr, m := decodeRune(ow.form, j)
		if isUpper(fr) && !isUpper(r) {
			return false
		}
		i, j = i+n, j+m
	}
	return true
}

// decodeRune returns the rune of s at i and its size, as ranging over s
// (or converting it to []rune) reads it.
func decodeRune(s string, i int) (rune, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

// isUpper is unicode.IsUpper, quick for ASCII.
func isUpper(r rune) bool {
	if r < utf8.RuneSelf {
		return 'A' <= r && r <= 'Z'
	}
	return unicode.IsUpper(r)
}

// maxOrgWords bounds the words of a form.
const maxOrgWords = 20

// orgMatch is one mention found in a text.
type orgMatch struct {
	code      string
	ambiguous bool
}

// FindOrganizations returns the organisations named in text, as codes of
// the gazetteer (organizations.tsv) in order of first mention, and how
// many times each is named. Forms are matched on lowercased, accent-folded
// words ("Organisation mondiale de la santé", "ORGANISATION MONDIALE DE LA
// SANTE" and "OMS" all give OMS), with dots for acronyms ("O.N.U."); the
// longest match wins ("Conseil de sécurité de l'ONU" is ONU-CS, which also
// counts ONU, of which it is part). Acronyms whose lower case is a common
// word only match in capitals ("UE", not "ue"); ambiguous forms ("PS",
// "AI", "Wagner") only count when the text also names the organisation
// otherwise or holds one of its context words ("socialiste", "Amnesty",
// "mercenaires"); "P.S." is a postscript, "RN 7" a road and the "ministère
// de la Défense russe" not the French one.
func FindOrganizations(text string) (codes []string, counts []int) {
	return findOrganizations(text)
}

// findOrganizations is FindOrganizations over several texts of one report
// (its title and its body), whose context is shared.
func findOrganizations(texts ...string) (codes []string, counts []int) {
	_, _, codes, counts = findNames(texts, false, true)
	return codes, counts
}

// orgCounts returns the organisations of the matches found in texts, as
// FindOrganizations does: the ambiguous ones resolved, each counted with
// the organisations it is part of.
func (g *orgGazetteer) orgCounts(matches []orgMatch, ambiguous bool, texts []string) (codes []string, counts []int) {
	if ambiguous {
		matches = g.resolve(matches, texts)
	}
	add := func(code string) {
		if j := slices.Index(codes, code); j >= 0 {
			counts[j]++
			return
		}
		codes, counts = append(codes, code), append(counts, 1)
	}
	for _, m := range matches {
		add(m.code)
		for _, p := range g.orgs[m.code].parents {
			add(p)
		}
	}
	return codes, counts
}

// resolve drops the ambiguous matches of organisations that the texts
// name by no other form and whose context words they do not hold.
func (g *orgGazetteer) resolve(matches []orgMatch, texts []string) []orgMatch {
	sure := map[string]bool{}
	for _, m := range matches {
		if !m.ambiguous {
			sure[m.code] = true
		}
	}
	var words map[string]bool // folded words of the texts, read when needed
	keep := matches[:0]
	for _, m := range matches {
		if m.ambiguous && !sure[m.code] {
			if words == nil {
				words = map[string]bool{}
				for _, text := range texts {
					for i := 0; ; {
						s, e, _ := nextWord(text, i)
						if s < 0 {
							break
						}
						words[fold.String(text[s:e])] = true
						i = e
					}
				}
			}
			if !slices.ContainsFunc(g.orgs[m.code].context, func(w string) bool { return words[w] }) {
				continue
			}
			sure[m.code] = true
		}
		keep = append(keep, m)
	}
	return keep
}

// matchAt returns the longest form of fl that matches the text from its
// word text[start:end], and the end of its last word; with wantEnd ≥ 0,
// only a form that ends there. f is nil when none matches.
func (g *orgGazetteer) matchAt(text string, start, end int, fl *formList, wantEnd int) (f *orgForm, last int) {
	upper := startsUpper(text[start:end])
	if fl.upper && !upper {
		return nil, 0
	}
	var next [maxOrgWords]follower
	next[0] = follower{start: start, end: end}
	n, scanned := 1, end
	var bufs [maxOrgWords][32]byte // the folded keys of next
	// word returns word k of a candidate (0 is the first), reading it when
	// needed.
	word := func(k int) (follower, bool) {
		for n <= k {
			s, e, ascii := nextWord(text, scanned)
			if s < 0 || n == maxOrgWords {
				return follower{}, false
			}
			next[n] = follower{s, e, folded(text, s, e, ascii, &bufs[n])}
			n++
			scanned = e
		}
		return next[k], true
	}
	fs := fl.forms
	if fl.second != nil {
		fs = fl.single
		if w, ok := word(1); ok {
			if l, ok := fl.second[w.key]; ok {
				fs = l
			}
		}
	}
candidates:
	for _, f := range fs {
		prev := next[0]
		if !upper && needsUpper(f.words[0]) || !caseOK(f.words[0], text[prev.start:prev.end]) {
			continue
		}
		for k := 1; k < len(f.words); k++ {
			w, ok := word(k)
			if !ok || w.key != f.words[k].key {
				continue candidates
			}
			sep := text[prev.end:w.start]
			switch {
			case f.dotted && sep != ".":
				continue candidates
			case !f.dotted && f.plain&(1<<(k-1)) != 0 && !isPlainSep(sep):
				continue candidates
			}
			if !caseOK(f.words[k], text[w.start:w.end]) {
				continue candidates
			}
			prev = w
		}
		if wantEnd >= 0 && prev.end != wantEnd {
			continue
		}
		rest := text[prev.end:]
		if f.dotted && len(rest) >= 2 && rest[0] == '.' && rest[1] < utf8.RuneSelf && asciiWord[rest[1]] {
			continue // "U.E.O." is not "U.E."
		}
		if f.noNumber && beforeNumber(rest) {
			continue
		}
		if f.notForeign && beforeForeignCountry(rest) {
			continue
		}
		return f, prev.end
	}
	return nil, 0
}

// beforeNumber reports whether s starts with spaces then a digit.
func beforeNumber(s string) bool {
	t := strings.TrimLeftFunc(s, unicode.IsSpace)
	return len(t) < len(s) && t != "" && '0' <= t[0] && t[0] <= '9'
}

// beforeForeignCountry reports whether s starts with a plain separator and
// then a country name or adjective other than France ("russe", "d'Israël",
// "du Mali").
func beforeForeignCountry(s string) bool {
	start, end, _ := nextWord(s, 0)
	if start <= 0 || !isPlainSep(s[:start]) {
		return false
	}
	switch fold.String(s[start:end]) {
	case "de", "du", "des", "d":
		if s2, e2, _ := nextWord(s, end); s2 > 0 && isPlainSep(s[end:s2]) {
			end = e2
		}
	}
	codes, _ := FindCountries(s[start:end])
	return slices.ContainsFunc(codes, func(c string) bool { return c != "FR" })
}

// OrganizationNamed returns the code of the organisation that text names
// as a whole ("ONU", "o.n.u.", "Nations unies", "WHO"), with the case
// rules of FindOrganizations ("UE" names the Union européenne, "ue" does
// not); ambiguous forms ("PS", "Wagner") name none. ok is false when text
// is not one of the gazetteer's forms.
func OrganizationNamed(text string) (code string, ok bool) {
	g := theOrganizations()
	start, end, ascii := nextWord(text, 0)
	if start < 0 {
		return "", false
	}
	last := end
	for i := end; ; {
		s, e, _ := nextWord(text, i)
		if s < 0 {
			break
		}
		last, i = e, e
	}
	var buf [32]byte
	fl := g.lists[folded(text, start, end, ascii, &buf)]
	if fl == nil {
		return "", false
	}
	f, _ := g.matchAt(text, start, end, fl, last)
	if f == nil || f.code == "-" || f.ambiguous {
		return "", false
	}
	return f.code, true
}

// OrganizationForms returns the names and acronyms under which code is
// searched, as the gazetteer writes them, without its ambiguous forms and
// dotted acronyms (the analyzers read "O.N.U." as "ONU"): for ONU,
// "Organisation des Nations unies", "Nations unies", ..., "United
// Nations", then "ONU". It returns nil for an unknown code.
func OrganizationForms(code string) []string {
	info := theOrganizations().orgs[code]
	if info == nil {
		return nil
	}
	return append(slices.Clone(info.names), info.acronyms...)
}

// OrganizationName returns the French name of an organisation's code
// ("OTAN" gives "Organisation du traité de l'Atlantique nord"), or "" if
// code is unknown.
func OrganizationName(code string) string {
	if info := theOrganizations().orgs[code]; info != nil {
		return info.name
	}
	return ""
}

// OrganizationAcronym returns the first acronym of an organisation
// ("OTAN"), or its name when it has none.
func OrganizationAcronym(code string) string {
	info := theOrganizations().orgs[code]
	switch {
	case info == nil:
		return ""
	case len(info.acronyms) > 0:
		return info.acronyms[0]
	}
	return info.name
}

// IsOrganization reports whether code is a code of the gazetteer of
// organisations (in uppercase).
func IsOrganization(code string) bool {
	_, ok := theOrganizations().orgs[code]
	return ok
}

// OrganizationCodes returns every code of the gazetteer of organisations,
// in its file order.
func OrganizationCodes() []string {
	return slices.Clone(theOrganizations().codes)
}
