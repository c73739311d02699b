package index

import (
	"errors"
	"strings"
	"testing"
)

func TestParseQuery(t *testing.T) {
	cases := []struct {
		in   string
		want string
	}{
		{"défense", "(défense)"},
		{"défense aérienne", "(défense aérienne)"},
		{`"défense aérienne" Israël`, `("défense aérienne" Israël)`},
		{"-Gaza armée", "(-Gaza armée)"},
		{"+le monde", "(+le monde)"},
		{"NOT Gaza armée", "(-Gaza armée)"},
		{"Gaza OR Liban", "({Gaza OR Liban})"},
		{"armée Gaza OR Liban OR Syrie drones", "(armée {Gaza OR Liban OR Syrie} drones)"},
		{"Gaza | Liban", "({Gaza OR Liban})"},
		{"Gaza AND Liban", "(Gaza Liban)"},
		{"(Gaza OR Liban) armée", "({Gaza OR Liban} armée)"},
		{"-(Gaza OR Liban) armée", "(-{Gaza OR Liban} armée)"},
		{"milit*", "(milit*)"},
		{"title:Gaza", "(title:Gaza)"},
		{`exact:"défense aérienne"`, `(exact:"défense aérienne")`},
		{"title:exact:armées", "(title:exact:armées)"},
		{"exact:title:armées", "(title:exact:armées)"},
		{"title:(Gaza OR Liban)", "(title:{title:Gaza OR title:Liban})"},
		{"Paris - Lyon", "(Paris Lyon)"},
		{"l'armée", "(l'armée)"},
		{"foo:bar", "(foo:bar)"},
		{"word~2 /regex/ [a TO b]", "(word~2 /regex/ [a TO b])"},
		{`""  Gaza`, "(Gaza)"},
		{"() Gaza", "(Gaza)"},
		{"chef d’état-major", "(chef d’état-major)"},
		{`"défense aérienne"~5`, `("défense aérienne"~5)`},
		{`"défense aérienne"~0 Israël`, `("défense aérienne"~0 Israël)`},
		{`-title:"a b"~12`, `(-title:"a b"~12)`},
		{`("a b"~3)`, `("a b"~3)`},
	}
	for _, tc := range cases {
		got, err := parseQuery(tc.in)
		if err != nil {
			t.Errorf("parseQuery(%q): error %v; want %s", tc.in, err, tc.want)
			continue
		}
		if got.String() != tc.want {
			t.Errorf("parseQuery(%q) = %s; want %s", tc.in, got, tc.want)
		}
	}
}

