package index

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/rapports/rapports/corpus"
)

// phraseReports hold phrases in a row, apart, across fields, with stop
// words between and in other forms.
func phraseReports() []corpus.Report {
	return []corpus.Report{
		{ID: "coupe-titre", Title: "La coupe du monde commence", Body: "Les supporters arrivent au stade."},
		{ID: "coupe-corps", Title: "Football", Body: "Avant la coupe du monde, les joueurs s'entraînent. La coupe est pleine."},
		{ID: "coupes", Title: "Sport", Body: "Les coupes du monde se suivent et ne se ressemblent pas."},
		{ID: "coupe-autre-mot", Title: "Sport", Body: "La coupe de monde et la coupe au monde ne sont pas des phrases justes."},
		{ID: "coupe-sans-du", Title: "Sport", Body: "Une coupe monde sans article, puis le monde de la coupe."},
		{ID: "a-cheval", Title: "Le vainqueur de la coupe", Body: "Du monde entier, les visiteurs arrivent."},
		{ID: "ordre", Title: "Sport", Body: "Le monde du football attend la coupe."},
		{ID: "ministre", Title: "Le Premier ministre parle", Body: "Le premier ministre a parlé de la réforme des retraites."},
		{ID: "ministres", Title: "Gouvernement", Body: "Les premiers ministres européens se réunissent. Réforme des retraites en vue."},
		{ID: "premier-loin", Title: "Gouvernement", Body: "Le premier jour, le ministre a parlé de la réforme, puis des retraites."},
		{ID: "saint-nazaire", Title: "Saint-Nazaire : le port rouvre", Body: "Les chantiers de Saint-Nazaire accueillent un paquebot."},
		{ID: "saint-loin", Title: "Port", Body: "Un saint homme, Nazaire, visite les chantiers."},
		{ID: "repete", Title: "Fin", Body: "La fin de la fin de vie approche ; fin de vie et soins."},
		{ID: "vie-fin", Title: "Fin", Body: "Une vie sans fin de débats."},
		{ID: "gilets", Title: "Les gilets jaunes manifestent", Body: "Des gilets et des drapeaux jaunes dans la rue."},
		{ID: "gilets-corps", Title: "Manifestation", Body: "Les gilets jaunes sont dans la rue ; la coupe du monde attendra."},
	}
}

// TestRankedPhrases checks that the words query's own check of a phrase
// (in a row, from the positions it reads) finds the same reports, with the
// same scores and order, as Bleve's phrase query as a filter did, on an
// index in memory and on disk.
func TestRankedPhrases(t *testing.T) {
	queries := []string{
		`"coupe du monde"`, `"coupes du monde"`, `exact:"coupe du monde"`, `exact:"coupes du monde"`,
		`"coupe monde"`, `"monde coupe"`, `"la coupe"`, `title:"coupe du monde"`, `"coupe du monde" supporters`,
		`"coupe du monde" "gilets jaunes"`, `"gilets jaunes" rue`, `title:"gilets jaunes" rue`,
		`"premier ministre"`, `"premier ministre" "réforme des retraites"`, `"premier ministre" réforme retraites`,
		`Saint-Nazaire`, `Saint-Nazaire chantiers`, `"fin de vie"`, `"fin de la fin de vie"`, `"vie fin"`,
		`coupe -"coupe du monde"`, `"coupe du monde" OR "premier ministre"`, `("coupe du monde" OR ministre) football`,
		`"coupe du monde"~2`, `"coupe du monde" -stade`,
	}
	for name, open := range map[string]func(t *testing.T) *Index{
		"memory": func(t *testing.T) *Index { idx, err := OpenMemory(); return filled(t, idx, err, phraseReports()) },
		"disk": func(t *testing.T) *Index {
			idx, err := Open(t.TempDir(), Options{})
			return filled(t, idx, err, phraseReports())
		},
	} {
		t.Run(name, func(t *testing.T) {
			idx := open(t)
			found := 0
			for _, q := range queries {
				req := Request{Query: q, Size: 100, Highlight: true}
				got, err := idx.Search(context.Background(), req)
				if err != nil {
					t.Fatalf("Search(%q): %v", q, err)
				}
				blevePhrases = true
				want, err := idx.Search(context.Background(), req)
				blevePhrases = false
				if err != nil {
					t.Fatalf("Search(%q) with Bleve's phrases: %v", q, err)
				}
				if got.Total != want.Total {
					t.Errorf("%s: total %d; Bleve's phrases %d", q, got.Total, want.Total)
				}
				if !slices.EqualFunc(got.Hits, want.Hits, func(a, b Hit) bool {
					return a.ID == b.ID && a.Score == b.Score && slices.EqualFunc(a.Fragments, b.Fragments, func(x, y Fragment) bool {
						return x.Text == y.Text && slices.Equal(x.Matches, y.Matches)
					})
				}) {
					t.Errorf("%s: hits %v; Bleve's phrases %v", q, scored(got), scored(want))
				}
				found += len(got.Hits)
			}
			if found == 0 {
				t.Fatal("no query found anything")
			}
		})
	}
	t.Run("examples", func(t *testing.T) {
		// The check itself, on reports known to match or not.
		idx, err := OpenMemory()
		idx = filled(t, idx, err, phraseReports())
		tests := []struct {
			q    string
			want []string
		}{
			// A stop word is a gap any stop word fills: "coupe de monde".
			{`"coupe du monde"`, []string{"coupe-titre", "coupe-corps", "coupes", "coupe-autre-mot", "gilets-corps"}},
			{`exact:"coupes du monde"`, []string{"coupes"}},
			{`"coupe monde"`, []string{"coupe-sans-du"}},
			{`title:"coupe du monde"`, []string{"coupe-titre"}},
			{`"premier ministre"`, []string{"ministre", "ministres"}},
			{`Saint-Nazaire`, []string{"saint-nazaire"}},
			{`"fin de vie"`, []string{"repete"}},
			{`"gilets jaunes" rue`, []string{"gilets", "gilets-corps"}},
		}
		for _, tt := range tests {
			res, err := idx.Search(context.Background(), Request{Query: tt.q, Size: 100})
			if err != nil {
				t.Fatal(err)
			}
			if got := sorted(ids(res)); !slices.Equal(got, sorted(tt.want)) {
				t.Errorf("%s: %q; want %q", tt.q, got, sorted(tt.want))
			}
		}
	})
}

// scored lists the IDs and scores of res's hits.
func scored(res *Result) []string {
	out := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = fmt.Sprintf("%s:%g", h.ID, h.Score)
	}
	return out
}
