package index

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/rapports/rapports/analyzers"
)

// frequencyTexts are texts whose analysis tokenFrequencies must give as
// Bleve's analysis.TokenFrequency does.
var frequencyTexts = []string{
	"",
	"le",
	"L'armée a dit : « l'armée, les armées et l'Armée ». Armée !",
	"Les élèves de l'école élémentaire ont élu leurs délégués ; les écoles ferment.",
	"Jusqu'à 12 000 personnes, le 1er mai 2024, à Paris-Saclay — aujourd'hui — œil, yeux, travail, travaux.",
	strings.Repeat("grève des transports, grève générale, la grève continue. ", 40),
	"Tōkyō, 東京, Москва et القاهرة : des villes.",
}

// tvnewsTexts returns up to n report texts of ../shared's tvnews-fr, if
// it is there.
func tvnewsTexts(t testing.TB, n int) []string {
	entries, err := os.ReadDir(docsCorpus)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if len(out) == n {
			break
		}
		b, err := os.ReadFile(filepath.Join(docsCorpus, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	return out
}

func TestTokenFrequencies(t *testing.T) {
	a := newMapping().AnalyzerNamed(analyzers.IndexName)
	if a == nil {
		t.Fatalf("no analyzer %s", analyzers.IndexName)
	}
	opts := bleveindex.IndexField | bleveindex.StoreField | bleveindex.IncludeTermVectors
	texts := append(append([]string{}, frequencyTexts...), tvnewsTexts(t, 200)...)
	for i, text := range texts {
		for _, ap := range [][]uint64{nil, {3}} {
			tokens := a.Analyze([]byte(text))
			want := analysis.TokenFrequency(tokens, ap, opts)
			got := tokenFrequencies(tokens, ap)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("text %d (%.40q), array positions %v: tokenFrequencies differs from analysis.TokenFrequency:\n got %v\nwant %v", i, text, ap, got, want)
			}
		}
	}
}

// TestTextField checks that a text field analysed by textField holds what
// Bleve's own TextField does, and leaves the stored value alone.
func TestTextField(t *testing.T) {
	idx, err := Open(filepath.Join(t.TempDir(), "idx"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	body := "L'ÉCOLE est fermée ; les écoles aussi, aujourd'hui."
	data := map[string]any{fieldTitle: "Écoles", fieldBody: body, fieldHash: "h"}
	ours, err := idx.mapDoc("r1", data)
	if err != nil {
		t.Fatal(err)
	}
	theirs := document.NewDocument("r1")
	if err := idx.bi.Mapping().MapDocument(theirs, data); err != nil {
		t.Fatal(err)
	}
	if len(ours.Fields) != len(theirs.Fields) {
		t.Fatalf("addDoc gave %d fields, Batch.Index %d", len(ours.Fields), len(theirs.Fields))
	}
	byName := map[string]document.Field{}
	for _, g := range theirs.Fields {
		byName[g.Name()] = g
	}
	wrapped := 0
	for _, f := range ours.Fields { // in the order of the data map: compare by name
		g, ok := byName[f.Name()]
		if !ok {
			t.Fatalf("field %s: not given by Batch.Index", f.Name())
		}
		if _, ok := f.(*textField); ok {
			wrapped++
		}
		if f.Options() != g.Options() || string(f.Value()) != string(g.Value()) {
			t.Fatalf("field %s: %v %q; Batch.Index: %v %q", f.Name(), f.Options(), f.Value(), g.Options(), g.Value())
		}
		f.Analyze()
		g.Analyze()
		// The length is Bleve's for a field without words stored as their
		// exact form alone; with them, analyzers.FieldLength's.
		length := g.AnalyzedLength()
		if tf, ok := g.(*document.TextField); ok && tf.Analyzer() != nil {
			length = analyzers.FieldLength(tf.Analyzer().Analyze([]byte(string(g.Value()))))
		}
		if f.Name() == fieldBody && length == g.AnalyzedLength() {
			t.Errorf("body %q: no word stored as its exact form alone; the test needs one", body)
		}
		if f.AnalyzedLength() != length || !reflect.DeepEqual(f.AnalyzedTokenFrequencies(), g.AnalyzedTokenFrequencies()) {
			t.Errorf("field %s: analysed %d tokens %v; Bleve %d tokens (length %d) %v", f.Name(), f.AnalyzedLength(), f.AnalyzedTokenFrequencies(), g.AnalyzedLength(), length, g.AnalyzedTokenFrequencies())
		}
	}
	if wrapped != 2 {
		t.Errorf("%d fields analysed by textField, want 2 (title and body)", wrapped)
	}
	for _, f := range ours.Fields {
		if f.Name() == fieldBody && string(f.Value()) != body {
			t.Errorf("body after analysis %q, want %q", f.Value(), body)
		}
	}
}

// BenchmarkTokenFrequencies compares tokenFrequencies with Bleve's
// analysis.TokenFrequency on the analysed bodies of 500 TV-news reports.
//
//	go test ./index -run XXX -bench TokenFrequencies -count 6 | benchstat -col /f -
func BenchmarkTokenFrequencies(b *testing.B) {
	texts := tvnewsTexts(b, 500)
	if texts == nil {
		b.Skipf("no corpus at %s", docsCorpus)
	}
	a := newMapping().AnalyzerNamed(analyzers.IndexName)
	var streams []analysis.TokenStream
	for _, text := range texts {
		streams = append(streams, a.Analyze([]byte(text)))
	}
	opts := bleveindex.IndexField | bleveindex.StoreField | bleveindex.IncludeTermVectors
	b.Run("f=bleve", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			for _, s := range streams {
				analysis.TokenFrequency(s, nil, opts)
			}
		}
	})
	b.Run("f=ours", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			for _, s := range streams {
				tokenFrequencies(s, nil)
			}
		}
	})
}

