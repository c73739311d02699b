package index

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/rapports/rapports/corpus"
)

// day, month and year build dates for fixtures.
func day(s string) corpus.Date {
	d, err := corpus.ParseISODate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// fixture returns small reports written for these tests.
func fixture() []corpus.Report {
	return []corpus.Report{
		{ID: "defense", Title: "Défense aérienne : Israël et la Jordanie coopèrent", Date: day("2024-06-15"),
			Countries: []string{"IL", "JO"}, Mentions: []int{3, 1}, Source: "Le Monde", Hash: "h1",
			Body: "Les défenses aériennes israéliennes ont intercepté les missiles. La coopération régionale " +
				"avec l’armée jordanienne s'est renforcée."},
		{ID: "senegal", Title: "Le Sénégal élit son président", Date: day("2024-03"),
			Countries: []string{"SN"}, Mentions: []int{4}, Hash: "h2",
			Body: "L'élection présidentielle au Sénégal s'est tenue dans le calme. La défense des libertés " +
				"reste un enjeu ; la compagnie aérienne nationale a repris ses vols."},
		{ID: "mali", Title: "Mali : l'armée et les drones", Date: day("2023-11-20"),
			Countries: []string{"ML", "FR"}, Mentions: []int{2, 1}, Hash: "h3",
			Body: "L'armée malienne utilise des drones turcs. Les militaires français ont quitté le pays. " +
				"La défense du territoire dépend désormais de ses alliés."},
		{ID: "economie", Title: "Économie française <b>en berne</b>", Date: day("2022"),
			Countries: []string{"FR"}, Mentions: []int{5}, Hash: "h4",
			Body: "L'économie de la France ralentit. <script>alert(1)</script> Les dépenses militaires augmentent " +
				"et les économistes s’inquiètent."},
		{ID: "ukraine", Title: "Ukraine : la guerre des drones", Date: day("2024-07-01"),
			Countries: []string{"UA", "RU", "FR"}, Mentions: []int{5, 3, 1}, Hash: "h5",
			Body: "La guerre en Ukraine voit s'affronter des drones russes et la défense antiaérienne ukrainienne. " +
				"La France livre des missiles."},
		{ID: "sans-date", Title: "Militants et militaires", Hash: "h6",
			Body: "Des militants ont manifesté devant le ministère. Le mot drone n'apparaît qu'une fois."},
	}
}

func newFixture(t testing.TB) *Index {
	t.Helper()
	idx, err := OpenMemory()
	return filled(t, idx, err, fixture())
}

// filled returns idx, opened with err, holding reports; it is closed when
// the test ends.
func filled(t testing.TB, idx *Index, err error, reports []corpus.Report) *Index {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	if err := idx.Add(context.Background(), reports...); err != nil {
		t.Fatal(err)
	}
	return idx
}

func ids(res *Result) []string {
	out := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = h.ID
	}
	return out
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// newDiskFixture is newFixture on disk: Bleve searches an index on disk
// with other code (scorch segments, optimized filters) than one in memory.
func newDiskFixture(t testing.TB) *Index {
	t.Helper()
	idx, err := Open(t.TempDir(), Options{})
	return filled(t, idx, err, fixture())
}

func TestSearchMatches(t *testing.T) {
	for name, open := range map[string]func(testing.TB) *Index{"memory": newFixture, "disk": newDiskFixture} {
		t.Run(name, func(t *testing.T) { testSearchMatches(t, open(t)) })
	}
}

func testSearchMatches(t *testing.T, idx *Index) {
	cases := []struct {
		name string
		req  Request
		want []string // any order
	}{
		{"word, inflections", Request{Query: "défense"}, []string{"defense", "senegal", "mali", "ukraine"}},
		{"accents optional", Request{Query: "DEFENSES"}, []string{"defense", "senegal", "mali", "ukraine"}},
		{"words are ANDed", Request{Query: "défense drones"}, []string{"mali", "ukraine"}},
		{"phrase across inflections", Request{Query: `"défense aérienne"`}, []string{"defense"}},
		{"words apart do not match a phrase", Request{Query: `"défense aérienne" Sénégal`}, nil},
		{"words apart match as words", Request{Query: "défense aérienne"}, []string{"defense", "senegal"}},
		{"exact phrase", Request{Query: `exact:"défenses aériennes"`}, []string{"defense"}},
		{"exact phrase, no other form", Request{Query: `exact:"défense aérienne"`}, []string{"defense"}},
		{"exact word", Request{Query: "exact:militaires"}, []string{"mali", "economie", "sans-date"}},
		{"exact word without accents", Request{Query: "exact:economie"}, []string{"economie"}},
		{"prefix", Request{Query: "milit*"}, []string{"mali", "economie", "sans-date"}},
		{"prefix on accents", Request{Query: "écono*"}, []string{"economie"}},
		{"OR", Request{Query: "Sénégal OR Mali"}, []string{"senegal", "mali"}},
		{"OR and AND", Request{Query: "drones (Sénégal OR Mali)"}, []string{"mali"}},
		{"exclusion", Request{Query: "drones -Ukraine"}, []string{"mali", "sans-date"}},
		{"title only", Request{Query: "title:drones"}, []string{"mali", "ukraine"}},
		{"title and exact", Request{Query: "title:exact:militaires"}, []string{"sans-date"}},
		{"stop words dropped", Request{Query: "la guerre"}, []string{"ukraine"}},
		{"only stop words: exact forms", Request{Query: "qu'une"}, []string{"sans-date"}},
		{"required stop word", Request{Query: "+des drone"}, []string{"mali", "ukraine", "sans-date"}},
		{"required stop word, absent", Request{Query: "+aux drone"}, nil},
		{"excluded stop word", Request{Query: "drones -le"}, []string{"ukraine"}},
		{"elision with typographic apostrophe", Request{Query: "l’économie"}, []string{"economie"}},
		{"country filter", Request{Query: "drones", Countries: []string{"FR"}}, []string{"mali", "ukraine"}},
		{"countries are any of", Request{Query: "défense", Countries: []string{"il", "SN"}}, []string{"defense", "senegal"}},
		{"from", Request{Query: "défense", From: "2024"}, []string{"defense", "senegal", "ukraine"}},
		{"to month inclusive", Request{Query: "drones OR défense", To: "2024-06"}, []string{"defense", "senegal", "mali"}},
		{"to day inclusive", Request{Query: "drones OR défense", From: "2024-06-15", To: "2024-07-01"}, []string{"defense", "ukraine"}},
		{"to year", Request{Query: "drones OR défense", To: "2023"}, []string{"mali"}},
		{"date and country", Request{Query: "drones", From: "2024-01", Countries: []string{"FR"}}, []string{"ukraine"}},
		{"only exclusions", Request{Query: "-drones -défense"}, []string{"economie"}},
		{"exclusion in a group", Request{Query: "drones (-Ukraine)"}, []string{"mali", "sans-date"}},
		{"stop word and exclusion", Request{Query: "les -drones"}, []string{"defense", "economie"}},
		{"literal unsupported syntax", Request{Query: "drones~2"}, nil},
		{"proximity", Request{Query: `"défense aérienne"~5`}, []string{"defense"}},
		{"proximity, wider", Request{Query: `"défense aérienne"~10`}, []string{"defense", "senegal"}},
		{"proximity, any order", Request{Query: `"aérienne défense"~0`}, []string{"defense"}},
		{"proximity and a word", Request{Query: `"défense aérienne"~10 Sénégal`}, []string{"senegal"}},
		{"proximity excluded", Request{Query: `défense -"défense aérienne"~5`}, []string{"senegal", "mali", "ukraine"}},
		{"proximity in titles", Request{Query: `title:"aérienne défense"~1`}, []string{"defense"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := idx.Search(context.Background(), tc.req)
			if err != nil {
				t.Fatalf("Search(%+v): %v", tc.req, err)
			}
			if got, want := sorted(ids(res)), sorted(tc.want); !slices.Equal(got, want) {
				t.Errorf("Search(%+v) = %q; want %q", tc.req, got, want)
			}
			if res.Total != uint64(len(tc.want)) {
				t.Errorf("Search(%+v).Total = %d; want %d", tc.req, res.Total, len(tc.want))
			}
		})
	}
}

func TestSearchErrors(t *testing.T) {
	idx := newFixture(t)
	cases := []struct {
		req   Request
		want  error
		msg   string
		field string // of the *RequestError; "" for a *QueryError
		kind  string // of the *QueryError
	}{
		{Request{Query: ""}, ErrEmptyQuery, "q: missing", "q", ""},
		{Request{Query: `"défense`}, ErrBadQuery, "unclosed quote at 1", "", KindUnclosedQuote},
		{Request{Query: "?!"}, ErrEmptyQuery, "only punctuation", "", KindEmpty},
		{Request{Query: "a*"}, ErrBadQuery, "shorter than 2", "", KindPrefixTooShort},
		{Request{Query: "défense", From: "2024-13"}, ErrBadRequest, `from: "2024-13" is not a date`, "from", ""},
		{Request{Query: "défense", To: "juin"}, corpus.ErrBadDate, "to: ", "to", ""},
		{Request{Query: "défense", From: "2024", To: "2023"}, ErrBadRequest, "from: 2024 is after to: 2023", "from", ""},
		{Request{Query: "défense", Countries: []string{"XX"}}, ErrBadRequest, `country: "XX" is not an ISO 3166-1 code`, "country", ""},
		{Request{Query: "défense", Countries: []string{"FRA"}}, ErrBadRequest, `"FRA"`, "country", ""},
		{Request{Query: "défense", Sort: "title"}, ErrBadRequest, `sort: "title" is not a sort order`, "sort", ""},
		{Request{Query: "défense", Size: MaxSize + 1}, ErrBadRequest, "size: 101 is out of range (want 1 to 100)", "size", ""},
		{Request{Query: "défense", Size: -1}, ErrBadRequest, "size: -1", "size", ""},
		{Request{Query: "défense", Page: -1}, ErrBadRequest, "page: -1", "page", ""},
		{Request{Query: "défense", Size: 100, Page: 101}, ErrBadRequest, "beyond 10000", "page", ""},
		{Request{Query: "défense", Facets: FacetOptions{DateInterval: "week"}}, ErrBadRequest, `interval: "week"`, "interval", ""},
		{Request{Query: strings.Repeat("x", MaxQueryLen+1)}, ErrTooLong, "q: 1001 characters, at most 1000", "q", ""},
	}
	for _, tc := range cases {
		_, err := idx.Search(context.Background(), tc.req)
		if !errors.Is(err, tc.want) || !strings.Contains(errString(err), tc.msg) {
			t.Errorf("Search(%+v) error = %q; want %v containing %q", tc.req, errString(err), tc.want, tc.msg)
		}
		// Normalized, without the index, refuses the same requests.
		if _, nerr := tc.req.Normalized(); errString(nerr) != errString(err) && tc.kind != KindEmpty {
			t.Errorf("Request%+v.Normalized() = %v; want Search's %v", tc.req, nerr, err)
		}
		var re *RequestError
		var qe *QueryError
		switch {
		case tc.field != "" && (!errors.As(err, &re) || re.Field != tc.field || !errors.Is(err, ErrBadRequest)):
			t.Errorf("Search(%+v): %#v; want a *RequestError on %s", tc.req, err, tc.field)
		case tc.field == "" && (!errors.As(err, &qe) || qe.Kind != tc.kind):
			t.Errorf("Search(%+v): %#v; want a *QueryError of kind %s", tc.req, err, tc.kind)
		}
	}
	got, err := Request{Query: "défense", Countries: []string{" fr ", "IL", "FR"}, From: " 2024", To: "2024-06"}.Normalized()
	want := Request{Query: "défense", Countries: []string{"FR", "IL"}, From: "2024", To: "2024-06", Sort: SortRelevance, Size: DefaultSize, Page: 1}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Normalized() = %+v, %v; want %+v", got, err, want)
	}
	idx.Close()
	if _, err := idx.Search(context.Background(), Request{Query: "défense"}); !errors.Is(err, ErrClosed) {
		t.Errorf("Search after Close: error %v; want ErrClosed", err)
	}
	if err := idx.Close(); !errors.Is(err, ErrClosed) {
		t.Errorf("second Close: error %v; want ErrClosed", err)
	}
}

