package analyzers

import (
	"bytes"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
)

// elideBefore is the ElisionName filter as it was before elide skipped
// the terms whose bytes call for nothing: the reference of TestElide and
// FuzzElide.
func elideBefore(input analysis.TokenStream) analysis.TokenStream {
	out := input[:0]
	for _, t := range input {
		if n := elidedPrefix(t.Term); n > 0 {
			if len(t.Term) == t.End-t.Start {
				t.Start += n
			} else {
				t.Start = max(t.Start, t.End-(len(t.Term)-n))
			}
			t.Term = t.Term[n:]
		}
		if len(t.Term) > 0 {
			out = append(out, t)
		}
	}
	out = splitJoined(out)
	empty := false
	for _, t := range out {
		if needsNormalizing(t.Term) {
			trimFormat(t)
			t.Term = normalizeTerm(t.Term)
			empty = empty || len(t.Term) == 0
		}
		if bytes.IndexByte(t.Term, '.') > 0 {
			t.Term = undot(t.Term)
		}
	}
	if empty {
		out = slices.DeleteFunc(out, func(t *analysis.Token) bool { return len(t.Term) == 0 })
	}
	return out
}

// checkElide reports whether elide, with and without lowercasing, gives
// the tokens of LowerName then elideBefore on the tokens of in.
func checkElide(t *testing.T, what string, in []byte) {
	t.Helper()
	tok := newTokenizer()
	want := elideBefore(lowerFilter{}.Filter(tok.Tokenize(slices.Clone(in))))
	if got := elide(tok.Tokenize(slices.Clone(in)), true); diffTokens(got, want) != "" {
		t.Errorf("%s: elide(%.80q, lowercase): %s", what, in, diffTokens(got, want))
	}
	got := elisionFilter{}.Filter(lowerFilter{}.Filter(tok.Tokenize(slices.Clone(in))))
	if d := diffTokens(got, want); d != "" {
		t.Errorf("%s: LowerName then ElisionName (%.80q): %s", what, in, d)
	}
}

// TestElide checks elide against the filters it stands for, on sentences
// and on the reports of ../../shared/data/tvnews-fr/docs (when present).
func TestElide(t *testing.T) {
	for i, text := range tvnewsFrequencyTexts(t) {
		checkElide(t, "text "+string(rune('0'+i%10)), []byte(text))
	}
	for _, text := range []string{
		"L'ARMÉE, l’Armée, L‘armée, lʼarmée, l＇armée, Ｌ'armée, l\u00ad'armée, L'\u2060Armée",
		"QU'IL JUSQU'À lorsqu’elle PUISQU'ON quoiqu'il aujourd'hui prud'hommes",
		"O.N.U. l’O.N.U armées.Virage V.POUTINE S.N.C.F.ET 3.5 a..b jean.dupont",
		"mini\u00adstre ＲＥＰＵＢＬＩＱＵＥ ａ．ｂ ﬁnance arme\u0301e İSTANBUL Kelvin ΣΟΦΟΣ",
	} {
		checkElide(t, "sentence", []byte(text))
	}
}

// TestByteFlags checks that each byte's flags say what the functions they
// stand for look for: an apostrophe's first byte (apostropheLen), a lead
// byte of needsNormalizing, a dot, an ASCII capital, a byte past ASCII.
func TestByteFlags(t *testing.T) {
	apostropheLeads := map[byte]bool{}
	for _, a := range []string{"'", "\u2019", "\u2018", "\u02bc", "\uff07"} {
		if apostropheLen([]byte(a)) != len(a) {
			t.Fatalf("apostropheLen(%q) = %d; want %d", a, apostropheLen([]byte(a)), len(a))
		}
		apostropheLeads[a[0]] = true
	}
	for i := range 256 {
		c := byte(i)
		for _, f := range []struct {
			name string
			flag byte
			want bool
		}{
			{"flagUpper", flagUpper, 'A' <= c && c <= 'Z'},
			{"flagHigh", flagHigh, c >= 0x80},
			{"flagApostrophe", flagApostrophe, apostropheLeads[c]},
			{"flagDot", flagDot, c == '.'},
			{"flagNormalize", flagNormalize, needsNormalizing([]byte{c})},
		} {
			if got := byteFlags[c]&f.flag != 0; got != f.want {
				t.Errorf("byte %#x: %s %v; want %v", c, f.name, got, f.want)
			}
		}
	}
}

// FuzzElide checks elide against the filters it stands for on arbitrary
// text.
func FuzzElide(f *testing.F) {
	for _, s := range frequencyTexts {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		checkElide(t, "fuzz", []byte(in))
	})
}
