package index

import (
	"context"
	"errors"
	"testing"
)

// bracketed returns s with its spans in [brackets], as the CLI shows them
// without colour.
func bracketed(s string, spans []Span) string {
	out, at := "", 0
	for _, sp := range spans {
		out += s[at:sp.Start] + "[" + s[sp.Start:sp.End] + "]"
		at = sp.End
	}
	return out + s[at:]
}

// TestDocumentMatches checks the matches Document gives for a query, by
// kind of query part: the marked title and body.
func TestDocumentMatches(t *testing.T) {
	idx := newFixture(t)
	orgs := orgIndex(t)
	ctx := context.Background()
	cases := []struct {
		name, id, q string
		idx         *Index
		title, body string
	}{
		{"words in all forms", "defense", "défense aérienne", idx,
			"[Défense] [aérienne] : Israël et la Jordanie coopèrent",
			"Les [défenses] [aériennes] israéliennes ont intercepté les missiles. La coopération régionale avec l’armée jordanienne s'est renforcée."},
		{"without accents", "defense", "DEFENSE aerienne", idx,
			"[Défense] [aérienne] : Israël et la Jordanie coopèrent",
			"Les [défenses] [aériennes] israéliennes ont intercepté les missiles. La coopération régionale avec l’armée jordanienne s'est renforcée."},
		{"elision left out", "defense", "armée", idx,
			"Défense aérienne : Israël et la Jordanie coopèrent",
			"Les défenses aériennes israéliennes ont intercepté les missiles. La coopération régionale avec l’[armée] jordanienne s'est renforcée."},
		{"phrase in a row only", "senegal", `"défense aérienne"`, idx,
			"Le Sénégal élit son président",
			"L'élection présidentielle au Sénégal s'est tenue dans le calme. La défense des libertés reste un enjeu ; la compagnie aérienne nationale a repris ses vols."},
		{"the same words apart", "senegal", "défense aérienne", idx,
			"Le Sénégal élit son président",
			"L'élection présidentielle au Sénégal s'est tenue dans le calme. La [défense] des libertés reste un enjeu ; la compagnie [aérienne] nationale a repris ses vols."},
		{"prefix", "mali", "milit*", idx,
			"Mali : l'armée et les drones",
			"L'armée malienne utilise des drones turcs. Les [militaires] français ont quitté le pays. La défense du territoire dépend désormais de ses alliés."},
		{"exact form", "defense", "exact:défenses", idx,
			"Défense aérienne : Israël et la Jordanie coopèrent",
			"Les [défenses] aériennes israéliennes ont intercepté les missiles. La coopération régionale avec l’armée jordanienne s'est renforcée."},
		{"title only", "mali", "title:drones", idx,
			"Mali : l'armée et les [drones]",
			"L'armée malienne utilise des drones turcs. Les militaires français ont quitté le pays. La défense du territoire dépend désormais de ses alliés."},
		{"excluded marks nothing", "mali", "drones -armée", idx,
			"Mali : l'armée et les [drones]",
			"L'armée malienne utilise des [drones] turcs. Les militaires français ont quitté le pays. La défense du territoire dépend désormais de ses alliés."},
		{"or", "ukraine", "(guerre OR paix) missiles", idx,
			"Ukraine : la [guerre] des drones",
			"La [guerre] en Ukraine voit s'affronter des drones russes et la défense antiaérienne ukrainienne. La France livre des [missiles]."},
		// The words of "a b"~N mark where they stand near each other only:
		// not the title's drones, alone in its field.
		{"proximity", "ukraine", `"drones défense"~5`, idx,
			"Ukraine : la guerre des drones",
			"La guerre en Ukraine voit s'affronter des [drones] russes et la [défense] antiaérienne ukrainienne. La France livre des missiles."},
		{"proximity too far", "mali", `"drones défense"~2`, idx,
			"Mali : l'armée et les drones",
			"L'armée malienne utilise des drones turcs. Les militaires français ont quitté le pays. La défense du territoire dépend désormais de ses alliés."},
		{"stop words alone", "sans-date", "le", idx,
			"Militants et militaires",
			"Des militants ont manifesté devant [le] ministère. [Le] mot drone n'apparaît qu'une fois."},
		{"not in this report", "defense", "Sénégal", idx,
			"Défense aérienne : Israël et la Jordanie coopèrent",
			"Les défenses aériennes israéliennes ont intercepté les missiles. La coopération régionale avec l’armée jordanienne s'est renforcée."},
		{"organisation by another name", "otan", "NATO", orgs,
			"Rapport [otan]",
			"L'[Otan] renforce son flanc est, l'[Alliance] [atlantique] aussi."},
		{"markup is text", "economie", "berne économie", idx,
			"[Économie] française <b>en [berne]</b>",
			"L'[économie] de la France ralentit. <script>alert(1)</script> Les dépenses militaires augmentent et les économistes s’inquiètent."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, err := tc.idx.Document(ctx, tc.id, DocumentOptions{Query: tc.q})
			if err != nil {
				t.Fatalf("Document(%s, %q): %v", tc.id, tc.q, err)
			}
			if got := bracketed(d.Title, d.TitleMatches); got != tc.title {
				t.Errorf("Document(%s, %q) title:\n got %s\nwant %s", tc.id, tc.q, got, tc.title)
			}
			if got := bracketed(d.Body, d.BodyMatches); got != tc.body {
				t.Errorf("Document(%s, %q) body:\n got %s\nwant %s", tc.id, tc.q, got, tc.body)
			}
			if d.TitleHTML != "" || d.BodyHTML != "" {
				t.Errorf("Document(%s, %q) without HTML: title_html %q, body_html %q", tc.id, tc.q, d.TitleHTML, d.BodyHTML)
			}
		})
	}
}

