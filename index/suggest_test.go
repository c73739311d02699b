package index

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/rapports/rapports/analyzers"
	"github.com/rapports/rapports/corpus"
)

// suggestReports returns reports where "défense aérienne" and "Zelensky"
// are frequent and their misspellings rare.
func suggestFixture() []corpus.Report {
	var reps []corpus.Report
	for i := range 24 {
		reps = append(reps, corpus.Report{ID: fmt.Sprintf("d%d", i),
			Body: "La défense aérienne de Kiev a tenu ; le président Zelensky remercie les bombardements évités."})
	}
	reps = append(reps, corpus.Report{ID: "typo", Body: "Le président Zelenski parle de défence."})
	reps = append(reps, corpus.Report{ID: "arriere", Body: "Les arrières sont assurés."})
	return reps
}

func TestSuggestion(t *testing.T) {
	ctx := context.Background()
	open := map[string]func(t *testing.T) *Index{
		"memory": func(t *testing.T) *Index {
			idx, err := OpenMemory()
			if err != nil {
				t.Fatal(err)
			}
			return idx
		},
		// A disk index lists close terms with Bleve's automaton.
		"disk": func(t *testing.T) *Index {
			idx, err := Open(t.TempDir(), Options{})
			if err != nil {
				t.Fatal(err)
			}
			return idx
		},
	}
	cases := []struct{ q, want string }{
		{"défence aériene", "défense aérienne"},
		{"defence aeriene", "défense aérienne"},
		{`"défence aériene"`, `"défense aérienne"`},
		{"Zelenski", "Zelensky"},
		{"zelenski", "zelensky"},
		{"bombardemants", "bombardements"},
		{"Kiev Zelenski", "Kiev Zelensky"},
		{"+Zelenski -arrières", "+Zelensky -arrières"},
		// Enough results, nothing close, or nothing better: no suggestion.
		{"Zelensky", ""},
		{"défense", ""},
		{"xqzwv", ""},
		{"exact:Zelenski", ""},
		{"Zelenski OR Poutine", ""},
		{"zel*", ""},
	}
	for name, mk := range open {
		t.Run(name, func(t *testing.T) {
			idx := mk(t)
			defer idx.Close()
			if err := idx.Add(ctx, suggestFixture()...); err != nil {
				t.Fatal(err)
			}
			for _, tc := range cases {
				res, err := idx.Search(ctx, Request{Query: tc.q})
				if err != nil {
					t.Errorf("Search(%q): %v", tc.q, err)
					continue
				}
				if res.Suggestion != tc.want {
					t.Errorf("Search(%q) (%d results): suggestion %q; want %q", tc.q, res.Total, res.Suggestion, tc.want)
				}
			}
		})
	}
}

func TestWithinEdits(t *testing.T) {
	cases := []struct {
		a, b string
		k    int
		want bool
	}{
		{"defence", "defense", 1, true}, {"aeriene", "aerienne", 1, true}, {"aeriene", "arriere", 1, false},
		{"aeriene", "arriere", 2, true}, {"", "ab", 2, true}, {"", "abc", 2, false}, {"été", "ete", 2, true},
		{"zelenski", "zelensky", 1, true}, {"abc", "abc", 0, true},
	}
	for _, tc := range cases {
		if got := withinEdits(tc.a, tc.b, tc.k); got != tc.want {
			t.Errorf("withinEdits(%q, %q, %d) = %v; want %v", tc.a, tc.b, tc.k, got, tc.want)
		}
	}
}

// TestFuzzyTerms checks that fuzzyTerms lists the terms Bleve's
// FieldDictFuzzy lists, in the order suggest read them, on a disk index of
// several segments, both with its two halves read at once and not.
func TestFuzzyTerms(t *testing.T) {
	ctx := context.Background()
	idx, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	adv, err := idx.bi.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	var most mostSegments
	defer most.close()
	reports := append(suggestFixture(), phraseReports()...)
	for i := 0; i < len(reports); i += 5 {
		if err := idx.Add(ctx, reports[i:min(i+5, len(reports))]...); err != nil {
			t.Fatal(err)
		}
		most.see(t, adv)
	}
	snap := most.snap
	if n := len(snap.Segments()); n < 2 {
		t.Fatalf("%d segments; want several", n)
	}
	listed := 0
	for _, tc := range []struct {
		word string
		fuzz int
	}{{"défence", 2}, {"Zelenski", 2}, {"coupe", 1}, {"monde", 1}, {"ministres", 2}, {"xqzwv", 1}, {"bombardemants", 2}} {
		toks, err := analyzers.Analyze(analyzers.ExactQueryName, tc.word)
		if err != nil || len(toks) != 1 {
			t.Fatalf("analyze %q: %v %v", tc.word, toks, err)
		}
		term := toks[0].Term
		want := []string{}
		for _, field := range []string{fieldBody, fieldTitle} {
			d, err := snap.FieldDictFuzzy(field, term, tc.fuzz, analyzers.ExactMarker)
			if err != nil {
				t.Fatal(err)
			}
			for {
				e, err := d.Next()
				if err != nil {
					t.Fatal(err)
				}
				if e == nil {
					break
				}
				if e.Term != term && !slices.Contains(want, e.Term) {
					want = append(want, e.Term)
				}
			}
			d.Close()
		}
		listed += len(want)
		for _, busy := range []int32{0, 100} {
			searching.Add(busy)
			got, err := fuzzyTerms(snap, term, tc.fuzz)
			searching.Add(-busy)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("fuzzyTerms(%q, %d) with %d searches = %q; want %q", term, tc.fuzz, busy, got, want)
			}
		}
	}
	if listed < 2 {
		t.Errorf("%d close terms in all; want more to compare", listed)
	}
}
