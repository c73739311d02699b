package analyzers

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
)

// sameTokens reports how got differs from want, or "" when they match.
func diffTokens(got, want analysis.TokenStream) string {
	for i := 0; i < len(got) && i < len(want); i++ {
		g, w := got[i], want[i]
		if string(g.Term) != string(w.Term) || g.Start != w.Start || g.End != w.End || g.Position != w.Position || g.Type != w.Type {
			return "token " + g.String() + "; want " + w.String()
		}
	}
	if len(got) != len(want) {
		return "different token counts"
	}
	return ""
}

// TestTokenizerMatchesUnicode checks that TokenizerName gives exactly the
// tokens of Bleve's unicode tokenizer, on French text written for the
// test and on every report of ../../shared/data/tvnews-fr/docs (when
// present).
func TestTokenizerMatchesUnicode(t *testing.T) {
	ours, theirs := newTokenizer(), unicode.NewUnicodeTokenizer()
	check := func(name string, in []byte) {
		t.Helper()
		got, want := ours.segment(in), theirs.Tokenize(in)
		if d := diffTokens(got, want); d != "" {
			t.Errorf("%s: Tokenize(%.80q): %s", name, in, d)
		}
	}
	for _, in := range []string{
		"",
		"L’armée de l'air a tiré 3,5 missiles le 14 avril 2024-06 à 10h30.",
		"Les États-Unis, l’ONU et l’OTAN : « un cessez-le-feu » — enfin…",
		"Le 1er mai, la 2e division; 1'000 soldats, 3.5 km, 12:30, a:b, a.b.",
		"snake_case _x x_ __ 1_000 a_1 œuvre Æsop ª º µ · l·a ×÷ nbsp\u00a0ici",
		"guillemets “anglais” ‘simples’ 20 € fin",
		"mélange 日本語 et français", // handed to Bleve's tokenizer
		"invalide \xff\xfe octets",
		"trait d\u00adunion conditionnel",
		"gou\u200dvernement pré\u200bsident \u200e\u202aministre\u202c \ufeffDébut l'\u2060a",
	} {
		check("sentence", []byte(in))
	}
	dir := filepath.Join("..", "..", "shared", "data", "tvnews-fr", "docs")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Logf("tvnews-fr absent, only sentences checked: %v", err)
		return
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	if testing.Short() {
		names = names[:min(len(names), 500)]
	}
	fast := 0
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := tokenizeLatin(data, nil); ok {
			fast++
		}
		check(name, data)
	}
	t.Logf("%d reports, %d segmented by the fast path", len(names), fast)
}

// FuzzTokenizer checks on arbitrary bytes that TokenizerName gives the
// tokens of Bleve's unicode tokenizer.
func FuzzTokenizer(f *testing.F) {
	for _, s := range []string{"l’armée", "3,5 a:b 1'000 a.b. _x_", "États-Unis", "\xff", "a\u00b7b"} {
		f.Add([]byte(s))
	}
	ours, theirs := newTokenizer(), unicode.NewUnicodeTokenizer()
	f.Fuzz(func(t *testing.T, in []byte) {
		got, want := ours.segment(in), theirs.Tokenize(in)
		if d := diffTokens(got, want); d != "" {
			t.Errorf("Tokenize(%q): %s", in, d)
		}
		// Arbitrary bytes rarely stay on the fast path: also spell the
		// input with the characters it handles.
		latin := spellLatin(in)
		got, want = ours.segment(latin), theirs.Tokenize(latin)
		if d := diffTokens(got, want); d != "" {
			t.Errorf("Tokenize(%q): %s", latin, d)
		}
	})
}

// latinAlphabet holds characters of every class of the fast path.
var latinAlphabet = []rune("aZé9_.':,; \n\r\t-\"\u00b7\u00ad\u2019\u2018\u00a0\u00e6\u0153\u00aa\u00d7\u2009\u202f\ufe0f\u25b6\u2026\u00ff\u0100\u200b\u200d\u200e\u202a\u202c\u2060\ufeff")

// spellLatin maps each byte of in to a character of latinAlphabet.
func spellLatin(in []byte) []byte {
	out := make([]byte, 0, 2*len(in))
	for _, b := range in {
		out = utf8.AppendRune(out, latinAlphabet[int(b)%len(latinAlphabet)])
	}
	return out
}

// TestTokenBuf checks that the tokens a tokenBuf lends are those of
// Tokenize, call after call with the same buffers: texts of one chunk, of
// several (past tokenChunk tokens and maxTokenChunks chunks), and the
// text Bleve's tokenizer takes after the fast path has lent tokens.
func TestTokenBuf(t *testing.T) {
	many := strings.Repeat("l'armée a tiré 1 500 obus. ", tokenChunk/2)
	texts := []string{
		"", "L’armée de l'air a tiré 3,5 missiles.",
		many,
		strings.Repeat("a b ", (maxTokenChunks+2)*tokenChunk/2),
		"le mot après la fin " + strings.Repeat("é", 2000) + " mélange 日本語 et français",
		"gou\u200dvernement pré\u200bsident, 2\u202f000\u202f000 d’euros",
		many,
	}
	tok := newTokenizer()
	buf := new(tokenBuf)
	for round := range 2 {
		for i, text := range texts {
			want := tok.Tokenize([]byte(text))
			got := tok.tokenize([]byte(text), buf)
			if d := diffTokens(got, want); d != "" {
				t.Errorf("round %d, text %d: %s", round, i, d)
			}
			buf.put()
			buf = tokenPool.Get().(*tokenBuf)
			if buf.used != 0 || len(buf.chunks) > maxTokenChunks || len(buf.stream) != 0 {
				t.Fatalf("round %d, text %d: pooled buffer with %d chunks used, %d kept, a stream of %d", round, i, buf.used, len(buf.chunks), len(buf.stream))
			}
			for _, c := range buf.chunks {
				for _, tk := range c[:cap(c)] {
					if tk.Term != nil {
						t.Fatalf("round %d, text %d: pooled token %v not cleared", round, i, tk)
					}
				}
			}
		}
	}
}
