package index

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/rapports/rapports/analyzers"
	"github.com/rapports/rapports/corpus"
)

// TestScoreIgnoresVocabularySize checks that BM25 normalises a field by its
// average length, not by the size of its vocabulary: a report scores the
// same against two indexes of as many reports of the same lengths, one
// repeating a few words, the other using a new word each time.
func TestScoreIgnoresVocabularySize(t *testing.T) {
	const fillers, words = 40, 60
	probe := corpus.Report{ID: "probe", Title: "Note de situation",
		Body: "Un drone a survolé la base avant l’aube, sans être intercepté."}
	repeated := func(i int) string { return strings.Repeat("budget communal ", words/2) }
	distinct := func(i int) string {
		var b strings.Builder
		for j := range words {
			n := i*words + j
			fmt.Fprintf(&b, "zor%c%c%cx ", 'a'+n%26, 'a'+n/26%26, 'a'+n/676%26)
		}
		return b.String()
	}
	tokens := func(text string) int {
		toks, err := analyzers.Analyze(analyzers.IndexName, text)
		if err != nil {
			t.Fatal(err)
		}
		return len(toks)
	}
	if a, b := tokens(repeated(0)), tokens(distinct(0)); a != b {
		t.Fatalf("fixture: filler bodies have %d and %d tokens; want the same", a, b)
	}
	score := func(body func(int) string) float64 {
		idx, err := Open(t.TempDir(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer idx.Close()
		reports := []corpus.Report{probe}
		for i := range fillers {
			reports = append(reports, corpus.Report{ID: fmt.Sprint("r", i), Title: "Conseil du jour", Body: body(i)})
		}
		if err := idx.Add(context.Background(), reports...); err != nil {
			t.Fatal(err)
		}
		res, err := idx.Search(context.Background(), Request{Query: "drone"})
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(res); len(got) != 1 || got[0] != "probe" {
			t.Fatalf(`Search("drone") = %q; want [probe]`, got)
		}
		return res.Hits[0].Score
	}
	few, many := score(repeated), score(distinct)
	if math.Abs(few-many) > 1e-6*many {
		t.Errorf(`score of "drone" in probe: %.4f beside reports repeating 2 words, %.4f beside reports of %d distinct words; want the same`,
			few, many, fillers*words)
	}
}

// TestAverageLengths checks the sampled average field lengths against the
// field lengths of the fixture (analyzers.IndexFieldLength: the tokens,
// counting words stored as their exact form alone as if with their terms).
func TestAverageLengths(t *testing.T) {
	idx, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	if err := idx.Add(context.Background(), fixture()...); err != nil {
		t.Fatal(err)
	}
	st, err := idx.bm25Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{}
	for _, r := range fixture() {
		for f, text := range map[string]string{fieldTitle: r.Title, fieldBody: r.Body} {
			n, err := analyzers.IndexFieldLength(text)
			if err != nil {
				t.Fatal(err)
			}
			want[f] += n
		}
	}
	if st.DocCount != float64(len(fixture())) {
		t.Errorf("DocCount = %v; want %d", st.DocCount, len(fixture()))
	}
	for f, n := range want {
		// Every fixture report has a title and a body.
		if got := st.FieldCardinality[f]; got != n {
			t.Errorf("total length of %s = %d; want %d", f, got, n)
		}
	}
}

// TestFiltersOnMissingFields checks that filters on fields no report has
// yet find nothing rather than failing.
func TestFiltersOnMissingFields(t *testing.T) {
	idx, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	if err := idx.Add(context.Background(), corpus.Report{ID: "r", Title: "Note", Body: "Un drone."}); err != nil {
		t.Fatal(err)
	}
	for _, req := range []Request{
		{Query: "drone", Countries: []string{"FR"}},
		{Query: "drone", Countries: []string{"FR", "ML"}},
		{Query: "drone", From: "2024", To: "2025"},
	} {
		res, err := idx.Search(context.Background(), req)
		if err != nil {
			t.Errorf("Search(%+v): %v", req, err)
			continue
		}
		if res.Total != 0 {
			t.Errorf("Search(%+v).Total = %d; want 0", req, res.Total)
		}
	}
}

// TestMemoryScoresAsDisk checks that an index in memory ranks and scores as
// one on disk: Bleve has no BM25 statistics for its in-memory index and
// scored it with TF-IDF.
func TestMemoryScoresAsDisk(t *testing.T) {
	mem, disk := newFixture(t), newDiskFixture(t)
	for _, q := range []string{"défense", "drones", `"défense aérienne"`, "milit*", "défense -drones"} {
		a, err := mem.Search(context.Background(), Request{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		b, err := disk.Search(context.Background(), Request{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Hits) != len(b.Hits) {
			t.Fatalf("Search(%q): %d hits in memory, %d on disk", q, len(a.Hits), len(b.Hits))
		}
		for i := range a.Hits {
			if a.Hits[i].ID != b.Hits[i].ID || math.Abs(a.Hits[i].Score-b.Hits[i].Score) > 1e-9 {
				t.Errorf("Search(%q) hit %d: %s %.6f in memory, %s %.6f on disk; want the same",
					q, i+1, a.Hits[i].ID, a.Hits[i].Score, b.Hits[i].ID, b.Hits[i].Score)
			}
		}
	}
}

// TestCountTokens checks the token count of short texts and the estimate
// for texts longer than sampleText.
func TestCountTokens(t *testing.T) {
	sentence := "L’armée de l’air a renforcé ses défenses aériennes près de la frontière. "
	for _, text := range []string{"", "Un drone.", strings.Repeat(sentence, 40), strings.Repeat(sentence, 2000)} {
		toks, err := analyzers.Analyze(analyzers.IndexName, text)
		if err != nil {
			t.Fatal(err)
		}
		got, err := countTokens(text)
		if err != nil {
			t.Fatal(err)
		}
		want := len(toks)
		if len(text) <= sampleText && got != want || math.Abs(float64(got-want)) > 0.01*float64(want) {
			t.Errorf("countTokens(%d bytes) = %d; want %d (within 1%% past %d bytes)", len(text), got, want, sampleText)
		}
	}
}
