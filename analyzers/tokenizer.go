package analyzers

import (
	"slices"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
)

// TokenizerName is the Unicode word tokenizer of the analyzers: it gives
// the same tokens as Bleve's "unicode" tokenizer (Unicode Standard Annex
// #29 word boundaries) and is faster on Latin text, which it segments
// itself; text with any other character is handed to Bleve's tokenizer.
const TokenizerName = "rapports_unicode"

// Word-break classes of the characters the fast path handles.
const (
	wbOther     = iota // breaks on both sides
	wbLetter           // ALetter
	wbNumeric          // Numeric
	wbMidLetter        // MidLetter: joins letters
	wbMidNum           // MidNum: joins digits
	wbMidBoth          // MidNumLet and Single_Quote: join letters or digits
	wbExtendNum        // ExtendNumLet: "_"
	wbExtend           // Extend and Format: belong to the character before
	wbSlow             // not handled: use Bleve's tokenizer
)

// latinClass is the class of each rune below U+0180.
var latinClass [0x180]byte

func init() {
	for r := range latinClass {
		latinClass[r] = wbOther
	}
	for r := 'a'; r <= 'z'; r++ {
		latinClass[r] = wbLetter
		latinClass[r-'a'+'A'] = wbLetter
	}
	for r := '0'; r <= '9'; r++ {
		latinClass[r] = wbNumeric
	}
	latinClass['_'] = wbExtendNum
	latinClass['.'] = wbMidBoth
	latinClass['\''] = wbMidBoth
	latinClass[':'] = wbMidLetter
	latinClass[','] = wbMidNum
	latinClass[';'] = wbMidNum
	for r := 0x80; r < 0xA0; r++ { // C1 controls, NEL among them
		latinClass[r] = wbSlow
	}
	latinClass[0xAD] = wbExtend // soft hyphen: Format
	latinClass[0xAA] = wbLetter
	latinClass[0xB5] = wbLetter
	latinClass[0xBA] = wbLetter
	latinClass[0xB7] = wbMidLetter
	for r := 0xC0; r < 0x180; r++ {
		if r != 0xD7 && r != 0xF7 {
			latinClass[r] = wbLetter
		}
	}
}

// class returns the word-break class of r.
func class(r rune) byte {
	if r < rune(len(latinClass)) {
		return latinClass[r]
	}
	switch r {
	case '\u2018', '\u2019':
		return wbMidBoth
	case '\u2009', '\u2011', '\u2013', '\u2014', '\u201C', '\u201D',
		'\u2022', '\u2026', '\u202F', '\u20AC', '\u25B6':
		return wbOther
	case '\uFE0F': // variation selector after "▶"
		return wbExtend
	case '\u200B': // zero-width space: breaks, joined again by joinZeroWidth
		return wbOther
	case '\u200C', '\u200D', '\u200E', '\u200F', '\u202A', '\u202B', '\u202C',
		'\u202D', '\u202E', '\u2060', '\u2066', '\u2067', '\u2068', '\u2069', '\uFEFF':
		// Joiners, direction marks, word joiner, byte order mark: Format
		// (or Extend, ZWJ), which belong to the character before.
		return wbExtend
	}
	return wbSlow
}

// tokenizer is the TokenizerName tokenizer.
type tokenizer struct {
	fallback *unicode.UnicodeTokenizer
}

func newTokenizer() *tokenizer {
	return &tokenizer{fallback: unicode.NewUnicodeTokenizer()}
}

// Tokenize splits input into words as Bleve's unicode tokenizer does,
// then joins the parts of a word that a zero-width space splits (see
// joinZeroWidth) and the groups of a number written with thousand
// separators (see joinNumbers).
func (t *tokenizer) Tokenize(input []byte) analysis.TokenStream {
	return t.tokenize(input, nil)
}

// tokenize is Tokenize, its tokens lent by buf when not nil.
func (t *tokenizer) tokenize(input []byte, buf *tokenBuf) analysis.TokenStream {
	return joinNumbers(input, joinZeroWidth(input, t.segmentIn(input, buf)))
}

// segment splits input into words exactly as Bleve's unicode tokenizer does.
func (t *tokenizer) segment(input []byte) analysis.TokenStream {
	return t.segmentIn(input, nil)
}

// segmentIn is segment, the tokens of the fast path lent by buf when not
// nil.
func (t *tokenizer) segmentIn(input []byte, buf *tokenBuf) analysis.TokenStream {
	stream, ok := tokenizeLatin(input, buf)
	if !ok {
		return t.fallback.Tokenize(input)
	}
	return stream
}

// tokenBuf lends the tokens of one analysis, and the slice of pointers to
// them, from its previous ones: AnalyzeFrequencies, which drops its tokens
// once it has counted them, takes one from a pool instead of allocating
// some 64 bytes a word.
type tokenBuf struct {
	chunks [][]analysis.Token // each of cap tokenChunk
	used   int                // chunks lent since the last reset
	stream analysis.TokenStream
}

