package analyzers

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/registry"
)

// benchDocs is how many reports of tvnews-fr the benchmarks analyze.
const benchDocs = 2000

// loadTVNews reads the first n reports of ../../shared/data/tvnews-fr/docs,
// skipping the benchmark when the data is absent.
func loadTVNews(b *testing.B, n int) [][]byte {
	b.Helper()
	dir := filepath.Join("..", "..", "shared", "data", "tvnews-fr", "docs")
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		b.Skipf("reference data absent: %v", err)
	}
	if err != nil {
		b.Fatal(err)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if filepath.Ext(e.Name()) == ".txt" {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	var docs [][]byte
	for _, name := range names[:min(n, len(names))] {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, data)
	}
	return docs
}

// BenchmarkAnalyze measures the throughput of this package's analyzers
// side by side with Bleve's built-in French analyzer, fr, on real French
// news text. Each run analyzes fresh copies of the reports, since Bleve's
// lowercase filter rewrites its input. Compare with
//
//	go test -run '^$' -bench Analyze -count 6 ./analyzers | tee bench.txt
//	benchstat -col /analyzer bench.txt
func BenchmarkAnalyze(b *testing.B) {
	docs := loadTVNews(b, benchDocs)
	size := 0
	for _, d := range docs {
		size += len(d)
	}
	for _, name := range []string{fr.AnalyzerName, FrenchName, IndexName, ExactName} {
		b.Run("analyzer="+name, func(b *testing.B) {
			a, err := registry.NewCache().AnalyzerNamed(name)
			if err != nil {
				b.Fatal(err)
			}
			buf := make([]byte, size)
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				off := 0
				for _, d := range docs {
					in := buf[off : off+len(d)]
					copy(in, d)
					off += len(d)
					a.Analyze(in)
				}
			}
		})
	}
}