func TestSearchPrefixTooExpensive(t *testing.T) {
	idx, err := OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	var words []string
	for i := range MaxPrefixTerms + 1 {
		words = append(words, fmt.Sprintf("zz%05d", i))
	}
	if err := idx.Add(context.Background(), corpus.Report{ID: "many", Body: strings.Join(words, " ")}); err != nil {
		t.Fatal(err)
	}
	_, err = idx.Search(context.Background(), Request{Query: "zz*"})
	if !errors.Is(err, ErrTooExpensive) || !strings.Contains(err.Error(), `"zz*"`) {
		t.Errorf(`Search("zz*") error = %v; want ErrTooExpensive naming the prefix`, err)
	}
	res, err := idx.Search(context.Background(), Request{Query: "zz0000*"})
	if err != nil || res.Total != 1 {
		t.Errorf(`Search("zz0000*") = %v, %v; want 1 hit`, res, err)
	}
}

func TestSearchRelevance(t *testing.T) {
	idx, err := OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	filler := " Le conseil municipal a voté le budget de l'année prochaine après un long débat."
	reports := []corpus.Report{
		{ID: "title", Title: "Les drones de surveillance", Body: "Un rapport sur la surveillance des frontières." + filler},
		{ID: "body-often", Title: "Rapport annuel", Body: "Les drones, encore les drones : des drones partout." + filler},
		{ID: "body-once", Title: "Rapport annuel", Body: "Un drone a survolé la ville." + filler + filler + filler},
		{ID: "other", Title: "Rapport annuel", Body: "Rien à signaler." + filler},
		{ID: "together", Title: "Rapport annuel", Body: "La défense aérienne du pays est renforcée." + filler + filler},
		{ID: "apart", Title: "Rapport annuel", Body: "La défense des côtes est une priorité." + filler + " La surveillance aérienne aussi."},
		{ID: "coverage", Title: "Rapport annuel", Body: "Le lancement des satellites en orbite basse a réussi. Les satellites tournent en orbite." + filler},
		{ID: "title-one", Title: "Satellites : le point", Body: "Une orbite est prévue." + filler + filler + filler + " Un lancement aussi."},
	}
	if err := idx.Add(context.Background(), reports...); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		q    string
		want []string
	}{
		{"drones", []string{"title", "body-often", "body-once"}},
		{"drone surveillance", []string{"title"}},
		{"drones OR frontières", []string{"title", "body-often", "body-once"}},
		// Words in a row rank above the same words a sentence apart, even
		// in a longer report.
		{"défense aérienne", []string{"together", "apart"}},
		// Every word in the body beats one word in the title and the
		// others once in passing.
		{"satellites orbite lancement", []string{"coverage", "title-one"}},
		{"défense -côtes", []string{"together"}},
	}
	for _, tc := range cases {
		res, err := idx.Search(context.Background(), Request{Query: tc.q})
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(res); !slices.Equal(got, tc.want) {
			t.Errorf("Search(%q) order = %q; want %q", tc.q, got, tc.want)
		}
	}
}

