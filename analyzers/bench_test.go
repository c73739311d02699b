package analyzers

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/registry"
)

// benchDocs is how many reports of tvnews-fr the benchmarks analyze.
const benchDocs = 2000

// loadTVNews reads the first n reports of ../../shared/data/tvnews-fr/docs,
// skipping the benchmark when the data is absent.
func loadTVNews(b testing.TB, n int) [][]byte {
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

// BenchmarkAnalyzeRatio measures the throughput of FrenchName, IndexName
// and ExactName relative to Bleve's fr analyzer, interleaving the analyzers
// every 50 reports so that the load of a shared machine weighs on all of
// them alike. It reports each ratio (above 1: faster than fr) and fr's
// throughput. In "warm", the stem caches have seen the reports once; in
// "cold", every run starts with empty caches, as a fresh process indexing
// those reports would:
//
//	go test -run '^$' -bench AnalyzeRatio -count 6 ./analyzers
func BenchmarkAnalyzeRatio(b *testing.B) {
	docs := loadTVNews(b, benchDocs)
	names := []string{fr.AnalyzerName, FrenchName, IndexName, ExactName}
	build := func() []analysis.Analyzer {
		analyzers := make([]analysis.Analyzer, len(names))
		for i, name := range names {
			// A registry cache of its own: new filters, empty stem caches
			// that no other analyzer of the run fills.
			a, err := registry.NewCache().AnalyzerNamed(name)
			if err != nil {
				b.Fatal(err)
			}
			analyzers[i] = a
		}
		return analyzers
	}
	total, longest := 0, 0
	for _, d := range docs {
		total += len(d)
		longest = max(longest, len(d))
	}
	buf := make([]byte, 0, longest)
	// run analyzes docs with each analyzer, adding the time each takes.
	run := func(analyzers []analysis.Analyzer, spent []time.Duration) {
		const chunk = 50
		for lo, round := 0, 0; lo < len(docs); lo, round = lo+chunk, round+1 {
			part := docs[lo:min(lo+chunk, len(docs))]
			for k := range analyzers {
				i := (k + round) % len(analyzers) // rotate which goes first
				start := time.Now()
				for _, d := range part {
					buf = append(buf[:0], d...)
					analyzers[i].Analyze(buf)
				}
				spent[i] += time.Since(start)
			}
		}
	}
	report := func(b *testing.B, spent []time.Duration) {
		b.SetBytes(int64(total) * int64(len(names)))
		for i, name := range names[1:] {
			b.ReportMetric(float64(spent[0])/float64(spent[i+1]), name+"/fr")
		}
		b.ReportMetric(float64(total)*float64(b.N)/spent[0].Seconds()/1e6, "fr_MB/s")
	}
	b.Run("cache=warm", func(b *testing.B) {
		analyzers := build()
		run(analyzers, make([]time.Duration, len(names)))
		spent := make([]time.Duration, len(names))
		for b.Loop() {
			run(analyzers, spent)
		}
		report(b, spent)
	})
	b.Run("cache=cold", func(b *testing.B) {
		spent := make([]time.Duration, len(names))
		for b.Loop() {
			run(build(), spent)
		}
		report(b, spent)
	})
}

// BenchmarkIndex measures building an on-disk Bleve index of reports
// whose text field (with term vectors, not in _all) uses FrenchName or
// IndexName, relative to the same index with Bleve's fr analyzer. Each
// iteration builds the three indexes in turn, rotating which goes first,
// and the ratios (above 1: faster than fr) compare their total times:
//
//	go test -run '^$' -bench Index -benchtime 4x -count 4 ./analyzers
func BenchmarkIndex(b *testing.B) {
	docs := loadTVNews(b, 1000)
	size := 0
	for _, d := range docs {
		size += len(d)
	}
	names := []string{fr.AnalyzerName, FrenchName, IndexName}
	build := func(b *testing.B, name string) time.Duration {
		m := bleve.NewIndexMapping()
		body := bleve.NewTextFieldMapping()
		body.Analyzer = name
		body.IncludeTermVectors = true
		body.IncludeInAll = false
		m.DefaultMapping.AddFieldMappingsAt("body", body)
		start := time.Now()
		idx, err := bleve.New(filepath.Join(b.TempDir(), "idx"), m)
		if err != nil {
			b.Fatal(err)
		}
		batch := idx.NewBatch()
		for i, d := range docs {
			if err := batch.Index(strconv.Itoa(i), map[string]any{"body": string(d)}); err != nil {
				b.Fatal(err)
			}
			if batch.Size() == 200 {
				if err := idx.Batch(batch); err != nil {
					b.Fatal(err)
				}
				batch.Reset()
			}
		}
		if err := idx.Batch(batch); err != nil {
			b.Fatal(err)
		}
		if err := idx.Close(); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	spent := make([]time.Duration, len(names))
	round := 0
	for b.Loop() {
		for k := range names {
			i := (k + round) % len(names)
			spent[i] += build(b, names[i])
		}
		round++
	}
	b.SetBytes(int64(size) * int64(len(names)))
	for i, name := range names[1:] {
		b.ReportMetric(float64(spent[0])/float64(spent[i+1]), name+"/fr")
	}
	b.ReportMetric(float64(size)*float64(b.N)/spent[0].Seconds()/1e6, "fr_MB/s")
}

// BenchmarkLexiconRatio measures the throughput of IndexName and
// FrenchName with the lexicon relative to the same analyzers without it
// (the analysis before the lexicon: Snowball and folding alone),
// interleaved every 50 reports as BenchmarkAnalyzeRatio does. Above 1:
// faster with the lexicon. It reports the ratio of the wall-clock times
// (NAME_lexicon/before) and of the process CPU times (NAME_cpu_lexicon/before),
// which a loaded machine disturbs less, since the time spent waiting for a
// core is not counted. "cold" starts every run with empty stem caches
// (and, for the lexicon, an already loaded lexicon):
//
//	go test -run '^$' -bench LexiconRatio -count 6 ./analyzers | tee ratio.txt
//	benchstat ratio.txt
func BenchmarkLexiconRatio(b *testing.B) {
	docs := loadTVNews(b, benchDocs)
	if _, err := theLexicon(); err != nil {
		b.Fatal(err)
	}
	defer func() { useLexicon = true }()
	names := []string{IndexName, FrenchName}
	build := func() []analysis.Analyzer {
		var out []analysis.Analyzer
		for _, name := range names {
			for range 2 { // without, then with the lexicon
				a, err := registry.NewCache().AnalyzerNamed(name)
				if err != nil {
					b.Fatal(err)
				}
				out = append(out, a)
			}
		}
		return out
	}
	total := 0
	for _, d := range docs {
		total += len(d)
	}
	buf := make([]byte, 0, 1<<20)
	run := func(analyzers []analysis.Analyzer, spent, cpu []time.Duration) {
		const chunk = 50
		for lo, round := 0, 0; lo < len(docs); lo, round = lo+chunk, round+1 {
			part := docs[lo:min(lo+chunk, len(docs))]
			for k := range analyzers {
				i := (k + round) % len(analyzers)
				useLexicon = i%2 == 1
				start, startCPU := time.Now(), cpuTime()
				for _, d := range part {
					buf = append(buf[:0], d...)
					analyzers[i].Analyze(buf)
				}
				spent[i] += time.Since(start)
				cpu[i] += cpuTime() - startCPU
			}
		}
	}
	report := func(b *testing.B, spent, cpu []time.Duration) {
		b.SetBytes(int64(total) * int64(len(spent)))
		for i, name := range names {
			b.ReportMetric(float64(spent[2*i])/float64(spent[2*i+1]), name+"_lexicon/before")
			if cpu[2*i+1] > 0 {
				b.ReportMetric(float64(cpu[2*i])/float64(cpu[2*i+1]), name+"_cpu_lexicon/before")
			}
		}
	}
	b.Run("cache=warm", func(b *testing.B) {
		analyzers := build()
		run(analyzers, make([]time.Duration, 4), make([]time.Duration, 4))
		spent, cpu := make([]time.Duration, 4), make([]time.Duration, 4)
		for b.Loop() {
			run(analyzers, spent, cpu)
		}
		report(b, spent, cpu)
	})
	b.Run("cache=cold", func(b *testing.B) {
		spent, cpu := make([]time.Duration, 4), make([]time.Duration, 4)
		for b.Loop() {
			run(build(), spent, cpu)
		}
		report(b, spent, cpu)
	})
}

// BenchmarkLexiconLoad measures loading the embedded lexicon, which the
// analyzers do once, at the first word they look up.
func BenchmarkLexiconLoad(b *testing.B) {
	for b.Loop() {
		if _, err := readLexicon(lexiconData); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAnalyzeFrequencies measures AnalyzeFrequencies, the analysis of
// an index's text fields, on 2000 reports of tvnews-fr: "warm" with the
// vocabulary already holding their words, as when indexing a large corpus,
// "cold" with a new vocabulary every run. Compare two versions with
//
//	go test -run '^$' -bench AnalyzeFrequencies -count 8 ./analyzers | tee freq.txt
//	benchstat freq.txt
func BenchmarkAnalyzeFrequencies(b *testing.B) {
	docs := loadTVNews(b, benchDocs)
	analyzersOnce.Do(buildAnalyzers)
	if analyzersErr != nil {
		b.Fatal(analyzersErr)
	}
	a := builtAnalyzer[IndexName]
	size, longest := 0, 0
	for _, d := range docs {
		size += len(d)
		longest = max(longest, len(d))
	}
	buf := make([]byte, longest)
	run := func() {
		var f Frequencies
		for _, d := range docs {
			in := buf[:len(d)]
			copy(in, d)
			if !AnalyzeFrequencies(a, in, &f) {
				b.Fatal("AnalyzeFrequencies: not ok")
			}
		}
	}
	for _, cold := range []bool{false, true} {
		name := "vocab=warm"
		if cold {
			name = "vocab=cold"
		}
		b.Run(name, func(b *testing.B) {
			run()
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				if cold {
					currentVocab.Store(newVocab(nil))
				}
				run()
			}
		})
	}
}
