package web_test

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rapports/rapports/server/web"
)

// TestPageFunctions runs the page's parsing and formatting functions in the
// browser, case by case.
func TestPageFunctions(t *testing.T) {
	needChrome(t)
	srv := httptest.NewServer(web.Handler()) // no API: these functions need none
	defer srv.Close()
	b := startBrowser(t, srv.URL)
	b.do("opening the page", chromedp.Navigate(srv.URL+"/"))
	if err := b.poll(`window.rapportsPage`); err != nil {
		t.Fatalf("waiting for the page's script: %v", err)
	}

	call := func(expr string, args ...any) string {
		t.Helper()
		js, err := json.Marshal(args)
		if err != nil {
			t.Fatal(err)
		}
		return eval[string](b, fmt.Sprintf(`String((%s)(...%s))`, expr, js))
	}

	// markedText: text with the server's matches, [start, end) byte offsets
	// into its UTF-8, as nodes, serialized back.
	for _, tc := range []struct{ text, spans, want string }{
		{"coopération régionale", `[{"start":0,"end":12}]`, "<mark>coopération</mark> régionale"},
		{"la coopération", `[{"start":3,"end":15}]`, "la <mark>coopération</mark>"},
		{"😀 défense aérienne", `[{"start":5,"end":13},{"start":14,"end":23}]`, "😀 <mark>défense</mark> <mark>aérienne</mark>"},
		{"<b>x</b> & y", `[{"start":3,"end":4}]`, "&lt;b&gt;<mark>x</mark>&lt;/b&gt; &amp; y"},
		{`<img src=x onerror="alert(1)">`, `[]`, `&lt;img src=x onerror="alert(1)"&gt;`},
		// Unsorted and overlapping spans are merged.
		{"abcdef", `[{"start":3,"end":5},{"start":0,"end":2},{"start":1,"end":3}]`, "<mark>abcde</mark>f"},
		// Past the end: cut at the end; inside a character: to its end.
		{"été", `[{"start":1,"end":99}]`, "é<mark>té</mark>"},
		{"été", `[{"start":0,"end":1}]`, "<mark>é</mark>té"},
		// Not spans: left out.
		{"abc", `[{"start":2,"end":1},{"start":-1,"end":2},{"start":"0","end":1},null,{"start":0.5,"end":2}]`, "abc"},
		{"abc", `null`, "abc"},
		{"", `[{"start":0,"end":1}]`, ""},
	} {
		got := eval[string](b, fmt.Sprintf(`(() => { const d = document.createElement('div'); d.append(rapportsPage.markedText(%q, %s)); return d.innerHTML; })()`, tc.text, tc.spans))
		if got != tc.want {
			t.Errorf("markedText(%q, %s) = %q; want %q", tc.text, tc.spans, got, tc.want)
		}
	}

	// markedParagraphs: a body in paragraphs (blank lines) and lines (<br>),
	// its matches, offsets into the whole text, marked across the cuts.
	for _, tc := range []struct{ text, spans, want string }{
		{"défense\n\naérienne", `[{"start":0,"end":8},{"start":10,"end":19}]`, "<p><mark>défense</mark></p><p><mark>aérienne</mark></p>"},
		{"a\nbé c\n \n\nd", `[{"start":2,"end":5},{"start":11,"end":12}]`, "<p>a<br><mark>bé</mark> c</p><p><mark>d</mark></p>"},
		// A match cut by a line break is two marks, one match.
		{"ab\ncd", `[{"start":1,"end":4}]`, `<p>a<mark data-m="0">b</mark><br><mark data-m="0" class="cont">c</mark>d</p>`},
		{"\n\n", `[]`, ""},
	} {
		got := eval[string](b, fmt.Sprintf(`(() => { const c = {n: 0}; const d = document.createElement('div'); d.append(rapportsPage.markedParagraphs(%q, %s, c)); return d.innerHTML + ' ' + c.n; })()`, tc.text, tc.spans))
		n := strings.Count(tc.want, "<mark") - strings.Count(tc.want, `class="cont"`)
		if want := fmt.Sprintf("%s %d", tc.want, n); got != want {
			t.Errorf("markedParagraphs(%q, %s) = %q; want %q", tc.text, tc.spans, got, want)
		}
	}

	// markedPages: a PDF's body in its pages; a match that crosses a page
	// start is cut there and counted once.
	for _, tc := range []struct{ text, spans, starts, want string }{
		{"un drone\n\narmé", `[{"start":3,"end":8}]`, `[0, 10]`,
			`<section class="pdf-page" id="p4" data-page="4"><p class="page-break">Page 4</p><p>un <mark>drone</mark></p></section>` +
				`<section class="pdf-page" id="p5" data-page="5"><p class="page-break">Page 5</p><p>armé</p></section> 1`},
		{"un drone\n\narmé", `[{"start":3,"end":15}]`, `[0, 10]`,
			`<section class="pdf-page" id="p4" data-page="4"><p class="page-break">Page 4</p><p>un <mark data-m="0">drone</mark></p></section>` +
				`<section class="pdf-page" id="p5" data-page="5"><p class="page-break">Page 5</p><p><mark data-m="0" class="cont">armé</mark></p></section> 1`},
		{"a\n\nb\n\nc", `[{"start":0,"end":1},{"start":0,"end":7}]`, `[0, 3, 6]`,
			`<section class="pdf-page" id="p4" data-page="4"><p class="page-break">Page 4</p><p><mark data-m="0">a</mark></p></section>` +
				`<section class="pdf-page" id="p5" data-page="5"><p class="page-break">Page 5</p><p><mark data-m="0" class="cont">b</mark></p></section>` +
				`<section class="pdf-page" id="p6" data-page="6"><p class="page-break">Page 6</p><p><mark data-m="0" class="cont">c</mark></p></section> 1`},
	} {
		got := eval[string](b, fmt.Sprintf(`(() => { const c = {n: 0}; const d = document.createElement('div'); d.append(rapportsPage.markedPages(%q, %s, %s, 4, c)); return d.innerHTML + ' ' + c.n; })()`, tc.text, tc.spans, tc.starts))
		if got != tc.want {
			t.Errorf("markedPages(%q, %s, %s) = %q; want %q", tc.text, tc.spans, tc.starts, got, tc.want)
		}
	}

	// formatDate: French dates; anything else as is.
	for _, tc := range []struct{ in, want string }{
		{"2024", "2024"},
		{"2024-06", "juin 2024"},
		{"2024-06-01", "1er juin 2024"},
		{"2024-02-15", "15 février 2024"},
		{"2024-13", "2024-13"},
		{"2024-06-40", "2024-06-40"},
		{"hier", "hier"},
		{"", ""},
	} {
		got := call(`rapportsPage.formatDate`, tc.in)
		if got != tc.want {
			t.Errorf("formatDate(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}

	// isoDate: what may be typed in the date inputs.
	for _, tc := range []struct{ in, want string }{
		{"2024", "2024"},
		{" 2024-06 ", "2024-06"},
		{"2024-06-15", "2024-06-15"},
		{"15/06/2024", "2024-06-15"},
		{"5/6/2024", "2024-06-05"},
		{"06/2024", "2024-06"},
		{"juin 2024", "2024-06"},
		{"Février 2023", "2023-02"},
		{"fevrier 2023", "2023-02"},
		{"sept. 2021", "2021-09"},
		{"1er juin 2024", "2024-06-01"},
		{"14 juillet 1789", "1789-07-14"},
		{"ju 2024", "ju 2024"},
		{"brumaire 2024", "brumaire 2024"},
		{"hier", "hier"},
		{"", ""},
	} {
		got := call(`rapportsPage.isoDate`, tc.in)
		if got != tc.want {
			t.Errorf("isoDate(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}

	// fillPeriods: the missing bars of the histogram, counted 0.
	for _, tc := range []struct{ in, want string }{
		{`[{"period":"2024-11","count":1},{"period":"2025-02","count":3}]`, "2024-11:1 2024-12:0 2025-01:0 2025-02:3"},
		{`[{"period":"2024","count":2},{"period":"2021","count":1}]`, "2021:1 2022:0 2023:0 2024:2"},
		{`[{"period":"2024-06","count":5}]`, "2024-06:5"},
		{`[]`, ""},
	} {
		got := eval[string](b, `rapportsPage.fillPeriods(`+tc.in+`).map((b) => b.period + ':' + b.count).join(' ')`)
		if got != tc.want {
			t.Errorf("fillPeriods(%s) = %q; want %q", tc.in, got, tc.want)
		}
	}

	// queryProblem: the kind and position of the API's error on a query,
	// said in French, with the corrected query when it is certain.
	for _, tc := range []struct {
		q, kind string
		pos     int
		want    string
	}{
		{`"non fermé`, "unclosed_quote", 1,
			`Requête mal formée, caractère 1 : guillemet (") ouvert mais pas fermé. | "non fermé"`},
		{"(Gaza OR Liban", "unclosed_paren", 1,
			"Requête mal formée, caractère 1 : parenthèse ouverte mais pas fermée. | (Gaza OR Liban)"},
		{"Gaza OR", "or_without_right", 6, "Requête mal formée, caractère 6 : OR sans mot après lui. | "},
		{"armée -", "no_term", 7, "Requête mal formée, caractère 7 : « - » sans mot après. | "},
		{"défense title: Gaza", "no_term", 9, "Requête mal formée, caractère 9 : « title: » sans mot après. | "},
		{"(a*)", "prefix_too_short", 2,
			"Requête mal formée, caractère 2 : préfixe « a* » trop court : écrivez plus de lettres avant *. | "},
		{"œuvre é* x", "prefix_too_short", 7,
			"Requête mal formée, caractère 7 : préfixe « é* » trop court : écrivez plus de lettres avant *. | "},
		{"mi*t", "star_inside_word", 3,
			"Requête mal formée, caractère 3 : * au milieu d’un mot : seul le préfixe est possible (milit*). | "},
		{"co* x", "prefix_too_many", 1,
			"Recherche trop coûteuse, caractère 1 : préfixe « co* » trop court : trop de mots commencent ainsi, allongez-le. | "},
		{`"a b"~500 c`, "proximity_too_far", 6,
			"Recherche trop coûteuse, caractère 6 : proximité « ~500 » trop large : réduisez le nombre de positions. | "},
		{`"a b"~x`, "bad_proximity", 6,
			`Requête mal formée, caractère 6 : « ~x » après une expression attend un nombre de positions, par exemple "défense aérienne"~5. | `},
		{"x", "something_new", 4, "Requête mal formée, caractère 4 (voir « Syntaxe »). | "},
		{"x", "constructor", 1, "Requête mal formée, caractère 1 (voir « Syntaxe »). | "},
		{"...", "empty", 0, "Requête mal formée : aucun mot à chercher. | "},
		{"x", "", 3, "null"},
	} {
		got := call(`(q, k, p) => { const r = rapportsPage.queryProblem(q, k, p); return r ? r.message + ' | ' + r.fixed : 'null'; }`, tc.q, tc.kind, tc.pos)
		if got != tc.want {
			t.Errorf("queryProblem(%q, %q, %d) = %q; want %q", tc.q, tc.kind, tc.pos, got, tc.want)
		}
	}

	// relaxedQueries: looser forms of a query that found nothing.
	for _, tc := range []struct{ in, want string }{
		{`"défense aérienne"`, "défense aérienne | défense OR aérienne"},
		{"défense aérienne", "défense OR aérienne"},
		{`"grève des dentistes" sncf`, "grève des dentistes sncf | grève OR dentistes OR sncf"},
		{"la grève de la SNCF", "grève OR SNCF"},
		{"défense de l’air", "défense OR l’air"},
		{"la défense", ""},
		{"exact:armées title:drones", "armées drones | armées OR drones"},
		{`"défense aérienne" -Iran`, "défense aérienne -Iran"},
		{"Gaza OR Liban", ""},
		{"(Gaza Liban) armée", ""},
		{"armée", ""},
		{`"armée"`, "armée"},
		{"", ""},
	} {
		// The stop words of the cases, as the server's analyzer has them.
		got := call(`(q) => rapportsPage.relaxedQueries(q, (w) => !/^(la|de|des|l’)$/.test(w)).join(' | ')`, tc.in)
		if got != tc.want {
			t.Errorf("relaxedQueries(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}

	// countryCode: a country typed by name or code.
	for _, tc := range []struct{ in, want string }{
		{"Mali", "ML"},
		{" mali ", "ML"},
		{"ml", "ML"},
		{"États-Unis", "US"},
		{"etats unis", "US"},
		{"Cote d'Ivoire", "CI"},
		{"royaume-uni", "GB"},
		{"EU", ""},
		{"Atlantide", ""},
		{"M", ""},
		{"", ""},
	} {
		got := call(`rapportsPage.countryCode`, tc.in)
		if got != tc.want {
			t.Errorf("countryCode(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}

	// pagesNote: why the pages stop before the results do, for pages of
	// size hits, the server paging maxWindow results (its answer's
	// max_window: the page has no number of its own).
	const note = "Les pages s’arrêtent aux 10\u202f000 premiers des 12\u202f620 résultats : précisez la recherche, ajoutez un filtre ou changez le tri pour voir les autres."
	for _, tc := range []struct {
		total, page, size, maxWindow int
		want                         string
	}{
		{12620, 1000, 10, 10000, note},
		{12620, 1001, 10, 10000, note},
		{12620, 999, 10, 10000, ""},
		{10000, 1000, 10, 10000, ""},
		{6773, 678, 10, 10000, ""},
		{12620, 400, 25, 10000, note},
		{12620, 399, 25, 10000, ""},
		{6773, 500, 10, 5000, "Les pages s’arrêtent aux 5\u202f000 premiers des 6\u202f773 résultats : précisez la recherche, ajoutez un filtre ou changez le tri pour voir les autres."},
		{6773, 499, 10, 5000, ""},
		{12620, 1000, 10, 0, ""},
	} {
		got := call(`rapportsPage.pagesNote`, tc.total, tc.page, tc.size, tc.maxWindow)
		if got != tc.want {
			t.Errorf("pagesNote(%d, %d, %d, %d) = %q; want %q", tc.total, tc.page, tc.size, tc.maxWindow, got, tc.want)
		}
	}

	// dateInterval: months for a date filter of three years at most.
	for _, tc := range []struct{ from, to, want string }{
		{"2024", "2024", "month"},
		{"2022", "2024", "month"},
		{"2021", "2024", "year"},
		{"2021-01", "2023-12-31", "month"},
		{"2021-01", "2024-01", "year"},
		{"2024-06-15", "2024-06-20", "month"},
		{"2024", "", "year"},
		{"", "2024", "year"},
		{"2024", "2023", "year"},
		{"juin", "2024", "year"},
	} {
		got := call(`(f, t) => rapportsPage.dateInterval(f, t) || 'year'`, tc.from, tc.to)
		if got != tc.want {
			t.Errorf("dateInterval(%q, %q) = %q; want %q", tc.from, tc.to, got, tc.want)
		}
	}

	// axisLabels: the labels under the bars.
	months := func(y, from, to int) []string {
		var out []string
		for m := from; m <= to; m++ {
			out = append(out, fmt.Sprintf("%d-%02d", y, m))
		}
		return out
	}
	for _, tc := range []struct {
		periods []string
		want    string
	}{
		{months(2020, 1, 12), "janv. 20|||avr. 20|||juil. 20|||oct. 20||"},
		{months(2020, 3, 6), "mars 20|avr. 20|mai 20|juin 20"},
		{append(months(2019, 11, 12), months(2020, 1, 12)...), "||2020|||||||||||"},
		{append(months(2019, 9, 12), months(2020, 1, 12)...), "sept. 19||||2020|||||||||||"},
		{[]string{"2013", "2014", "2015", "2016", "2017", "2018", "2019", "2020", "2021", "2022", "2023", "2024", "2025", "2026"},
			"2013|||2016|||2019|||2022|||2025|"},
		{[]string{"2024"}, "2024"},
		{[]string{}, ""},
	} {
		got := call(`(p) => rapportsPage.axisLabels(p).join('|')`, tc.periods)
		if got != tc.want {
			t.Errorf("axisLabels(%q) = %q; want %q", tc.periods, got, tc.want)
		}
	}

	// inRange: is a bar inside the from/to filter?
	for _, tc := range []struct {
		period, from, to string
		want             bool
	}{
		{"2024-06", "2024", "2024", true},
		{"2024-06", "2024-07", "", false},
		{"2024-06", "", "2024-06-15", true},
		{"2024", "2023-05", "2024-02", true},
		{"2022", "2023-05", "", false},
		{"2024-06", "", "", false},
	} {
		got := eval[bool](b, fmt.Sprintf(`rapportsPage.inRange(%q, %q, %q)`, tc.period, tc.from, tc.to))
		if got != tc.want {
			t.Errorf("inRange(%q, %q, %q) = %v; want %v", tc.period, tc.from, tc.to, got, tc.want)
		}
	}
}

// queryErrorKinds returns the values of the index's Kind constants, the
// kinds of index.QueryError, read from the package's source.
func queryErrorKinds(t *testing.T) []string {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join("..", "..", "index", "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("listing the index package's files: %v (%d files)", err, len(files))
	}
	var kinds []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				v := spec.(*ast.ValueSpec)
				for i, name := range v.Names {
					if !strings.HasPrefix(name.Name, "Kind") || i >= len(v.Values) {
						continue
					}
					if lit, ok := v.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						s, err := strconv.Unquote(lit.Value)
						if err != nil {
							t.Fatal(err)
						}
						kinds = append(kinds, s)
					}
				}
			}
		}
	}
	return kinds
}

// TestPageQueryKinds checks that the page says in French every kind of
// query error the index has: a new kind without its sentence fails here.
func TestPageQueryKinds(t *testing.T) {
	kinds := queryErrorKinds(t)
	if len(kinds) < 10 {
		t.Fatalf("the index package has %d query error kinds (%q); want its Kind constants", len(kinds), kinds)
	}
	needChrome(t)
	srv := httptest.NewServer(web.Handler())
	defer srv.Close()
	b := startBrowser(t, srv.URL)
	b.do("opening the page", chromedp.Navigate(srv.URL+"/"))
	if err := b.poll(`window.rapportsPage`); err != nil {
		t.Fatalf("waiting for the page's script: %v", err)
	}
	js, err := json.Marshal(kinds)
	if err != nil {
		t.Fatal(err)
	}
	got := eval[[]string](b, ``+string(js)+`.map((k) => k + ' → ' + rapportsPage.queryProblem('a* "b', k, 1).message)`)
	for _, g := range got {
		// The sentence of an unknown kind sends the reader to the syntax.
		if strings.Contains(g, "voir « Syntaxe »") {
			t.Errorf("query error kind %s: no French sentence of its own", g)
		}
	}
}
