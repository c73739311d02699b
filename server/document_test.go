package server_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rapports/rapports/index"
)

// TestDocumentMatchesAPI checks GET /api/documents/{id}?q= on a real
// index: the offsets point at the query's words in the whole text, typed
// with or without accents, html=true adds the marked HTML, and bad
// parameters answer 400 naming them.
func TestDocumentMatchesAPI(t *testing.T) {
	h := sampleServer(t)
	const doc = "/api/documents/defense/reunion-etats-majors-manama-2024.txt"
	get := func(target string) (*httptest.ResponseRecorder, index.Document) {
		t.Helper()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		var d index.Document
		if rec.Code == http.StatusOK {
			if err := json.Unmarshal(rec.Body.Bytes(), &d); err != nil {
				t.Fatalf("GET %s: %v", target, err)
			}
		}
		return rec, d
	}
	for _, q := range []string{"défense aérienne", "DEFENSE aerienne", `"défense aérienne"`} {
		rec, d := get(doc + "?q=" + urlq(q))
		if rec.Code != http.StatusOK || len(d.BodyMatches) == 0 {
			t.Fatalf("GET %s?q=%s: %d, %d body matches; want 200 and matches", doc, q, rec.Code, len(d.BodyMatches))
		}
		for _, f := range []struct {
			text    string
			matches []index.Span
		}{{d.Title, d.TitleMatches}, {d.Body, d.BodyMatches}} {
			for _, m := range f.matches {
				w := strings.ToLower(f.text[m.Start:m.End])
				if !strings.HasPrefix(w, "défens") && !strings.HasPrefix(w, "aérien") {
					t.Errorf("q=%s: match %q at %v; want a form of défense or aérienne", q, w, m)
				}
			}
		}
		if d.TitleHTML != "" || d.BodyHTML != "" {
			t.Errorf("q=%s without html: title_html %q, body_html of %d bytes", q, d.TitleHTML, len(d.BodyHTML))
		}
	}
	rec, d := get(doc + "?q=" + urlq("défense") + "&html=true")
	if rec.Code != http.StatusOK || !strings.Contains(d.BodyHTML, "<mark>") || strings.Count(d.BodyHTML, "<mark>") != len(d.BodyMatches) {
		t.Errorf("html=true: %d, body_html with %d marks for %d matches", rec.Code, strings.Count(d.BodyHTML, "<mark>"), len(d.BodyMatches))
	}
	rec, d = get(doc)
	if rec.Code != http.StatusOK || d.BodyMatches != nil || strings.Contains(rec.Body.String(), "_matches") {
		t.Errorf("without q: %d, matches %v; want none", rec.Code, d.BodyMatches)
	}
	for target, param := range map[string]string{
		doc + "?q=" + urlq(`"défense`): "q",
		doc + "?q=d*":                  "q",
		doc + "?q=x&html=oui":          "html",
		doc + "?q=x&highlight=true":    "highlight",
	} {
		rec, _ := get(target)
		var body struct {
			Error struct{ Param string }
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || rec.Code != http.StatusBadRequest || body.Error.Param != param {
			t.Errorf("GET %s: %d %s; want 400 naming %s", target, rec.Code, rec.Body, param)
		}
	}
}
