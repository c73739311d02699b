package index

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// ellipsis is what Bleve's html fragment formatter puts where a fragment
// cuts the text.
const ellipsis = "…"

// tidyFragment drops the partial words that Bleve's fragmenter leaves at a
// cut edge ("…es délégués" becomes "…délégués"), so that a snippet starts
// and ends on whole words. It never removes markup or a highlighted word:
// an edge piece holding "<" or ">" is kept, and so is a fragment that would
// lose more than a word's worth of text.
func tidyFragment(f string) string {
	f = strings.TrimSpace(f)
	if rest, ok := strings.CutPrefix(f, ellipsis); ok {
		if r, _ := utf8.DecodeRuneInString(rest); isWordRune(r) {
			if i := strings.IndexFunc(rest, unicode.IsSpace); i > 0 && i <= maxPartialWord && !strings.ContainsAny(rest[:i], "<>") {
				f = ellipsis + strings.TrimLeftFunc(rest[i:], unicode.IsSpace)
			}
		}
	}
	if rest, ok := strings.CutSuffix(f, ellipsis); ok {
		if r, _ := utf8.DecodeLastRuneInString(rest); isWordRune(r) {
			if i := strings.LastIndexFunc(rest, unicode.IsSpace); i >= 0 && len(rest)-i <= maxPartialWord && !strings.ContainsAny(rest[i:], "<>") {
				f = strings.TrimRightFunc(rest[:i], unicode.IsSpace) + ellipsis
			}
		}
	}
	return f
}

// maxPartialWord is the longest edge piece tidyFragment drops, in bytes.
const maxPartialWord = 30

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == ';' // ";" ends an escaped entity such as &#39;
}
