package corpus

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestParseHeader(t *testing.T) {
	cases := []struct {
		name      string
		in        string
		title     string
		date      string
		countries []string
		source    string
		body      string // prefix of the body
		problems  []string
	}{
		{
			name: "inline date",
			in:   " date 2024-06 Le chef d'état-major a parlé.\n\nSuite.",
			date: "2024-06", body: "Le chef d'état-major a parlé.\n\nSuite.",
		},
		{
			name: "all keys",
			in:   "date: 2024-06-15\nTitle: Réunion à Manama\ncountry: IL, BH\nsource: Walla\nurl: https://example.org/a\n\nLe texte.",
			date: "2024-06-15", title: "Réunion à Manama", countries: []string{"IL", "BH"}, source: "Walla", body: "Le texte.",
		},
		{
			name: "French keys and names",
			in:   "  TITRE : Le rapport\n  Pays : Israël; Émirats arabes unis\n  DATE : 14 avril 2024\nCorps.",
			date: "2024-04-14", title: "Le rapport", countries: []string{"IL", "AE"}, body: "Corps.",
		},
		{
			name: "date and time",
			in:   "date: 2024-06-15 10:30:00\ntitle: Le rapport\n\nCorps.",
			date: "2024-06-15", title: "Le rapport", body: "Corps.",
		},
		{
			name: "date and time, then inline body",
			in:   "date 2024-06-15 10h30 Le ministre a parlé.\n\nSuite.",
			date: "2024-06-15", body: "10h30 Le ministre a parlé.",
		},
		{
			name: "not a header",
			in:   "Date limite de dépôt : demain.\nSuite.",
			body: "Date limite de dépôt : demain.",
		},
		{
			name: "title without colon is body",
			in:   "Title of the report\n\nText.",
			body: "Title of the report",
		},
		{
			name:     "impossible date",
			in:       "date: 2024-13\n\nTexte.",
			body:     "Texte.",
			problems: []string{"1: date: \"2024-13\" is not a date"},
		},
		{
			name:     "impossible French date inline",
			in:       "date 31 février 2024 Le texte.",
			body:     "Le texte.",
			problems: []string{"1: date: \"31 février 2024\" is not a date: no such day"},
		},
		{
			name: "unknown country",
			in:   "country: FR, XX\ndate 2024\n\nTexte.",
			date: "2024", countries: []string{"FR"}, body: "Texte.",
			problems: []string{"1: country: unknown country \"XX\""},
		},
		{
			name: "CRLF",
			in:   "date: 2024-06-15\r\ntitle: Titre\r\n\r\nTexte\r\n",
			date: "2024-06-15", title: "Titre", body: "Texte\r\n",
		},
		{
			name: "front matter",
			in:   "---\ntitle: \"Le titre\"\nlayout: post\ndate: 2024-06-15 10:00\ncountries: [FR, DE]\ntags:\n  - a\n---\n\nLe texte.",
			date: "2024-06-15", title: "Le titre", countries: []string{"FR", "DE"}, body: "\nLe texte.",
		},
		{name: "empty", in: ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var problems []string
			h, body := parseHeader(tc.in, func(line int, err error) { problems = append(problems, fmt.Sprintf("%d: %v", line, err)) })
			if h.title != tc.title || h.date.String() != tc.date || !slices.Equal(h.countries, tc.countries) || h.source != tc.source {
				t.Errorf("parseHeader(%q) = title %q date %q countries %v source %q; want %q %q %v %q",
					tc.in, h.title, h.date, h.countries, h.source, tc.title, tc.date, tc.countries, tc.source)
			}
			if !strings.HasPrefix(body, tc.body) {
				t.Errorf("parseHeader(%q) body = %q; want it to start with %q", tc.in, body, tc.body)
			}
			if len(problems) != len(tc.problems) {
				t.Fatalf("parseHeader(%q) problems = %q; want %q", tc.in, problems, tc.problems)
			}
			for i := range problems {
				if !strings.HasPrefix(problems[i], tc.problems[i]) {
					t.Errorf("parseHeader(%q) problem %d = %q; want it to start with %q", tc.in, i, problems[i], tc.problems[i])
				}
			}
		})
	}
}

func TestSplitTitle(t *testing.T) {
	long := strings.Repeat("mot ", 60)
	cases := []struct {
		in, title, body string
		md              bool
	}{
		{"Football : matchs\n\nLe texte suit.", "Football : matchs", "Le texte suit.", false},
		{"# Titre Markdown\nTexte.", "Titre Markdown", "Texte.", true},
		{"Une phrase assez longue pour un titre, vraiment. La suite du texte.", "Une phrase assez longue pour un titre, vraiment.", "Une phrase assez longue pour un titre, vraiment. La suite du texte.", false},
		{long, strings.TrimSpace(long[:119]) + "…", long, false},
		{"", "", "", false},
	}
	for _, tc := range cases {
		title, body := splitTitle(tc.in, tc.md)
		if title != tc.title || body != tc.body {
			t.Errorf("splitTitle(%q) = %q, %q; want %q, %q", tc.in, title, body, tc.title, tc.body)
		}
	}
}

func TestHTMLText(t *testing.T) {
	cases := []struct {
		in, title, body string
	}{
		{`<html><head><title> Le  rapport </title><style>p{}</style><script>var x = "<p>";</script></head>
<body><h1>Titre H1</h1><p>Premier <b>paragraphe</b>.</p><p>Second&nbsp;paragraphe&eacute;.</p><!-- note --></body></html>`,
			"Le rapport", "Titre H1\n\nPremier paragraphe.\n\nSecond paragrapheé."},
		{`<h1>Seul titre</h1><div>Texte<br>ligne</div>`, "Seul titre", "Seul titre\n\nTexte\nligne"},
		{`<p>pas de titre</p>`, "", "pas de titre"},
		{``, "", ""},
	}
	for _, tc := range cases {
		title, body := htmlText(tc.in)
		if title != tc.title || body != tc.body {
			t.Errorf("htmlText(%q) = %q, %q; want %q, %q", tc.in, title, body, tc.title, tc.body)
		}
	}
}
