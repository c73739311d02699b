package index_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"testing/fstest"

	"github.com/rapports/rapports/corpus"
	"github.com/rapports/rapports/index"
)

// reports returns three short reports for the examples.
func reports() []corpus.Report {
	date := func(s string) corpus.Date {
		d, err := corpus.ParseISODate(s)
		if err != nil {
			log.Fatal(err)
		}
		return d
	}
	return []corpus.Report{
		{ID: "r1", Title: "Coopération militaire régionale", Date: date("2024-06"), Countries: []string{"IL", "JO"},
			Body: "Les défenses aériennes israéliennes et jordaniennes ont coopéré contre les missiles."},
		{ID: "r2", Title: "Élection au Sénégal", Date: date("2024-03-25"), Countries: []string{"SN"},
			Body: "La défense des institutions a marqué l'élection présidentielle."},
		{ID: "r3", Title: "Bouclier européen", Date: date("2022-10-14"), Countries: []string{"DE", "PL"},
			Body: "L'Allemagne veut une défense aérienne commune avec la Pologne."},
	}
}

// openWith returns a new index in memory holding reps, as
// ExampleOpenMemory builds one: each example has an index of its own, to
// Close when done.
func openWith(ctx context.Context, reps ...corpus.Report) *index.Index {
	idx, err := index.OpenMemory()
	if err != nil {
		log.Fatal(err)
	}
	if err := idx.Add(ctx, reps...); err != nil {
		log.Fatal(err)
	}
	return idx
}

