package index

import (
	"bytes"
	"fmt"
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
	zap "github.com/rapports/rapports/internal/zapx"
)

// frequencyTexts are texts whose tokens analyzers.StreamFrequencies must
// count as Bleve's analysis.TokenFrequency does.
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

func TestStreamFrequencies(t *testing.T) {
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
			var f analyzers.Frequencies
			if !analyzers.StreamFrequencies(tokens, &f) {
				t.Fatalf("text %d: StreamFrequencies: not ok", i)
			}
			if got := f.TokenFrequencies(ap); !reflect.DeepEqual(got, want) {
				t.Errorf("text %d (%.40q), array positions %v: StreamFrequencies differs from analysis.TokenFrequency:\n got %v\nwant %v", i, text, ap, got, want)
			}
			if f.Length != analyzers.FieldLength(tokens) {
				t.Errorf("text %d: StreamFrequencies length %d, FieldLength %d", i, f.Length, analyzers.FieldLength(tokens))
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

// BenchmarkTokenFrequencies compares analyzers.StreamFrequencies with Bleve's
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
			var f analyzers.Frequencies
			for _, s := range streams {
				analyzers.StreamFrequencies(s, &f)
			}
		}
	})
}

// BenchmarkFieldAnalysis compares the two ways textField.Analyze can
// analyse the bodies of 500 TV-news reports into term frequencies: the
// analyzer's tokens then analyzers.StreamFrequencies (chain), and
// analyzers.AnalyzeFrequencies (fused). The two alternate every 25 reports,
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
		var f analyzers.Frequencies
		for _, text := range part {
			in := []byte(text)
			if fused {
				analyzers.AnalyzeFrequencies(a, in, &f)
				continue
			}
			analyzers.StreamFrequencies(a.Analyze(in), &f)
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

// plainField is a field without its flat analysis: the segment builder
// reads its AnalyzedTokenFrequencies.
type plainField struct{ document.Field }

// TestCompactSegment checks that a segment built from the flat analysis
// of textFields (zap.CompactField) is byte for byte the segment built
// from the same fields' TokenFrequencies, on 500 TV-news reports (the
// sentences of frequencyTexts without them), in batches of 100, twice.
func TestCompactSegment(t *testing.T) {
	idx, err := Open(filepath.Join(t.TempDir(), "idx"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	texts := append(append([]string{}, frequencyTexts...), tvnewsTexts(t, 500)...)
	var compact, plain []bleveindex.Document
	for i, text := range texts {
		title, body, _ := strings.Cut(text, "\n")
		doc, err := idx.mapDoc(fmt.Sprintf("r%04d", i), map[string]any{
			fieldTitle: title, fieldBody: body, fieldHash: "h", fieldCountries: []string{"FR", "SN"},
		})
		if err != nil {
			t.Fatal(err)
		}
		doc.AddIDField()
		n := 0
		for _, f := range doc.Fields {
			if f.Options().IsIndexed() {
				f.Analyze()
			}
			if _, ok := f.(zap.CompactField); ok {
				n++
			}
		}
		if n != 2 {
			t.Fatalf("report %d: %d fields with a flat analysis, want 2", i, n)
		}
		other := *doc
		other.Fields = make([]document.Field, len(doc.Fields))
		for k, f := range doc.Fields {
			other.Fields[k] = plainField{f}
		}
		compact, plain = append(compact, doc), append(plain, &other)
	}
	segment := func(docs []bleveindex.Document) []byte {
		s, _, err := (&zap.ZapPlugin{}).New(docs)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		var buf bytes.Buffer
		if _, err := s.(*zap.SegmentBase).WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	for round := range 2 {
		for lo := 0; lo < len(texts); lo += 100 {
			hi := min(lo+100, len(texts))
			got, want := segment(compact[lo:hi]), segment(plain[lo:hi])
			if !bytes.Equal(got, want) {
				t.Errorf("round %d, reports %d-%d: segment of %d bytes from the flat analysis, %d from TokenFrequencies: not the same bytes", round, lo, hi, len(got), len(want))
			}
		}
	}
}

// BenchmarkNewSegment builds the segment of 500 analysed TV-news reports
// from their flat analysis (route=compact) and from their
// TokenFrequencies (route=tfs, built before the timing), as Scorch does
// for each batch:
//
//	go test ./index -run XXX -bench NewSegment -count 6 | benchstat -col /route -
func BenchmarkNewSegment(b *testing.B) {
	texts := tvnewsTexts(b, 500)
	if texts == nil {
		b.Skipf("no corpus at %s", docsCorpus)
	}
	idx, err := Open(filepath.Join(b.TempDir(), "idx"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer idx.Close()
	var compact, plain []bleveindex.Document
	for i, text := range texts {
		title, body, _ := strings.Cut(text, "\n")
		doc, err := idx.mapDoc(fmt.Sprintf("r%04d", i), map[string]any{fieldTitle: title, fieldBody: body, fieldHash: "h"})
		if err != nil {
			b.Fatal(err)
		}
		doc.AddIDField()
		other := *doc
		other.Fields = nil
		for _, f := range doc.Fields {
			if f.Options().IsIndexed() {
				f.Analyze()
			}
			f.AnalyzedTokenFrequencies()
			other.Fields = append(other.Fields, plainField{f})
		}
		compact, plain = append(compact, doc), append(plain, &other)
	}
	for _, route := range []struct {
		name string
		docs []bleveindex.Document
	}{{"compact", compact}, {"tfs", plain}} {
		b.Run("route="+route.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s, _, err := (&zap.ZapPlugin{}).New(route.docs)
				if err != nil {
					b.Fatal(err)
				}
				s.Close()
			}
		})
	}
}
