package corpus

import (
	"strings"
)

// markdownText turns the Markdown of a report body into plain text for
// indexing and snippets: heading and quote markers, emphasis and code
// markers, and link targets are removed; the words stay.
// It is deliberately small: reports use headings, emphasis and links, and
// anything it does not know is kept as written.
func markdownText(s string) string {
	if !strings.ContainsAny(s, "#*_`[>") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	inFence := false
	for line := range strings.Lines(s) {
		trimmed := strings.TrimLeft(line, " \t")
		if strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~") {
			inFence = !inFence
			continue
		}
		if inFence {
			b.WriteString(line)
			continue
		}
		// Block markers: headings ("## Titre"), quotes ("> ").
		for {
			switch {
			case strings.HasPrefix(trimmed, "#"):
				t := strings.TrimLeft(trimmed, "#")
				if len(trimmed)-len(t) <= 6 && (t == "" || t[0] == ' ' || t[0] == '\t' || t[0] == '\n' || t[0] == '\r') {
					trimmed = strings.TrimLeft(t, " \t")
					continue
				}
			case strings.HasPrefix(trimmed, ">"):
				trimmed = strings.TrimLeft(trimmed[1:], " \t")
				continue
			}
			break
		}
		b.WriteString(inlineMarkdown(trimmed))
	}
	return b.String()
}

// inlineMarkdown removes emphasis markers (*, **, _ at word edges), code
// backquotes and link targets ("[texte](url)" → "texte") from one line.
func inlineMarkdown(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '*', '`':
			continue
		case '_':
			// Only at a word edge: "mot_composé" keeps its underscore.
			prevWord := i > 0 && isWordByte(s[i-1])
			nextWord := i+1 < len(s) && isWordByte(s[i+1])
			if prevWord && nextWord {
				b.WriteByte(c)
			}
			continue
		case '[':
			if end := strings.IndexByte(s[i:], ']'); end > 0 && i+end+1 < len(s) && s[i+end+1] == '(' {
				if close := strings.IndexByte(s[i+end+1:], ')'); close > 0 {
					b.WriteString(inlineMarkdown(s[i+1 : i+end]))
					i += end + 1 + close
					continue
				}
			}
		case '!':
			if i+1 < len(s) && s[i+1] == '[' {
				continue // an image: keep its alternative text
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

func isWordByte(c byte) bool {
	return c >= 0x80 || c == '\'' || ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}
