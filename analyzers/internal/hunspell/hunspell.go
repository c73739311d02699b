// Package hunspell reads a Hunspell dictionary (.aff and .dic files) of
// the kind Dicollecte and Grammalecte publish for French, and expands its
// entries into the forms they stand for, each with its entry (the lemma)
// and the entry's parts of speech. It reads what the French dictionary
// uses: "FLAG long" two-character flags, suffix rules with conditions and
// continuation flags, NEEDAFFIX and FORBIDDENWORD. Prefix rules, which the
// French dictionary uses for elided articles and unit prefixes, are not
// applied: elision is the analyzers' job.
package hunspell

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Form is one word form of a dictionary entry.
type Form struct {
	Word  string   // the form, as the dictionary writes it ("armées")
	Lemma string   // the entry it comes from ("armée", "armer")
	POS   []string // the entry's parts of speech ("nom", "adj", "v1_it_q__a"...)
	// Tags are the morphological fields of the suffix rule that made the
	// form, without "po:" (a verb's tense and person: "simp", "3sg"); nil
	// for the entry itself.
	Tags []string
}

// suffix is one suffix rule.
type suffix struct {
	strip, add string
	cond       []charClass // matched against the end of the word
	tags       []string    // the rule's "po:" fields, without "po:"
}

type charClass struct {
	any    bool
	negate bool
	runes  string
}

func (c charClass) match(r rune) bool {
	if c.any {
		return true
	}
	return strings.ContainsRune(c.runes, r) != c.negate
}

// Affixes holds the suffix rules and special flags of an .aff file.
type Affixes struct {
	long                 bool
	suffixes             map[string][]suffix
	needAffix, forbidden string
}

// ReadAffixes parses an .aff file.
func ReadAffixes(r io.Reader) (*Affixes, error) {
	a := &Affixes{suffixes: map[string][]suffix{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		f := strings.Fields(sc.Text())
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		switch f[0] {
		case "FLAG":
			if len(f) > 1 && f[1] == "long" {
				a.long = true
			} else if len(f) > 1 {
				return nil, fmt.Errorf("hunspell: aff line %d: FLAG %s not supported", line, f[1])
			}
		case "NEEDAFFIX":
			if len(f) > 1 {
				a.needAffix = f[1]
			}
		case "FORBIDDENWORD":
			if len(f) > 1 {
				a.forbidden = f[1]
			}
		case "SFX":
			if len(f) == 4 {
				if _, err := strconv.Atoi(f[3]); err == nil {
					continue // header: flag, cross product, count
				}
			}
			if len(f) < 5 {
				return nil, fmt.Errorf("hunspell: aff line %d: short SFX rule %q", line, sc.Text())
			}
			s := suffix{strip: f[2], add: f[3]}
			if s.strip == "0" {
				s.strip = ""
			}
			if i := strings.IndexByte(s.add, '/'); i >= 0 {
				s.add = s.add[:i] // continuation flags: elision prefixes
			}
			if s.add == "0" {
				s.add = ""
			}
			cond, err := parseCondition(f[4])
			if err != nil {
				return nil, fmt.Errorf("hunspell: aff line %d: %w", line, err)
			}
			s.cond = cond
			for _, m := range f[5:] {
				if t, ok := strings.CutPrefix(m, "po:"); ok {
					s.tags = append(s.tags, t)
				}
			}
			a.suffixes[f[1]] = append(a.suffixes[f[1]], s)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("hunspell: reading aff: %w", err)
	}
	return a, nil
}

func parseCondition(s string) ([]charClass, error) {
	if s == "." {
		return nil, nil
	}
	var out []charClass
	for i := 0; i < len(s); {
		switch s[i] {
		case '.':
			out = append(out, charClass{any: true})
			i++
		case '[':
			j := strings.IndexByte(s[i:], ']')
			if j < 0 {
				return nil, fmt.Errorf("condition %q: unclosed [", s)
			}
			body := s[i+1 : i+j]
			c := charClass{}
			if strings.HasPrefix(body, "^") {
				c.negate, body = true, body[1:]
			}
			c.runes = body
			out = append(out, c)
			i += j + 1
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			out = append(out, charClass{runes: string(r)})
			i += size
		}
	}
	return out, nil
}

// matches reports whether word ends with what cond describes.
func matches(word string, cond []charClass) bool {
	rs := []rune(word)
	if len(cond) > len(rs) {
		return false
	}
	tail := rs[len(rs)-len(cond):]
	for i, c := range cond {
		if !c.match(tail[i]) {
			return false
		}
	}
	return true
}

// splitFlags splits a flag string into flags.
func (a *Affixes) splitFlags(s string) []string {
	rs := []rune(s)
	if !a.long {
		out := make([]string, len(rs))
		for i, r := range rs {
			out[i] = string(r)
		}
		return out
	}
	var out []string
	for i := 0; i+1 < len(rs); i += 2 {
		out = append(out, string(rs[i:i+2]))
	}
	return out
}

// Expand reads a .dic file and calls fn with every form of every entry, in
// the order of the file. Forbidden entries give nothing; an entry that
// needs an affix gives only its suffixed forms.
func (a *Affixes) Expand(r io.Reader, fn func(Form)) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if line == 1 {
			if _, err := strconv.Atoi(strings.TrimSpace(text)); err == nil {
				continue // the entry count
			}
		}
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		entry, morph, _ := strings.Cut(text, " ")
		if i := strings.IndexByte(entry, '\t'); i >= 0 {
			entry, morph = entry[:i], entry[i+1:]+" "+morph
		}
		word, flagText, _ := strings.Cut(entry, "/")
		if word == "" {
			continue
		}
		var pos []string
		for _, m := range strings.Fields(morph) {
			if p, ok := strings.CutPrefix(m, "po:"); ok {
				pos = append(pos, p)
			}
		}
		flags := a.splitFlags(flagText)
		need, forbidden := false, false
		for _, f := range flags {
			need = need || f == a.needAffix
			forbidden = forbidden || f == a.forbidden
		}
		if forbidden {
			continue
		}
		if !need {
			fn(Form{Word: word, Lemma: word, POS: pos})
		}
		for _, f := range flags {
			for _, s := range a.suffixes[f] {
				if !strings.HasSuffix(word, s.strip) || !matches(word, s.cond) {
					continue
				}
				fn(Form{Word: word[:len(word)-len(s.strip)] + s.add, Lemma: word, POS: pos, Tags: s.tags})
			}
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("hunspell: reading dic line %d: %w", line, err)
	}
	return nil
}
