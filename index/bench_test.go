//go:build unix

package index_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/rapports/rapports/index"
	"github.com/rapports/rapports/index/internal/querymix"
)

// docsDir is the real corpus of 13,040 French TV-news reports, beside the
// repository; benchmarks skip when it is absent.
const docsDir = "../../shared/data/tvnews-fr/docs"

func corpusFiles(b *testing.B) (files []string, size int64) {
	entries, err := os.ReadDir(docsDir)
	if err != nil {
		b.Skipf("no corpus at %s: %v", docsDir, err)
	}
	for _, e := range entries {
		if filepath.Ext(e.Name()) != ".txt" {
			continue
		}
		info, err := e.Info()
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, filepath.Join(docsDir, e.Name()))
		size += info.Size()
	}
	return files, size
}

// BenchmarkIndexDocs indexes tvnews-fr/docs from files to a closed index,
// with the whole pipeline and, side by side, with a plain Bleve index
// (built-in fr analyzer, same stored fields, term vectors, batches of 1,000,
// default settings).
//
//	go test ./index -run XXX -bench IndexDocs -benchtime 1x -count 3
func BenchmarkIndexDocs(b *testing.B) {
	files, size := corpusFiles(b)
	report := func(b *testing.B, start time.Time, cpu0 time.Duration) {
		b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s")
		secs := time.Since(start).Seconds() / float64(b.N)
		b.ReportMetric(float64(len(files))/secs, "docs/s")
		b.ReportMetric(float64(size)/1e6/secs, "MB/s")
	}
	b.Run("pipeline", func(b *testing.B) {
		start, cpu0 := time.Now(), cpuTime()
		for range b.N {
			dir := b.TempDir()
			idx, err := index.Open(filepath.Join(dir, "idx"), index.Options{})
			if err != nil {
				b.Fatal(err)
			}
			st, err := idx.AddPaths(context.Background(), []string{docsDir}, index.AddOptions{})
			if err != nil {
				b.Fatal(err)
			}
			if err := idx.Close(); err != nil {
				b.Fatal(err)
			}
			if st.Added != len(files) {
				b.Fatalf("added %d of %d files (%d failed)", st.Added, len(files), st.Failed)
			}
			b.ReportMetric(float64(dirSize(dir))/float64(size), "index/text")
		}
		report(b, start, cpu0)
	})
	b.Run("plain-bleve", func(b *testing.B) {
		start, cpu0 := time.Now(), cpuTime()
		for range b.N {
			dir := b.TempDir()
			plainIndex(b, filepath.Join(dir, "idx"), files, 1000)
			b.ReportMetric(float64(dirSize(dir))/float64(size), "index/text")
		}
		report(b, start, cpu0)
	})
}

// BenchmarkBatchSize measures the pipeline with several batch sizes.
//
//	go test ./index -run XXX -bench BatchSize -benchtime 1x
func BenchmarkBatchSize(b *testing.B) {
	files, size := corpusFiles(b)
	for _, n := range []int{250, 500, 1000, 2000, 4000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			start, cpu0 := time.Now(), cpuTime()
			for range b.N {
				idx, err := index.Open(filepath.Join(b.TempDir(), "idx"), index.Options{})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := idx.AddPaths(context.Background(), []string{docsDir}, index.AddOptions{BatchSize: n}); err != nil {
					b.Fatal(err)
				}
				if err := idx.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s")
			secs := time.Since(start).Seconds() / float64(b.N)
			b.ReportMetric(float64(len(files))/secs, "docs/s")
			b.ReportMetric(float64(size)/1e6/secs, "MB/s")
		})
	}
}

// plainIndex indexes files the plain Bleve way: parse the tvnews-fr layout
// ("date", blank line, title, blank line, text), fr analyzer.
func plainIndex(b *testing.B, path string, files []string, batchSize int) {
	text := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = "fr"
		f.Store = true
		f.IncludeTermVectors = true
		return f
	}
	kw := func() *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Store = true
		return f
	}
	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt("title", text())
	doc.AddFieldMappingsAt("body", text())
	doc.AddFieldMappingsAt("date", bleve.NewDateTimeFieldMapping())
	doc.AddFieldMappingsAt("date_text", kw())
	doc.AddFieldMappingsAt("path", kw())
	m := bleve.NewIndexMapping()
	m.DefaultMapping = doc
	bi, err := bleve.New(path, m)
	if err != nil {
		b.Fatal(err)
	}
	batch := bi.NewBatch()
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		parts := bytes.SplitN(data, []byte("\n\n"), 3)
		if len(parts) != 3 {
			b.Fatalf("%s: not in the tvnews-fr layout", f)
		}
		date := string(bytes.TrimPrefix(parts[0], []byte("date ")))
		t, _ := time.Parse("2006-01-02", date)
		d := map[string]any{"title": string(parts[1]), "body": string(parts[2]), "date": t, "date_text": date, "path": filepath.Base(f)}
		if err := batch.Index(filepath.Base(f), d); err != nil {
			b.Fatal(err)
		}
		if batch.Size() >= batchSize {
			if err := bi.Batch(batch); err != nil {
				b.Fatal(err)
			}
			batch = bi.NewBatch()
		}
	}
	if err := bi.Batch(batch); err != nil {
		b.Fatal(err)
	}
	if err := bi.Close(); err != nil {
		b.Fatal(err)
	}
}