func TestSearchSortAndPaging(t *testing.T) {
	idx := newFixture(t)
	ctx := context.Background()
	q := "drones OR défense OR militaires"
	cases := []struct {
		req  Request
		want []string
	}{
		{Request{Query: q, Sort: SortDate}, []string{"economie", "mali", "senegal", "defense", "ukraine", "sans-date"}},
		{Request{Query: q, Sort: SortDateDesc}, []string{"ukraine", "defense", "senegal", "mali", "economie", "sans-date"}},
		{Request{Query: q, Sort: SortDate, Size: 2, Page: 2}, []string{"senegal", "defense"}},
		{Request{Query: q, Sort: SortDate, Size: 4, Page: 2}, []string{"ukraine", "sans-date"}},
		{Request{Query: q, Sort: SortDate, Size: 4, Page: 3}, []string{}},
	}
	for _, tc := range cases {
		res, err := idx.Search(ctx, tc.req)
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(res); !slices.Equal(got, tc.want) {
			t.Errorf("Search(%+v) = %q; want %q", tc.req, got, tc.want)
		}
		if res.Total != 6 {
			t.Errorf("Search(%+v).Total = %d; want 6", tc.req, res.Total)
		}
	}
}

func TestSearchFacets(t *testing.T) {
	for name, open := range map[string]func(testing.TB) *Index{"memory": newFixture, "disk": newDiskFixture} {
		t.Run(name, func(t *testing.T) { testSearchFacets(t, open(t)) })
	}
}

