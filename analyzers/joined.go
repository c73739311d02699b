package analyzers

import (
	"bytes"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// splitJoined splits the tokens in which a dot joins two words because a
// space is missing after a full stop ("armées.Virage", "V.Poutine",
// "l'attentat.Benjamin": the Unicode word rules keep "letter.letter" as one
// word, and about half the reports of a real news corpus have such joins).
// Each word gets its own exact offsets and position; the positions of the
// tokens after it move up. Dotted acronyms ("o.n.u") are left whole, to be
// joined by undot, and a dot between digits ("3.5") is no join.
// It returns input itself when no token is joined.
func splitJoined(input analysis.TokenStream) analysis.TokenStream {
	first := -1
	for i, t := range input {
		if joinedAt(t.Term) >= 0 && len(t.Term) == t.End-t.Start {
			first = i
			break
		}
	}
	if first < 0 {
		return input
	}
	out := make(analysis.TokenStream, 0, len(input)+4)
	out = append(out, input[:first]...)
	shift := 0
	for _, t := range input[first:] {
		t.Position += shift
		if len(t.Term) != t.End-t.Start || joinedAt(t.Term) < 0 {
			out = append(out, t)
			continue
		}
		term, start, pos := t.Term, t.Start, t.Position
		first := pos
		for {
			dot := joinedAt(term)
			if dot < 0 {
				break
			}
			part := *t
			part.Term, part.Start, part.End, part.Position = term[:dot:dot], start, start+dot, pos
			out = append(out, &part)
			term, start, pos = term[dot+1:], start+dot+1, pos+1
		}
		t.Term, t.Start, t.Position = term, start, pos
		shift += pos - first
		out = append(out, t)
	}
	return out
}

// joinedAt returns the index of the first dot of term that joins two
// words, or -1: a dot between two letters where the piece before it or the
// piece after it (up to the next dot) is longer than one letter, so that
// the single letters of a dotted acronym stay together ("s.n.c.f.et" is cut
// before "et", "o.n.u" is not cut).
func joinedAt(term []byte) int {
	prev := 0 // start of the piece before the dot
	for i := 1; i+1 < len(term); i++ {
		if term[i] != '.' {
			j := bytes.IndexByte(term[i:len(term)-1], '.')
			if j < 0 {
				return -1
			}
			i += j
		}
		before, _ := utf8.DecodeLastRune(term[:i])
		after, _ := utf8.DecodeRune(term[i+1:])
		if unicode.IsLetter(before) && unicode.IsLetter(after) {
			next := bytes.IndexByte(term[i+1:], '.')
			if next < 0 {
				next = len(term) - i - 1
			}
			if utf8.RuneCount(term[prev:i]) > 1 || utf8.RuneCount(term[i+1:i+1+next]) > 1 {
				return i
			}
		}
		prev = i + 1
	}
	return -1
}