func ExampleOpenMemory() {
	ctx := context.Background()
	idx, err := index.OpenMemory()
	if err != nil {
		log.Fatal(err)
	}
	defer idx.Close()
	if err := idx.Add(ctx, reports()...); err != nil {
		log.Fatal(err)
	}
	st, err := idx.Stats(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(st.Documents, "reports from", st.FirstDate, "to", st.LastDate)
	// Output: 3 reports from 2022-10-14 to 2024-06-01
}

func ExampleIndex_Search() {
	ctx := context.Background()
	idx := openWith(ctx, reports()...)
	defer idx.Close()
	// A phrase matches across inflections, in date order, with highlights.
	res, err := idx.Search(ctx, index.Request{Query: `"défense aérienne"`, Sort: index.SortDate, Highlight: true})
	if err != nil {
		log.Fatal(err)
	}
	for _, h := range res.Hits {
		fmt.Println(h.ID, h.Date, h.FragmentsHTML[0])
	}
	// Output:
	// r3 2022-10-14 L&#39;Allemagne veut une <mark>défense</mark> <mark>aérienne</mark> commune avec la Pologne.
	// r1 2024-06 Les <mark>défenses</mark> <mark>aériennes</mark> israéliennes et jordaniennes ont coopéré contre les missiles.
}

func ExampleIndex_Search_filters() {
	ctx := context.Background()
	idx := openWith(ctx, reports()...)
	defer idx.Close()
	// Words are ANDed, in any form; countries are any of; To includes
	// the whole month.
	res, err := idx.Search(ctx, index.Request{Query: "défense", Countries: []string{"SN", "IL"}, From: "2024", To: "2024-03"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Total, res.Hits[0].ID, res.Hits[0].Title)
	// Output: 1 r2 Élection au Sénégal
}

func ExampleIndex_Search_facets() {
	ctx := context.Background()
	idx := openWith(ctx, reports()...)
	defer idx.Close()
	res, err := idx.Search(ctx, index.Request{
		Query:     "défense",
		Countries: []string{"SN"},
		Facets:    index.FacetOptions{Countries: 3, DateInterval: "year"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("hits:", res.Total)
	// The country facet ignores the country filter, so it shows what each
	// country would add, and it lists the selected countries after the
	// top ones; the date facet applies every filter.
	for _, c := range res.Facets.Country {
		fmt.Println(c.Code, c.Name, c.Count)
	}
	for _, d := range res.Facets.Date {
		fmt.Println(d.Period, d.Count)
	}
	// Output:
	// hits: 1
	// DE Allemagne 1
	// IL Israël 1
	// JO Jordanie 1
	// SN Sénégal 1
	// 2024 1
}

// Indexing a folder is incremental: a second run reads every file again but
// rewrites only the reports that changed, and removes the ones gone.
func ExampleIndex_AddFS() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "rapports-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	idx, err := index.Open(filepath.Join(dir, "index"), index.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer idx.Close()

	folder := fstest.MapFS{
		"2024/manama.txt":  {Data: []byte("date 2024-06\ntitle: Réunion à Manama\n\nLes chefs d'état-major se sont réunis à Bahreïn.\n")},
		"2024/senegal.txt": {Data: []byte("date 2024-03-25\n\nÉlection au Sénégal\n\nLe scrutin s'est tenu dans le calme.\n")},
		"notes.md":         {Data: []byte("# Notes\n\nLa défense aérienne israélienne a intercepté les drones.\n")},
	}
	st, err := idx.AddFS(ctx, folder, "rapports", index.AddOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(st.Added, "added,", st.Failed, "failed")

	folder["notes.md"] = &fstest.MapFile{Data: []byte("# Notes\n\nLa défense aérienne a intercepté les drones iraniens.\n")}
	delete(folder, "2024/senegal.txt")
	if st, err = idx.AddFS(ctx, folder, "rapports", index.AddOptions{}); err != nil {
		log.Fatal(err)
	}
	fmt.Println(st.Added, "added,", st.Updated, "updated,", st.Unchanged, "unchanged,", st.Removed, "removed")

	res, err := idx.Search(ctx, index.Request{Query: "drone iranien"})
	if err != nil {
		log.Fatal(err)
	}
	for _, h := range res.Hits {
		fmt.Println(h.ID, h.Countries)
	}
	// Output:
	// 3 added, 0 failed
	// 0 added, 1 updated, 1 unchanged, 1 removed
	// notes.md [IR]
}

// A query naming an organisation finds its other names (at query time, so
// a new gazetteer needs no re-index), and the organisation facet counts the
// organisations that corpus.FindOrganizations found in each report.
func ExampleIndex_Search_organizations() {
	ctx := context.Background()
	var reps []corpus.Report
	for i, body := range []string{
		"Les Nations unies appellent à un cessez-le-feu.",
		"L'ONU et l'OTAN appellent au calme.",
		"L'OM a battu Lyon.",
	} {
		r := corpus.Report{ID: fmt.Sprintf("r%d", i+1), Body: body}
		r.Organizations, r.OrgMentions = corpus.FindOrganizations(body)
		reps = append(reps, r)
	}
	idx := openWith(ctx, reps...)
	defer idx.Close()
	res, err := idx.Search(ctx, index.Request{Query: "ONU", Sort: index.SortDate})
	if err != nil {
		log.Fatal(err)
	}
	for _, h := range res.Hits {
		fmt.Println(h.ID, h.Organizations)
	}
	for _, o := range res.Facets.Organization {
		fmt.Println(o.Acronym, o.Count)
	}
	// Output:
	// r1 [ONU]
	// r2 [ONU OTAN]
	// ONU 2
	// OTAN 1
}

// A request is checked without an index: the defaults are applied and a
// field at fault is named.
func ExampleRequest_Normalized() {
	req, err := index.Request{Query: "armée", Countries: []string{"fr", " IL"}}.Normalized()
	fmt.Println(req.Size, req.Page, req.Sort, req.Countries, err)

	_, err = index.Request{Query: "armée", Size: 500}.Normalized()
	var re *index.RequestError
	if errors.As(err, &re) {
		fmt.Printf("%s: %s (bad request: %t)\n", re.Field, re.Reason, errors.Is(err, index.ErrBadRequest))
	}
	// Output:
	// 10 1 relevance [FR IL] <nil>
	// size: 500 is out of range (want 1 to 100) (bad request: true)
}

// A query that does not parse says where and what: the search page
// explains the kind in French.
func ExampleQueryError() {
	_, err := index.Request{Query: `armée "défense aérienne`}.Normalized()
	var qe *index.QueryError
	if errors.As(err, &qe) {
		fmt.Println(qe.Kind, qe.Pos, errors.Is(err, index.ErrBadQuery))
		fmt.Println(err)
	}
	// Output:
	// unclosed_quote 7 true
	// index: bad query: unclosed quote at 7
}

// A hit's Title is plain text; TitleMatches are the byte offsets of the
// matched words in it, and TitleHTML the same title escaped, with <mark>.
func ExampleHit_titleMatches() {
	ctx := context.Background()
	idx := openWith(ctx, corpus.Report{ID: "r1", Title: "L'armée & la défense aérienne", Body: "Un rapport."})
	defer idx.Close()
	res, err := idx.Search(ctx, index.Request{Query: "défense", Highlight: true})
	if err != nil {
		log.Fatal(err)
	}
	h := res.Hits[0]
	fmt.Println(h.Title)
	for _, m := range h.TitleMatches {
		fmt.Printf("[%d,%d) %s\n", m.Start, m.End, h.Title[m.Start:m.End])
	}
	fmt.Println(h.TitleHTML)
	// Output:
	// L'armée & la défense aérienne
	// [14,22) défense
	// L&#39;armée &amp; la <mark>défense</mark> aérienne
}

// A paged report (as corpus reads a PDF) gives each hit the pages of its
// matches.
func ExampleHit_pages() {
	ctx := context.Background()
	idx, err := index.OpenMemory()
	if err != nil {
		log.Fatal(err)
	}
	defer idx.Close()
	body := "Introduction.\n\nLes drones armés.\n\nLe budget.\n\nUn drone abattu."
	r := corpus.Report{ID: "r.pdf", Title: "Rapport", Body: body, FirstPage: 1,
		PageStarts: []int{0, strings.Index(body, "Les"), strings.Index(body, "Le budget"), strings.Index(body, "Un drone")}}
	if err := idx.Add(ctx, r); err != nil {
		log.Fatal(err)
	}
	res, err := idx.Search(ctx, index.Request{Query: "drones"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Hits[0].ID, res.Hits[0].Pages)
	// Output: r.pdf [2 4]
}