func testSearchFacets(t *testing.T, idx *Index) {
	ctx := context.Background()
	cases := []struct {
		name      string
		req       Request
		countries string
		dates     string
	}{
		{"no filter, auto by month", Request{Query: "drones OR défense"},
			"FR:2 IL:1 JO:1 ML:1 RU:1 SN:1 UA:1", "2023-11:1 2023-12:0 2024-01:0 2024-02:0 2024-03:1 2024-04:0 2024-05:0 2024-06:1 2024-07:1"},
		{"by year", Request{Query: "drones OR défense", Facets: FacetOptions{DateInterval: "year"}},
			"FR:2 IL:1 JO:1 ML:1 RU:1 SN:1 UA:1", "2023:1 2024:3"},
		{"disjunctive countries", Request{Query: "drones OR défense", Countries: []string{"FR"}, Facets: FacetOptions{DateInterval: "year"}},
			"FR:2 IL:1 JO:1 ML:1 RU:1 SN:1 UA:1", "2023:1 2024:1"},
		{"countries under a date filter", Request{Query: "drones OR défense", From: "2024-06", Facets: FacetOptions{DateInterval: "year"}},
			"FR:1 IL:1 JO:1 RU:1 UA:1", "2024:2"},
		{"disjunctive under a date filter", Request{Query: "drones OR défense", From: "2024-06", Countries: []string{"IL"}, Facets: FacetOptions{DateInterval: "year"}},
			"FR:1 IL:1 JO:1 RU:1 UA:1", "2024:1"},
		{"top 2", Request{Query: "drones OR défense", Facets: FacetOptions{Countries: 2, DateInterval: "none"}},
			"FR:2 IL:1", ""},
		{"top 2 and the selected ones", Request{Query: "drones OR défense", Countries: []string{"UA", "DE"}, Facets: FacetOptions{Countries: 2, DateInterval: "none"}},
			"FR:2 IL:1 UA:1 DE:0", ""},
		{"none", Request{Query: "drones OR défense", Facets: FacetOptions{Countries: -1, DateInterval: "none"}},
			"", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := idx.Search(ctx, tc.req)
			if err != nil {
				t.Fatal(err)
			}
			var cs, ds []string
			for _, c := range res.Facets.Country {
				cs = append(cs, fmt.Sprintf("%s:%d", c.Code, c.Count))
				if c.Name == "" {
					t.Errorf("country %s has no name", c.Code)
				}
			}
			for _, d := range res.Facets.Date {
				ds = append(ds, fmt.Sprintf("%s:%d", d.Period, d.Count))
			}
			// Equal counts come in any order: compare sorted past the first.
			if got := strings.Join(sortTies(cs), " "); got != tc.countries {
				t.Errorf("Search(%+v) country facet = %s; want %s", tc.req, got, tc.countries)
			}
			if got := strings.Join(ds, " "); got != tc.dates {
				t.Errorf("Search(%+v) date facet = %s; want %s", tc.req, got, tc.dates)
			}
		})
	}
}

