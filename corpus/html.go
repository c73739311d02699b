package corpus

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlText returns the title (from <title>, else the first <h1>) and the
// visible text of an HTML page: no tags, scripts, styles or comments;
// block elements end lines, paragraphs are separated by a blank line.
func htmlText(page string) (title, body string) {
	z := html.NewTokenizer(strings.NewReader(page))
	var b, h1, titleText strings.Builder
	skip := 0 // depth inside script, style, ...
	inTitle, inH1, h1Done := false, false, false
	newline := func(n int) {
		s := b.String()
		trailing := len(s) - len(strings.TrimRight(s, "\n"))
		if b.Len() == 0 || trailing >= n {
			return
		}
		// Drop spaces before the line end.
		if t := strings.TrimRight(s, " "); len(t) < len(s) {
			b.Reset()
			b.WriteString(t)
		}
		b.WriteString(strings.Repeat("\n", n-trailing))
	}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return cleanTitle(titleText.String(), h1.String()), strings.TrimSpace(b.String())
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			start := tt == html.StartTagToken
			switch a {
			case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg, atom.Iframe, atom.Object:
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
				continue
			case atom.Title:
				inTitle = start
				continue
			case atom.H1:
				if start && !h1Done {
					inH1 = true
				} else if !start && inH1 {
					inH1, h1Done = false, true
				}
			}
			switch a {
			case atom.P, atom.Div, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
				atom.Section, atom.Article, atom.Blockquote, atom.Ul, atom.Ol, atom.Table,
				atom.Header, atom.Footer, atom.Main, atom.Aside, atom.Pre, atom.Figure:
				newline(2)
			case atom.Br, atom.Li, atom.Tr, atom.Dt, atom.Dd, atom.Hr:
				newline(1)
			case atom.Td, atom.Th:
				if b.Len() > 0 && !strings.HasSuffix(b.String(), " ") {
					b.WriteByte(' ')
				}
			}
		case html.TextToken:
			if skip > 0 {
				continue
			}
			text := string(z.Text())
			if inTitle {
				titleText.WriteString(text)
				continue
			}
			if inH1 {
				h1.WriteString(text)
			}
			words := strings.Fields(text)
			if len(words) == 0 {
				if text != "" && b.Len() > 0 && !strings.HasSuffix(b.String(), " ") && !strings.HasSuffix(b.String(), "\n") {
					b.WriteByte(' ')
				}
				continue
			}
			s := b.String()
			if b.Len() > 0 && !strings.HasSuffix(s, "\n") && !strings.HasSuffix(s, " ") && startsWithSpace(text) {
				b.WriteByte(' ')
			}
			b.WriteString(strings.Join(words, " "))
			if endsWithSpace(text) {
				b.WriteByte(' ')
			}
		}
	}
}

func startsWithSpace(s string) bool {
	return s != "" && strings.TrimLeft(s, " \t\r\n\u00a0") != s
}

func endsWithSpace(s string) bool {
	return s != "" && strings.TrimRight(s, " \t\r\n\u00a0") != s
}

// cleanTitle picks the <title> text, else the first <h1>, with spaces
// collapsed.
func cleanTitle(title, h1 string) string {
	t := strings.Join(strings.Fields(title), " ")
	if t == "" {
		t = strings.Join(strings.Fields(h1), " ")
	}
	return t
}