// BenchmarkFieldAnalysis compares the two ways textField.Analyze can
// analyse the bodies of 500 TV-news reports into term frequencies: the
// analyzer's tokens then tokenFrequencies (chain), and
// analyzers.IndexFrequencies (fused). The two alternate every 25 reports,
// and each reports the process CPU time it took (garbage collection
// included) per pass, so that the load of a shared machine weighs on both
// alike:
//
//	go test ./index -run XXX -bench FieldAnalysis -count 6
func BenchmarkFieldAnalysis(b *testing.B) {
	texts := tvnewsTexts(b, 500)
	if texts == nil {
		b.Skipf("no corpus at %s", docsCorpus)
	}
	a := newMapping().AnalyzerNamed(analyzers.IndexName)
	size := 0
	for _, text := range texts {
		size += len(text)
	}
	var spent [2]time.Duration
	run := func(fused bool, part []string) {
		start := processCPU()
		for _, text := range part {
			in := []byte(text)
			if fused {
				analyzers.IndexFrequencies(a, in, nil)
				continue
			}
			tokens := a.Analyze(in)
			analyzers.FieldLength(tokens)
			tokenFrequencies(tokens, nil)
		}
		if fused {
			spent[1] += processCPU() - start
		} else {
			spent[0] += processCPU() - start
		}
	}
	for _, fused := range []bool{false, true} { // warm both
		run(fused, texts)
	}
	spent = [2]time.Duration{}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	round := 0
	for b.Loop() {
		for lo := 0; lo < len(texts); lo += 25 {
			part := texts[lo:min(lo+25, len(texts))]
			round++
			run(round%2 == 0, part)
			run(round%2 == 1, part)
		}
	}
	b.ReportMetric(float64(spent[0].Milliseconds())/float64(b.N), "chain-cpu-ms/op")
	b.ReportMetric(float64(spent[1].Milliseconds())/float64(b.N), "fused-cpu-ms/op")
	b.ReportMetric(float64(spent[0])/float64(spent[1]), "chain/fused")
}
