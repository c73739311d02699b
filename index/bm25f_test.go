package index

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/rapports/rapports/corpus"
)

func TestCloseness(t *testing.T) {
	tests := []struct {
		a, b  []uint64
		scale float64
		want  float64
	}{
		{nil, []uint64{1}, 1, 0},
		{[]uint64{1}, nil, 1, 0},
		{[]uint64{1}, []uint64{2}, 1, 1},                                // side by side, in order
		{[]uint64{2}, []uint64{1}, 1, 0.5},                              // reversed: distance 2
		{[]uint64{1}, []uint64{4}, 1, 1 / 3.0},                          // 3 apart
		{[]uint64{1}, []uint64{4}, 3, 0.6},                              // 3 apart, scale 3
		{[]uint64{1, 10}, []uint64{2, 11}, 1, 2},                        // twice side by side
		{[]uint64{5}, []uint64{1, 6, 30}, 1, 1},                         // the closest occurrence counts
		{[]uint64{3}, []uint64{3}, 1, 0},                                // one position: two stems of a word
		{[]uint64{1, 2, 3}, []uint64{100}, 1, 1/99.0 + 1/98.0 + 1/97.0}, // all far
	}
	for _, tt := range tests {
		got := closeness(tt.a, tt.b, tt.scale)
		if math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("closeness(%v, %v, %v) = %v; want %v", tt.a, tt.b, tt.scale, got, tt.want)
		}
	}
}

func TestMinWindow(t *testing.T) {
	tests := []struct {
		lists [][]uint64
		want  uint64
		ok    bool
	}{
		{[][]uint64{{1}, {2}}, 1, true},
		{[][]uint64{{1, 20}, {5, 22}}, 2, true},
		{[][]uint64{{10}, {3}}, 7, true},
		{[][]uint64{{1, 50}, {10, 52}, {30, 51}}, 2, true},
		{[][]uint64{{1}, {}}, 0, false},
		{[][]uint64{{4}}, 0, true},
	}
	for _, tt := range tests {
		got, ok := minWindow(tt.lists)
		if got != tt.want || ok != tt.ok {
			t.Errorf("minWindow(%v) = %d, %v; want %d, %v", tt.lists, got, ok, tt.want, tt.ok)
		}
	}
}