// sortTies sorts "code:count" rows by count descending, then code.
func sortTies(rows []string) []string {
	rows = slices.Clone(rows)
	slices.SortStableFunc(rows, func(a, b string) int {
		var ca, cb int
		fmt.Sscanf(a[strings.IndexByte(a, ':')+1:], "%d", &ca)
		fmt.Sscanf(b[strings.IndexByte(b, ':')+1:], "%d", &cb)
		if ca != cb {
			return cb - ca
		}
		return strings.Compare(a, b)
	})
	return rows
}

func TestSearchHighlight(t *testing.T) {
	idx := newFixture(t)
	ctx := context.Background()
	cases := []struct {
		q         string
		title     string
		fragments []string // substrings of the joined fragments
		not       []string
	}{
		{"économie", "<mark>Économie</mark> française &lt;b&gt;en berne&lt;/b&gt;",
			[]string{"L&#39;<mark>économie</mark> de la France", "&lt;script&gt;alert(1)&lt;/script&gt;"}, []string{"<script>", "<b>"}},
		{`"défense aérienne"`, "<mark>Défense</mark> <mark>aérienne</mark> : Israël et la Jordanie coopèrent",
			[]string{"Les <mark>défenses</mark> <mark>aériennes</mark> israéliennes"}, nil},
		{"armée jordanienne", "", []string{"l’<mark>armée</mark> <mark>jordanienne</mark>"}, nil},
		{"exact:intercepté", "", []string{"ont <mark>intercepté</mark> les"}, nil},
		{"écono* title:berne", "", []string{"L&#39;<mark>économie</mark> de", "les <mark>économistes</mark> s’inquiètent"}, nil},
	}
	for _, tc := range cases {
		res, err := idx.Search(ctx, Request{Query: tc.q, Highlight: true, Size: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 {
			t.Fatalf("Search(%q): no hit", tc.q)
		}
		h := res.Hits[0]
		if tc.title != "" && h.TitleHTML != tc.title {
			t.Errorf("Search(%q) title_html = %q; want %q", tc.q, h.TitleHTML, tc.title)
		}
		// The plain fields are the HTML ones parsed.
		if text, spans := parseMarked(h.TitleHTML); h.Title != text || !slices.Equal(h.TitleMatches, spans) {
			t.Errorf("Search(%q) title %q %v; want %q %v", tc.q, h.Title, h.TitleMatches, text, spans)
		}
		if len(h.Fragments) != len(h.FragmentsHTML) {
			t.Fatalf("Search(%q): %d fragments, %d fragments_html", tc.q, len(h.Fragments), len(h.FragmentsHTML))
		}
		for i, f := range h.Fragments {
			if text, spans := parseMarked(h.FragmentsHTML[i]); f.Text != text || !slices.Equal(f.Matches, spans) || strings.Contains(f.Text, "&#39;") {
				t.Errorf("Search(%q) fragment %q %v; want %q %v", tc.q, f.Text, f.Matches, text, spans)
			}
		}
		all := strings.Join(h.FragmentsHTML, " … ")
		for _, s := range tc.fragments {
			if !strings.Contains(all, s) {
				t.Errorf("Search(%q) fragments = %q; want them to contain %q", tc.q, all, s)
			}
		}
		for _, s := range tc.not {
			if strings.Contains(all+h.TitleHTML, s) {
				t.Errorf("Search(%q) hit = %q %q; unescaped %q", tc.q, h.Title, all, s)
			}
		}
	}
	// Without highlight, the title is plain text and there are no fragments nor HTML.
	res, err := idx.Search(ctx, Request{Query: "économie"})
	if err != nil {
		t.Fatal(err)
	}
	if h := res.Hits[0]; h.Title != "Économie française <b>en berne</b>" || h.Fragments != nil || h.TitleHTML != "" || h.TitleMatches != nil {
		t.Errorf("Search without highlight: title %q, fragments %v", h.Title, h.Fragments)
	}
}

func TestDocument(t *testing.T) {
	idx := newFixture(t)
	ctx := context.Background()
	d, err := idx.Document(ctx, "defense", DocumentOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := fixture()[0]
	if d.Title != want.Title || d.Body != want.Body || d.Date != "2024-06-15" || !slices.Equal(d.Countries, want.Countries) ||
		!slices.Equal(d.Mentions, want.Mentions) || d.Source != want.Source || d.Hash != want.Hash {
		t.Errorf("Document(defense) = %+v; want %+v", d, want)
	}
	if d.Report == nil || d.Report.Date != want.Date {
		t.Errorf("Document(defense).Report = %+v; want date %v", d.Report, want.Date)
	}
	if _, err := idx.Document(ctx, "nope", DocumentOptions{}); !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "nope") {
		t.Errorf("Document(nope) error = %v; want ErrNotFound naming it", err)
	}
	if err := idx.Delete(ctx, "defense", "nope"); err != nil {
		t.Fatal(err)
	}
	if _, err := idx.Document(ctx, "defense", DocumentOptions{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("Document(defense) after Delete: error %v; want ErrNotFound", err)
	}
	st, err := idx.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Documents != 5 || st.FirstDate != "2022-01-01" || st.LastDate != "2024-07-01" || len(st.TopCountries) == 0 || st.TopCountries[0].Code != "FR" {
		t.Errorf("Stats() = %+v; want 5 documents from 2022-01-01 to 2024-07-01, FR first", st)
	}
}

// FuzzSearch runs arbitrary queries on the fixture: no panic, and every
// error is one of the typed request errors.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{"défense", `"défense aérienne" -Gaza`, "title:exact:mil*", "l'a*", "+le", "-x", "(a OR b) c", "jean-fran*", `"défense aérienne"~3`, `"le la"~2`} {
		f.Add(s)
	}
	idx := newFixture(f)
	f.Fuzz(func(t *testing.T, q string) {
		res, err := idx.Search(context.Background(), Request{Query: q, Highlight: true})
		if err != nil {
			if !errors.Is(err, ErrBadQuery) && !errors.Is(err, ErrEmptyQuery) && !errors.Is(err, ErrTooExpensive) {
				t.Fatalf("Search(%q): untyped error %v", q, err)
			}
			return
		}
		if res.Total > uint64(len(fixture())) {
			t.Fatalf("Search(%q): %d hits of %d reports", q, res.Total, len(fixture()))
		}
	})
}
