package analyzers

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// French writes numbers with a space, a no-break space (U+00A0), a narrow
// no-break space (U+202F) or a thin space (U+2009) between groups of three
// digits ("1 500", "2 000 000"), or with dots ("1.500"), and with a
// decimal comma ("2,5"). joinNumbers and numberTerm make each number one
// term, the same however it is written: "1 500", "1\u00a0500", "1.500" and
// "1500" give "1500"; "2,5" and "2.5" give "2,5"; "1 500,75" gives
// "1500,75".

// joinNumbers joins the groups of a number that thousand separators split
// into tokens (a token of one to three digits followed by tokens of exactly
// three digits, the last of which may carry a decimal part, each after one
// separator) into one token covering the whole number, whose term is the
// number without separators; the positions of the following tokens move
// down. It also writes each number's term as numberTerm does. It returns
// stream itself when there is nothing to change.
func joinNumbers(input []byte, stream analysis.TokenStream) analysis.TokenStream {
	var out analysis.TokenStream // allocated at the first join
	shift := 0
	for i := 0; i < len(stream); i++ {
		t := stream[i]
		if t.Type != analysis.Numeric {
			if out != nil {
				t.Position -= shift
				out = append(out, t)
			}
			continue
		}
		j := i
		if n := len(t.Term); n <= 3 && allDigits(t.Term) {
			for j+1 < len(stream) {
				next := stream[j+1]
				if next.Type != analysis.Numeric || !isGroupSeparator(input[stream[j].End:next.Start]) || !isGroup(next.Term) {
					break
				}
				j++
				if len(next.Term) > 3 { // a decimal part ends the number
					break
				}
			}
		}
		if j > i {
			term := make([]byte, 0, len(t.Term)+4*(j-i))
			for _, g := range stream[i : j+1] {
				term = append(term, g.Term...)
			}
			if out == nil {
				out = make(analysis.TokenStream, i, len(stream))
				copy(out, stream[:i])
			}
			t.Term, t.End = term, stream[j].End
			t.Position -= shift
			shift += j - i
			out = append(out, t)
			i = j
			continue
		}
		t.Term = numberTerm(t.Term)
		if out != nil {
			t.Position -= shift
			out = append(out, t)
		}
	}
	if out == nil {
		return stream
	}
	return out
}

// numberTerm returns the term of a number written in one token: dots
// between groups of three digits removed ("1.500" and "1.500.000,5" give
// "1500" and "1500000,5"), a single decimal dot written as a comma ("2.5"
// gives "2,5"). Anything else (dates "14.07.2024", versions "1.2.3",
// codes) is returned as it is.
func numberTerm(term []byte) []byte {
	dots, commas, k := 0, 0, -1
	for i, c := range term {
		switch {
		case c == '.':
			dots++
			k = i
		case c == ',':
			commas++
		case !isDigit(c):
			return term
		}
	}
	if dots == 0 || commas > 1 {
		return term
	}
	if isDottedThousands(term) {
		out := make([]byte, 0, len(term))
		for _, c := range term {
			if c != '.' {
				out = append(out, c)
			}
		}
		return out
	}
	if dots == 1 && commas == 0 && k > 0 && k < len(term)-1 {
		out := append([]byte(nil), term...)
		out[k] = ','
		return out
	}
	return term
}

// isDottedThousands reports whether term is one to three digits followed
// by groups of a dot and three digits, then optionally a decimal comma and
// digits.
func isDottedThousands(term []byte) bool {
	i := 0
	for i < len(term) && isDigit(term[i]) {
		i++
	}
	if i == 0 || i > 3 {
		return false
	}
	groups := 0
	for i+4 <= len(term) && term[i] == '.' && allDigits(term[i+1:i+4]) {
		i += 4
		groups++
	}
	if groups == 0 {
		return false
	}
	if i == len(term) {
		return true
	}
	if term[i] != ',' || i+1 == len(term) {
		return false
	}
	return allDigits(term[i+1:])
}

// isGroup reports whether term is three digits, optionally followed by a
// decimal comma and digits: a group after a thousand separator.
func isGroup(term []byte) bool {
	if len(term) < 3 || !allDigits(term[:3]) {
		return false
	}
	if len(term) == 3 {
		return true
	}
	return term[3] == ',' && len(term) > 4 && allDigits(term[4:])
}

// isGroupSeparator reports whether b is one space, no-break space, narrow
// no-break space or thin space.
func isGroupSeparator(b []byte) bool {
	if len(b) == 1 {
		return b[0] == ' '
	}
	r, size := utf8.DecodeRune(b)
	return size == len(b) && (r == '\u00a0' || r == '\u202f' || r == '\u2009')
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if !isDigit(c) {
			return false
		}
	}
	return len(b) > 0
}