func TestParseQueryErrors(t *testing.T) {
	cases := []struct {
		in   string
		want error
		msg  string
		kind string // of the *QueryError; "" for a *RequestError on q
		pos  int
	}{
		{"", ErrEmptyQuery, "q: missing", "", 0},
		{"   ", ErrEmptyQuery, "q: missing", "", 0},
		{`""`, ErrEmptyQuery, "no word", KindEmpty, 0},
		{`armée "défense aérienne`, ErrBadQuery, "unclosed quote at 7", KindUnclosedQuote, 7},
		{"(Gaza OR Liban", ErrBadQuery, "unclosed parenthesis at 1", KindUnclosedParen, 1},
		{"Gaza)", ErrBadQuery, "unexpected ) at 5", KindUnexpectedParen, 5},
		{"OR Gaza", ErrBadQuery, "OR without a term before it at 1", KindOrWithoutLeft, 1},
		{"Gaza OR", ErrBadQuery, "OR without a term after it at 6", KindOrWithoutRight, 6},
		{"Gaza OR OR Liban", ErrBadQuery, "OR without a term before it at 9", KindOrWithoutLeft, 9},
		{"Gaza OR -Liban", ErrBadQuery, "OR next to an excluded term at 6", KindOrNextToExcluded, 6},
		{"a*", ErrBadQuery, `prefix "a*" is shorter than 2 characters at 1`, KindPrefixTooShort, 1},
		{"*", ErrBadQuery, "shorter than 2", KindPrefixTooShort, 1},
		{"ar*mée", ErrBadQuery, "* inside a word (only word* is supported) at 3", KindStarInsideWord, 3},
		{`"défense"*`, ErrBadQuery, "at 10", KindPrefixAfterPhrase, 10},
		{"armée +", ErrBadQuery, `"+" without a term after it at 7`, KindNoTerm, 7},
		{"title: Gaza", ErrBadQuery, `"title:" without a term after it at 1`, KindNoTerm, 1},
		{strings.Repeat("mot ", 65), ErrTooExpensive, "more than 64", KindTooManyClauses, 257},
		{strings.Repeat("(", 9) + "a" + strings.Repeat(")", 9), ErrTooExpensive, "nested deeper", KindTooDeep, 9},
		{strings.Repeat("é", MaxQueryLen+1), ErrTooLong, "q: 1001 characters, at most 1000", "", 0},
		{"\xff", ErrBadQuery, "UTF-8", KindInvalidUTF8, 0},
		{"/re.*gex/", ErrBadQuery, "* inside a word", KindStarInsideWord, 5},
		{`"a b"~`, ErrBadQuery, "~ after a phrase takes a number of positions", KindBadProximity, 6},
		{`"a b"~x`, ErrBadQuery, "at 6", KindBadProximity, 6},
		{`"a b"~5x`, ErrBadQuery, "at 6", KindBadProximity, 6},
		{`"a b"~101`, ErrTooExpensive, "more than 100 positions at 6", KindProximityTooFar, 6},
		{`"a b"~99999999999999999999`, ErrTooExpensive, "more than 100", KindProximityTooFar, 6},
	}
	for _, tc := range cases {
		got, err := parseQuery(tc.in)
		if !errors.Is(err, tc.want) || !strings.Contains(errString(err), tc.msg) {
			t.Errorf("parseQuery(%q) = %v, error %q; want error %v containing %q", tc.in, got, errString(err), tc.want, tc.msg)
		}
		var qe *QueryError
		var re *RequestError
		switch {
		case tc.kind == "" && (!errors.As(err, &re) || re.Field != "q" || !errors.Is(err, ErrBadRequest)):
			t.Errorf("parseQuery(%q): %#v; want a *RequestError on q wrapping ErrBadRequest", tc.in, err)
		case tc.kind != "" && (!errors.As(err, &qe) || qe.Kind != tc.kind || qe.Pos != tc.pos):
			t.Errorf("parseQuery(%q): %#v; want a *QueryError of kind %s at %d", tc.in, err, tc.kind, tc.pos)
		}
	}
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{
		"défense aérienne", `"défense aérienne" -Gaza`, "a OR b OR (c -d)", "title:exact:mil*",
		`"unclosed`, "((((a))))", "+ - OR AND NOT", "l’armée", "word~2^3 /x/ [a TO b]",
		`"a b"~5`, `"a b"~`, `"a"~0 -"b c"~100`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := parseQuery(s)
		if err != nil {
			if !errors.Is(err, ErrBadQuery) && !errors.Is(err, ErrEmptyQuery) && !errors.Is(err, ErrTooExpensive) && !errors.Is(err, ErrBadRequest) {
				t.Fatalf("parseQuery(%q): untyped error %v", s, err)
			}
			return
		}
		if n == nil || len(n.kids) == 0 {
			t.Fatalf("parseQuery(%q) = %v with no error", s, n)
		}
		if leaves(n) > MaxClauses {
			t.Fatalf("parseQuery(%q) has %d leaves, over %d", s, leaves(n), MaxClauses)
		}
	})
}

func leaves(n *node) int {
	if n.kind == nodeAnd || n.kind == nodeOr {
		c := 0
		for _, k := range n.kids {
			c += leaves(k)
		}
		return c
	}
	return 1
}
