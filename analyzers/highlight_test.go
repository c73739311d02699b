package analyzers

import (
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// TestHighlightOffsets indexes a text with IndexName in a Bleve index and
// checks that the locations and highlights of accented and elided words
// cover exactly the word as written in the text.
func TestHighlightOffsets(t *testing.T) {
	const text = "Le ministère de la Sécurité publique et l’armée française, " +
		"à Dakar (Sénégal) : l'ŒUVRE des Émirats arabes unis, jusqu’à Noël."
	m := bleve.NewIndexMapping()
	body := bleve.NewTextFieldMapping()
	body.Analyzer = IndexName
	body.IncludeTermVectors = true
	body.Store = true
	m.DefaultMapping.AddFieldMappingsAt("body", body)
	idx, err := bleve.NewMemOnly(m)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	if err := idx.Index("r1", map[string]any{"body": text}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		query, analyzer string
		want            string // the text the match must cover
	}{
		{"securite", FrenchName, "Sécurité"},
		{"SÉCURITÉ", FrenchName, "Sécurité"},
		{"armee", FrenchName, "armée"},
		{"francaises", FrenchName, "française"},
		{"senegal", FrenchName, "Sénégal"},
		{"oeuvre", FrenchName, "ŒUVRE"},
		{"emirats", FrenchName, "Émirats"},
		{"noel", FrenchName, "Noël"},
		{"ministere", ExactQueryName, "ministère"},
		{"l'armée", ExactQueryName, "armée"},
	} {
		q := query.NewMatchQuery(tc.query)
		q.SetField("body")
		q.Analyzer = tc.analyzer
		req := bleve.NewSearchRequest(q)
		req.Fields = []string{"body"}
		req.IncludeLocations = true
		req.Highlight = bleve.NewHighlightWithStyle("html")
		res, err := idx.Search(req)
		if err != nil {
			t.Fatalf("search %q: %v", tc.query, err)
		}
		if len(res.Hits) != 1 {
			t.Errorf("search %q (%s): %d hits; want 1", tc.query, tc.analyzer, len(res.Hits))
			continue
		}
		hit := res.Hits[0]
		found := 0
		for term, locs := range hit.Locations["body"] {
			for _, loc := range locs {
				found++
				if got := text[loc.Start:loc.End]; got != tc.want {
					t.Errorf("search %q (%s): term %q at [%d:%d] covers %q; want %q", tc.query, tc.analyzer, term, loc.Start, loc.End, got, tc.want)
				}
			}
		}
		if found == 0 {
			t.Errorf("search %q (%s): no location", tc.query, tc.analyzer)
		}
		frag := strings.Join(hit.Fragments["body"], " ")
		if want := "<mark>" + tc.want + "</mark>"; !strings.Contains(frag, want) {
			t.Errorf("search %q (%s): fragment %q does not contain %q", tc.query, tc.analyzer, frag, want)
		}
	}
}
