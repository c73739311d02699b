package corpus

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"
)

// FuzzParseDate checks that ParseDate never panics, that every error wraps
// ErrBadDate, and that a date it accepts prints as an ISO date that
// ParseISODate reads back to the same date.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2024", "2024-06", "2024-06-15", "2024-06-15T10:00:00Z", "15/06/2024", "15.06.2024",
		"14 avril 2024", "1er mars 2023", "mardi 2 janvier 2024", "le 2 janvier 2024", "avril 2024", "AOÛT 2021",
		"31 février 2024", "2024-13", "0000-00-00", "99999", "1/1/1", "le", "  ", "2024-06-15T", "févr. 2020"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if !errors.Is(err, ErrBadDate) {
				t.Fatalf("ParseDate(%q): error %v does not wrap ErrBadDate", s, err)
			}
			return
		}
		if d.IsZero() {
			t.Fatalf("ParseDate(%q) = zero date and no error", s)
		}
		back, err := ParseISODate(d.String())
		if err != nil || back != d {
			t.Fatalf("ParseDate(%q) = %v (%s); ParseISODate(%q) = %v, %v; want the same date", s, d, d.Precision, d.String(), back, err)
		}
	})
}

// FuzzParseHeader checks that the header parser never panics, reports
// problems on header lines only, and returns a body no longer than the text.
func FuzzParseHeader(f *testing.F) {
	for _, s := range []string{
		"date 2024-06\ntitle: Réunion à Manama\ncountry: IL, BH\nsource: Note\nurl: https://example.org\n\nLe texte.",
		"date 2024-06 Le chef d'état-major a parlé.",
		"Date limite de dépôt : demain.",
		"date: 2024-13\n\nTexte.",
		"pays : XX, FR\ntitre : Un titre\n\nCorps",
		"  date : 14 avril 2024\r\ntitle:\r\n\r\nTexte",
		"date\ndate:\ndate 2024 2025",
		"\n\n\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		lines := strings.Count(text, "\n") + 1
		h, body := parseHeader(text, func(line int, err error) {
			if line < 1 || line > maxFrontMatterLines || line > lines {
				t.Fatalf("parseHeader(%q): problem at line %d of %d: %v", text, line, lines, err)
			}
			if err == nil {
				t.Fatalf("parseHeader(%q): nil problem at line %d", text, line)
			}
		})
		if len(body) > len(text) {
			t.Fatalf("parseHeader(%q): body %q longer than the text", text, body)
		}
		if h.hasDate && h.date.IsZero() {
			t.Fatalf("parseHeader(%q): hasDate with a zero date", text)
		}
		for _, c := range h.countries {
			if !IsCountry(c) {
				t.Fatalf("parseHeader(%q): country %q is not a country", text, c)
			}
		}
	})
}

// FuzzReadJSON feeds the same bytes to the JSON and the JSON Lines reader
// (and the text reader): none may panic, every report has an ID, a body
// and a hash, and problems name the file.
func FuzzReadJSON(f *testing.F) {
	for _, s := range []string{
		`{"id": "a", "title": "Titre", "date": "2024-06-11", "country": "SN", "text": "Le Sénégal exporte."}`,
		`[{"text": "un"}, {"text": 2}, {"body": "trois", "countries": ["FR", "XX"]}]`,
		`{"id": 42, "content": "texte", "date": "pas une date"}` + "\n" + `{"id": "b", "text": "deux"` + "\n\n" + `{"id": null, "text": "x"}`,
		`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]`,
		`{"id": {"a": 1}, "text": "x"}`,
		`{"text": "x", "countries": "FR, DE"}` + "\r\n" + `"chaîne"` + "\n" + `123`,
		"\xef\xbb\xbf{\"text\": \"bom\"}",
		`[{"text": "a"}, 1, "b", null]`,
		``,
		`   `,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{
			"f.json":  {Data: data},
			"f.jsonl": {Data: data},
			"f.txt":   {Data: data},
		}
		var problems []Problem
		reports := 0
		st, err := WalkFS(context.Background(), fsys, Options{OnProblem: func(p Problem) { problems = append(problems, p) }},
			func(r Report) error {
				reports++
				if r.ID == "" || r.Hash == "" {
					t.Fatalf("input %q: report %+v lacks an ID or a hash", data, r)
				}
				if r.Path != "f.txt" && strings.TrimSpace(r.Body) == "" {
					t.Fatalf("input %q: JSON report %+v has no body", data, r)
				}
				if !utf8.ValidString(r.Body) || !utf8.ValidString(r.Title) {
					t.Fatalf("input %q: report %q has invalid UTF-8", data, r.ID)
				}
				if len(r.Countries) != len(r.Mentions) {
					t.Fatalf("input %q: report %q has %d countries and %d mentions", data, r.ID, len(r.Countries), len(r.Mentions))
				}
				return nil
			})
		if err != nil {
			t.Fatalf("input %q: WalkFS: %v", data, err)
		}
		if st.Reports != reports || st.Failed != len(problems) || st.Files != 3 {
			t.Fatalf("input %q: stats %+v; emitted %d reports, %d problems", data, st, reports, len(problems))
		}
		for _, p := range problems {
			if p.Err == nil || !strings.HasPrefix(p.Error(), p.Path) || p.Path == "" {
				t.Fatalf("input %q: problem %#v does not name its file and reason", data, p)
			}
		}
	})
}