// TestScoringFeatures checks each feature of the ranking that
// TestSearchRelevance does not: with its weight at 0 two reports score
// alike (or a report's score is unchanged), with the weight in use they
// rank as the feature says.
func TestScoringFeatures(t *testing.T) {
	filler := " Le conseil municipal a voté le budget de l'année prochaine après un long débat."
	long := strings.Repeat(filler, 6) // past LeadLen
	reports := []corpus.Report{
		// Lead: words in the first positions of the body beat the same
		// words at its end.
		{ID: "lead-early", Title: "Rapport annuel", Body: "Des satellites en orbite." + long},
		{ID: "lead-late", Title: "Rapport annuel", Body: long + " Des satellites en orbite."},
		// Coverage: a title holding every word of the query.
		{ID: "cover-all", Title: "Fusées et lanceurs", Body: "Rien." + filler},
		{ID: "cover-one", Title: "Fusées", Body: "Des lanceurs." + filler},
		// TitleK1: a word repeated in the title saturates.
		{ID: "title-thrice", Title: "Ballons, ballons, ballons", Body: "Rien." + filler},
		{ID: "title-once", Title: "Ballons", Body: "Rien." + filler},
		// AsTyped: the words standing as typed, the stop word between
		// them included, beat the same words one position further apart.
		{ID: "typed", Title: "Rapport annuel", Body: "Le chômage des jeunes progresse." + filler},
		{ID: "apart", Title: "Rapport annuel", Body: "Le chômage touche les jeunes." + filler},
	}
	scores := func(t *testing.T, p scoreParams, q string) map[string]float64 {
		t.Helper()
		saved := scoring
		scoring = p
		defer func() { scoring = saved }()
		idx, err := OpenMemory()
		if err != nil {
			t.Fatal(err)
		}
		defer idx.Close()
		if err := idx.Add(context.Background(), reports...); err != nil {
			t.Fatal(err)
		}
		res, err := idx.Search(context.Background(), Request{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		s := map[string]float64{}
		for _, h := range res.Hits {
			s[h.ID] = h.Score
		}
		return s
	}
	off := func(f func(*scoreParams)) scoreParams { p := scoring; f(&p); return p }
	tests := []struct {
		name     string
		q        string
		off      scoreParams
		hi, lo   string
		sameBase bool // hi and lo score alike with the feature off
	}{
		{"Lead", "satellites orbite", off(func(p *scoreParams) { p.Lead = 0 }), "lead-early", "lead-late", true},
		{"Coverage", "fusées lanceurs", off(func(p *scoreParams) { p.Coverage = 0 }), "cover-all", "cover-one", false},
		{"AsTyped", "chômage des jeunes", off(func(p *scoreParams) { p.AsTyped = 0 }), "typed", "apart", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, after := scores(t, tt.off, tt.q), scores(t, scoring, tt.q)
			if _, ok := before[tt.hi]; !ok {
				t.Fatalf("%q: %s not found: %v", tt.q, tt.hi, before)
			}
			if tt.sameBase && math.Abs(before[tt.hi]-before[tt.lo]) > 1e-9 {
				t.Errorf("%q without %s: %s %v, %s %v; want equal scores", tt.q, tt.name, tt.hi, before[tt.hi], tt.lo, before[tt.lo])
			}
			if !(after[tt.hi] > after[tt.lo]) {
				t.Errorf("%q with %s: %s %v, %s %v; want %s first", tt.q, tt.name, tt.hi, after[tt.hi], tt.lo, after[tt.lo], tt.hi)
			}
			if !(after[tt.hi]-before[tt.hi] > after[tt.lo]-before[tt.lo]) {
				t.Errorf("%q: %s gains %v from %s, %s %v; want more for %s", tt.q, tt.hi, after[tt.hi]-before[tt.hi], tt.name, tt.lo, after[tt.lo]-before[tt.lo], tt.hi)
			}
		})
	}
	t.Run("Coverage only when every word is in the title", func(t *testing.T) {
		before := scores(t, off(func(p *scoreParams) { p.Coverage = 0 }), "fusées lanceurs")
		after := scores(t, scoring, "fusées lanceurs")
		if math.Abs(after["cover-one"]-before["cover-one"]) > 1e-9 {
			t.Errorf("cover-one (one word of two in its title) %v with Coverage, %v without; want no bonus", after["cover-one"], before["cover-one"])
		}
	})
	t.Run("AsTyped reads the distance typed", func(t *testing.T) {
		// "chômage jeunes" typed side by side: "chômage des jeunes" is not
		// as typed (one position between), so AsTyped adds nothing.
		for _, q := range []string{"chômage jeunes", "jeunes chômage"} {
			before := scores(t, off(func(p *scoreParams) { p.AsTyped = 0 }), q)
			after := scores(t, scoring, q)
			if _, ok := after["typed"]; !ok || math.Abs(after["typed"]-before["typed"]) > 1e-9 {
				t.Errorf("%q: typed %v with AsTyped, %v without; want the same score", q, after["typed"], before["typed"])
			}
		}
		// Words typed apart (another clause between) are no run.
		before := scores(t, off(func(p *scoreParams) { p.AsTyped = 0 }), "chômage -foot jeunes")
		after := scores(t, scoring, "chômage -foot jeunes")
		if math.Abs(after["typed"]-before["typed"]) > 1e-9 {
			t.Errorf("chômage -foot jeunes: typed %v with AsTyped, %v without; want the same score", after["typed"], before["typed"])
		}
	})
	t.Run("Lead not for one word", func(t *testing.T) {
		// One word reads no positions: no lead bonus (see bm25f.go).
		s := scores(t, scoring, "satellites")
		if math.Abs(s["lead-early"]-s["lead-late"]) > 1e-9 {
			t.Errorf("satellites: lead-early %v, lead-late %v; want equal scores", s["lead-early"], s["lead-late"])
		}
	})
	t.Run("TitleK1", func(t *testing.T) {
		before := scores(t, off(func(p *scoreParams) { p.TitleK1 = 0 }), "ballons")
		after := scores(t, scoring, "ballons")
		rb := before["title-thrice"] / before["title-once"]
		ra := after["title-thrice"] / after["title-once"]
		if !(rb > 1 && ra > 1 && ra < rb) {
			t.Errorf("title thrice/once: %v without TitleK1, %v with; want both > 1, smaller with", rb, ra)
		}
	})
}

func TestWindowed(t *testing.T) {
	tests := []struct {
		lists [][]uint64
		span  uint64
		want  []uint64
	}{
		{[][]uint64{{1}, {2}}, 1, []uint64{1, 2}},
		{[][]uint64{{1}, {3}}, 1, nil},                                 // too far
		{[][]uint64{{1, 50}, {2}}, 1, []uint64{1, 2}},                  // 50 is alone
		{[][]uint64{{1, 50}, {2, 51}}, 1, []uint64{1, 2, 50, 51}},      // two windows
		{[][]uint64{{10}, {4, 30}}, 6, []uint64{4, 10}},                // any order
		{[][]uint64{{1, 20}, {10, 22}, {21}}, 3, []uint64{20, 21, 22}}, // three words
		{[][]uint64{{1}, {}}, 5, nil},
		{[][]uint64{{5, 5}, {6}}, 1, []uint64{5, 6}}, // one position twice (two stems)
	}
	for _, tt := range tests {
		if got := windowed(tt.lists, tt.span); !slices.Equal(got, tt.want) {
			t.Errorf("windowed(%v, %d) = %v; want %v", tt.lists, tt.span, got, tt.want)
		}
	}
}

// TestProximityHighlight checks that "a b"~N marks the words near each
// other only, not their other occurrences.
func TestProximityHighlight(t *testing.T) {
	idx, err := OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	body := "Le ministre de la Défense parle. Puis la défense aérienne du pays est renforcée. Une opération aérienne suit."
	if err := idx.Add(context.Background(), corpus.Report{ID: "r", Title: "Rapport", Body: body}); err != nil {
		t.Fatal(err)
	}
	res, err := idx.Search(context.Background(), Request{Query: `"défense aérienne"~2`, Highlight: true})
	if err != nil || len(res.Hits) != 1 {
		t.Fatalf("Search = %v, %v; want 1 hit", res, err)
	}
	var marked []string
	for _, f := range res.Hits[0].Fragments {
		for _, m := range f.Matches {
			marked = append(marked, f.Text[m.Start:m.End])
		}
	}
	if want := []string{"défense", "aérienne"}; !slices.Equal(marked, want) {
		t.Errorf(`"défense aérienne"~2 marks %q; want %q (the words of the window only)`, marked, want)
	}
}