// tokenChunk is the number of tokens of a chunk of a tokenBuf.
const tokenChunk = 1024

var tokenPool = sync.Pool{New: func() any { return new(tokenBuf) }}

// chunk returns an empty slice of at least n tokens (at most tokenChunk
// when buf is not nil), from buf when not nil.
func (b *tokenBuf) chunk(n int) []analysis.Token {
	if b == nil {
		return make([]analysis.Token, 0, min(n, tokenChunk))
	}
	if b.used == len(b.chunks) {
		b.chunks = append(b.chunks, make([]analysis.Token, 0, tokenChunk))
	}
	b.used++
	return b.chunks[b.used-1][:0]
}

// streamOf returns an empty TokenStream of capacity n or more, buf's when
// not nil.
func (b *tokenBuf) streamOf(n int) analysis.TokenStream {
	if b == nil {
		return make(analysis.TokenStream, 0, n)
	}
	return slices.Grow(b.stream[:0], n)
}

// keep makes stream, from streamOf and maybe grown, b's stream: it holds
// the tokens lent, in the order of the chunks.
func (b *tokenBuf) keep(stream analysis.TokenStream) {
	if b != nil {
		b.stream = stream
	}
}

// put clears the tokens lent, which the caller no longer uses, so that
// the pool keeps no text alive, and returns b to the pool, keeping at most
// maxTokenChunks chunks. The filters after the tokenizer may have changed
// the stream's pointers, never its length nor the chunks' order.
func (b *tokenBuf) put() {
	lent := len(b.stream)
	for _, c := range b.chunks[:b.used] {
		n := min(lent, cap(c))
		clear(c[:n])
		lent -= n
	}
	b.used = 0
	b.chunks = b.chunks[:min(len(b.chunks), maxTokenChunks)]
	clear(b.stream)
	b.stream = b.stream[:0]
	if cap(b.stream) > maxTokenChunks*tokenChunk {
		b.stream = nil
	}
	tokenPool.Put(b)
}

// maxTokenChunks is the most chunks a pooled tokenBuf keeps.
const maxTokenChunks = 16

// decode returns the rune at input[i], its size and class; the class is
// wbSlow for invalid UTF-8 and characters the fast path does not handle.
func decode(input []byte, i int) (size int, c byte) {
	if b := input[i]; b < utf8.RuneSelf {
		return 1, latinClass[b]
	}
	r, size := utf8.DecodeRune(input[i:])
	if r == utf8.RuneError {
		return size, wbSlow
	}
	return size, class(r)
}

// tokenizeLatin segments input, its tokens lent by buf when not nil, or
// returns false when input holds a character it does not handle.
func tokenizeLatin(input []byte, buf *tokenBuf) (analysis.TokenStream, bool) {
	guess := len(input)/6 + 1
	chunk := buf.chunk(guess)
	stream := buf.streamOf(guess)
	pos := 1
	for i := 0; i < len(input); {
		size, c := decode(input, i)
		switch c {
		case wbSlow:
			buf.keep(stream)
			return nil, false
		case wbLetter, wbNumeric, wbExtendNum:
		default:
			i += size
			continue
		}
		start := i
		letters, digits := c == wbLetter, c == wbNumeric
		prev := c
		i += size
		for i < len(input) {
			size, c := decode(input, i)
			switch c {
			case wbSlow:
				buf.keep(stream)
				return nil, false
			case wbExtend:
				i += size
				continue
			case wbLetter, wbNumeric, wbExtendNum:
				letters = letters || c == wbLetter
				digits = digits || c == wbNumeric
				prev = c
				i += size
				continue
			case wbMidLetter, wbMidNum, wbMidBoth:
				if prev != wbLetter && prev != wbNumeric {
					break
				}
				j := i + size
				next := byte(wbOther)
				for j < len(input) {
					nsize, nc := decode(input, j)
					if nc == wbSlow {
						buf.keep(stream)
						return nil, false
					}
					if nc != wbExtend {
						next = nc
						j += nsize
						break
					}
					j += nsize
				}
				if next == prev && (c == wbMidBoth ||
					(c == wbMidLetter && prev == wbLetter) ||
					(c == wbMidNum && prev == wbNumeric)) {
					i = j
					continue
				}
			}
			break
		}
		if len(chunk) == cap(chunk) {
			chunk = buf.chunk(guess)
		}
		typ := analysis.AlphaNumeric
		if digits && !letters {
			typ = analysis.Numeric
		}
		chunk = append(chunk, analysis.Token{Term: input[start:i:i], Start: start, End: i, Position: pos, Type: typ})
		stream = append(stream, &chunk[len(chunk)-1])
		pos++
	}
	buf.keep(stream)
	return stream, true
}