// cpuTime returns the user and system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func dirSize(dir string) int64 {
	var n int64
	filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			n += info.Size()
		}
		return nil
	})
	return n
}

var (
	queryIndexOnce sync.Once
	queryIndexDir  string
	queryIndexErr  error
)

// BenchmarkQueryMix runs the fixed mix of 200 requests (querymix) on the
// tvnews-fr/docs index, after it is closed and reopened, and reports the
// latency percentiles of one pass.
//
//	go test ./index -run XXX -bench QueryMix -benchtime 5x
func BenchmarkQueryMix(b *testing.B) {
	idx := queryMixIndex(b)
	defer idx.Close()
	reqs := querymix.Requests()
	var lat []time.Duration
	b.ResetTimer()
	for range b.N {
		for _, r := range reqs {
			t := time.Now()
			if _, err := idx.Search(context.Background(), r); err != nil {
				b.Fatalf("Search(%+v): %v", r, err)
			}
			lat = append(lat, time.Since(t))
		}
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(0, "ns/op")
}

// queryMixIndex returns the tvnews-fr/docs index of the query-mix
// benchmarks, built once per run, opened read-only; the caller closes it.
func queryMixIndex(b *testing.B) *index.Index {
	b.Helper()
	corpusFiles(b)
	queryIndexOnce.Do(func() {
		queryIndexDir, queryIndexErr = os.MkdirTemp("", "rapports-bench-")
		if queryIndexErr != nil {
			return
		}
		idx, err := index.Open(filepath.Join(queryIndexDir, "idx"), index.Options{})
		if err != nil {
			queryIndexErr = err
			return
		}
		if _, err := idx.AddPaths(context.Background(), []string{docsDir}, index.AddOptions{}); err != nil {
			queryIndexErr = err
		}
		if err := idx.Close(); err != nil && queryIndexErr == nil {
			queryIndexErr = err
		}
	})
	if queryIndexErr != nil {
		b.Fatal(queryIndexErr)
	}
	idx, err := index.Open(filepath.Join(queryIndexDir, "idx"), index.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	return idx
}

// BenchmarkQueryMixRanking times each request of the query mix under
// three rankings in turn, in one run, so that the machine's load weighs
// on all three alike: Bleve's scoring as before issue #13 ("bleve"), BM25F
// with session 2's weights ("session2": without AsTyped) and the ranking
// in use ("bm25f").
// The order of the three changes from one request to the next. It reports
// each ranking's p50 and p99 over the passes and its p50 against Bleve's.
//
//	go test ./index -run XXX -bench QueryMixRanking -benchtime 5x -count 5
func BenchmarkQueryMixRanking(b *testing.B) {
	idx := queryMixIndex(b)
	defer idx.Close()
	kinds := []string{"bleve", "session2", ""}
	lat := make([][]time.Duration, len(kinds))
	reqs := querymix.Requests()
	b.ResetTimer()
	turn := 0
	for range b.N {
		for _, r := range reqs {
			turn++
			for k := range kinds {
				k = (k + turn) % len(kinds)
				restore := index.SetRanking(kinds[k])
				t := time.Now()
				_, err := idx.Search(context.Background(), r)
				lat[k] = append(lat[k], time.Since(t))
				restore()
				if err != nil {
					b.Fatalf("Search(%+v) with ranking %q: %v", r, kinds[k], err)
				}
			}
		}
	}
	b.StopTimer()
	p50 := make([]float64, len(kinds))
	for k, name := range []string{"bleve", "session2", "bm25f"} {
		slices.Sort(lat[k])
		p50[k] = float64(lat[k][len(lat[k])/2].Microseconds()) / 1000
		b.ReportMetric(p50[k], name+"-p50-ms")
		b.ReportMetric(float64(lat[k][len(lat[k])*99/100].Microseconds())/1000, name+"-p99-ms")
	}
	b.ReportMetric(p50[2]/p50[0], "bm25f/bleve-p50")
	b.ReportMetric(p50[2]/p50[1], "bm25f/session2-p50")
	b.ReportMetric(0, "ns/op")
}

// TestMain removes the index shared by the runs of BenchmarkQueryMix.
func TestMain(m *testing.M) {
	code := m.Run()
	if queryIndexDir != "" {
		os.RemoveAll(queryIndexDir)
	}
	os.Exit(code)
}