// TestDocumentMatchesHTML checks the HTML of a document's matches: the
// text escaped, <mark> the only markup.
func TestDocumentMatchesHTML(t *testing.T) {
	idx := newFixture(t)
	ctx := context.Background()
	d, err := idx.Document(ctx, "economie", DocumentOptions{Query: "berne", HTML: true})
	if err != nil {
		t.Fatal(err)
	}
	if want := "Économie française &lt;b&gt;en <mark>berne</mark>&lt;/b&gt;"; d.TitleHTML != want {
		t.Errorf("TitleHTML = %q; want %q", d.TitleHTML, want)
	}
	if want := "L&#39;économie de la France ralentit. &lt;script&gt;alert(1)&lt;/script&gt; Les dépenses militaires augmentent et les économistes s’inquiètent."; d.BodyHTML != want {
		t.Errorf("BodyHTML = %q; want %q", d.BodyHTML, want)
	}
	d, err = idx.Document(ctx, "economie", DocumentOptions{HTML: true})
	if err != nil || d.TitleMatches != nil || d.TitleHTML != "Économie française &lt;b&gt;en berne&lt;/b&gt;" {
		t.Errorf("Document(economie) with HTML, no query: %q %v, %v", d.TitleHTML, d.TitleMatches, err)
	}
}

// TestDocumentMatchesErrors checks that a bad query fails as in Search,
// and that an unknown document is not found whatever the query.
func TestDocumentMatchesErrors(t *testing.T) {
	idx := newFixture(t)
	ctx := context.Background()
	var qe *QueryError
	if _, err := idx.Document(ctx, "defense", DocumentOptions{Query: `"défense`}); !errors.As(err, &qe) || qe.Kind != KindUnclosedQuote || !errors.Is(err, ErrBadQuery) {
		t.Errorf("Document with an unclosed quote: %v; want a QueryError %s", err, KindUnclosedQuote)
	}
	if _, err := idx.Document(ctx, "defense", DocumentOptions{Query: "d*"}); !errors.As(err, &qe) || qe.Kind != KindPrefixTooShort {
		t.Errorf("Document with d*: %v; want a QueryError %s", err, KindPrefixTooShort)
	}
	if _, err := idx.Document(ctx, "nope", DocumentOptions{Query: "défense"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("Document(nope, défense): %v; want ErrNotFound", err)
	}
	d, err := idx.Document(ctx, "defense", DocumentOptions{Query: "   "})
	if err != nil || d.TitleMatches != nil || d.BodyMatches != nil {
		t.Errorf("Document with a blank query: %v, %v, %v; want no matches", d.TitleMatches, d.BodyMatches, err)
	}
}
