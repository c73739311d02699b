//go:build unix

package index

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/rapports/rapports/analyzers"
	"github.com/rapports/rapports/corpus"
	zap "github.com/rapports/rapports/internal/zapx"
)

// docsCorpus is the real corpus of 13,040 French TV-news reports beside the
// repository.
const docsCorpus = "../../shared/data/tvnews-fr/docs"

// BenchmarkScorchSettings indexes tvnews-fr/docs from files to a closed
// index with the whole pipeline under several Scorch settings and batch
// sizes, one after the other in each round, and reports CPU seconds,
// reports per second, the index size over the text and its segments:
//
//	go test ./index -run XXX -bench ScorchSettings -benchtime 1x -count 3
func BenchmarkScorchSettings(b *testing.B) {
	if _, err := os.Stat(docsCorpus); err != nil {
		b.Skipf("no corpus at %s: %v", docsCorpus, err)
	}
	type setting struct {
		name  string
		cfg   map[string]any
		batch int
	}
	settings := []setting{
		{name: "default"},
		{name: "batch500", batch: 500},
		{name: "batch2000", batch: 2000},
		{name: "bleve-merge-plan", cfg: map[string]any{}}, // Bleve's defaults
		{name: "tier20", cfg: map[string]any{"scorchMergePlanOptions": map[string]any{
			"MaxSegmentsPerTier": 20, "SegmentsPerMergeTask": 20, "FloorSegmentSize": 10000}}},
	}
	for _, s := range settings {
		b.Run(s.name, func(b *testing.B) {
			old := scorchSettings
			if s.cfg != nil { // nil: the package's settings
				scorchSettings = s.cfg
			}
			defer func() { scorchSettings = old }()
			added := 0
			start, cpu0 := time.Now(), cpuSeconds()
			for range b.N {
				dir := filepath.Join(b.TempDir(), "idx")
				idx, err := Open(dir, Options{})
				if err != nil {
					b.Fatal(err)
				}
				st, err := idx.AddPaths(context.Background(), []string{docsCorpus}, AddOptions{BatchSize: s.batch})
				if err != nil {
					b.Fatal(err)
				}
				if err := idx.Close(); err != nil {
					b.Fatal(err)
				}
				size, segs := treeStats(dir)
				b.ReportMetric(float64(size)/float64(st.TextBytes), "index/text")
				b.ReportMetric(float64(segs), "segments")
				added = st.Added
			}
			b.ReportMetric(float64(added*b.N)/time.Since(start).Seconds(), "docs/s")
			b.ReportMetric((cpuSeconds()-cpu0)/float64(b.N), "cpu-s")
		})
	}
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// treeStats returns the size of the files under dir and the number of
// segment files.
func treeStats(dir string) (size int64, segments int) {
	filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			size += info.Size()
			if filepath.Ext(path) == ".zap" {
				segments++
			}
		}
		return nil
	})
	return size, segments
}

// Token filters and analyzers of BenchmarkMappingSize's variants.
const (
	benchDropExact = "rapports_bench_drop_exact"
	benchOnlyExact = "rapports_bench_only_exact"
)

// benchFilter is a token filter of BenchmarkMappingSize.
type benchFilter func(analysis.TokenStream) analysis.TokenStream

func (f benchFilter) Filter(in analysis.TokenStream) analysis.TokenStream { return f(in) }

// keepTokens returns a filter keeping the tokens for which keep is true.
func keepTokens(keep func(*analysis.Token) bool) benchFilter {
	return func(in analysis.TokenStream) analysis.TokenStream {
		out := in[:0]
		for _, t := range in {
			if keep(t) {
				out = append(out, t)
			}
		}
		return out
	}
}

func isExact(t *analysis.Token) bool { return bytes.HasPrefix(t.Term, []byte(analyzers.ExactMarker)) }

func init() {
	filters := map[string]benchFilter{
		benchDropExact: keepTokens(func(t *analysis.Token) bool { return !isExact(t) }),
		benchOnlyExact: keepTokens(isExact),
	}
	for name, f := range filters {
		if err := registry.RegisterTokenFilter(name, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) { return f, nil }); err != nil {
			panic(err)
		}
		// The index analyzer, then f.
		err := registry.RegisterAnalyzer(name, func(_ map[string]any, c *registry.Cache) (analysis.Analyzer, error) {
			tok, err := c.TokenizerNamed(analyzers.TokenizerName)
			if err != nil {
				return nil, err
			}
			var chain []analysis.TokenFilter
			for _, n := range []string{analyzers.LowerName, analyzers.ElisionName, analyzers.IndexTermsName, name} {
				f, err := c.TokenFilterNamed(n)
				if err != nil {
					return nil, err
				}
				chain = append(chain, f)
			}
			return &analysis.DefaultAnalyzer{Tokenizer: tok, TokenFilters: chain}, nil
		})
		if err != nil {
			panic(err)
		}
	}
}

// BenchmarkMappingSize indexes tvnews-fr/docs (read once, then batches of
// 1,000 written straight to Bleve) with the index mapping and with
// variants of it, and reports each index's size over the text: it says
// where the bytes go (term vectors, exact terms, offsets, stored text).
//
//	go test ./index -run XXX -bench MappingSize -benchtime 1x
func BenchmarkMappingSize(b *testing.B) {
	if _, err := os.Stat(docsCorpus); err != nil {
		b.Skipf("no corpus at %s: %v", docsCorpus, err)
	}
	var reports []corpus.Report
	if _, err := corpus.Walk(context.Background(), docsCorpus, corpus.Options{}, func(r corpus.Report) error {
		reports = append(reports, r)
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	text := 0
	for _, r := range reports {
		text += len(r.Title) + len(r.Body)
	}
	textFields := []string{fieldTitle, fieldBody}
	field := func(m *mapping.IndexMappingImpl, name string) *mapping.FieldMapping {
		return m.DefaultMapping.Properties[name].Fields[0]
	}
	analyzer := func(name string) func(*mapping.IndexMappingImpl) {
		return func(m *mapping.IndexMappingImpl) {
			for _, f := range textFields {
				field(m, f).Analyzer = name
			}
		}
	}
	variants := []struct {
		name  string
		edit  func(*mapping.IndexMappingImpl)
		split bool // exact terms in fields of their own, without term vectors
		cfg   map[string]any
	}{
		{"mapping", func(*mapping.IndexMappingImpl) {}, false, nil},
		// Bleve's own segment format, zapx v17, instead of internal/zapx.
		{"zapx-v17", func(*mapping.IndexMappingImpl) {}, false, map[string]any{}},
		{"no-term-vectors", func(m *mapping.IndexMappingImpl) {
			for _, f := range textFields {
				field(m, f).IncludeTermVectors = false
			}
		}, false, nil},
		{"title-without-vectors", func(m *mapping.IndexMappingImpl) { field(m, fieldTitle).IncludeTermVectors = false }, false, nil},
		{"no-exact-terms", analyzer(benchDropExact), false, nil},
		{"exact-without-vectors", func(m *mapping.IndexMappingImpl) {
			analyzer(benchDropExact)(m)
			for _, f := range textFields {
				e := mapping.NewTextFieldMapping()
				e.Analyzer = benchOnlyExact
				e.Store, e.IncludeTermVectors, e.IncludeInAll = false, false, false
				m.DefaultMapping.AddFieldMappingsAt(f+"_exact", e)
			}
		}, true, nil},
		{"body-not-stored", func(m *mapping.IndexMappingImpl) { field(m, fieldBody).Store = false }, false, nil},
	}
	for _, v := range variants {
		b.Run(v.name, func(b *testing.B) {
			for range b.N {
				m := newMapping()
				v.edit(m)
				dir := filepath.Join(b.TempDir(), "idx")
				cfg := v.cfg
				if cfg == nil {
					cfg = segmentConfig
				}
				bi, err := bleve.NewUsing(dir, m, scorch.Name, scorch.Name, cfg)
				if err != nil {
					b.Fatal(err)
				}
				batch := bi.NewBatch()
				for i := range reports {
					d := reportDoc(&reports[i], "docs")
					if v.split {
						d[fieldTitle+"_exact"], d[fieldBody+"_exact"] = reports[i].Title, reports[i].Body
					}
					if err := batch.Index(reports[i].ID, d); err != nil {
						b.Fatal(err)
					}
					if batch.Size() >= DefaultBatchSize || i == len(reports)-1 {
						if err := bi.Batch(batch); err != nil {
							b.Fatal(err)
						}
						batch = bi.NewBatch()
					}
				}
				if err := bi.Close(); err != nil {
					b.Fatal(err)
				}
				size, _ := treeStats(dir)
				b.ReportMetric(float64(size)/1e6, "MB")
				b.ReportMetric(float64(size)/float64(text), "index/text")
				if v.cfg == nil {
					reportSegmentStats(b, dir)
				}
			}
		})
	}
}

// reportSegmentStats reports where the bytes of the segments under dir
// go, in MB.
func reportSegmentStats(b *testing.B, dir string) {
	var st zap.SizeStats
	filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err == nil && filepath.Ext(path) == ".zap" {
			s, err := zap.SegmentSizeStats(path, analyzers.ExactMarker)
			if err != nil {
				b.Fatal(err)
			}
			st.Add(s)
		}
		return nil
	})
	for _, m := range []struct {
		n string
		v int64
	}{{"stored", st.Stored}, {"dicts", st.Dicts}, {"postings", st.Postings}, {"freqs", st.Freqs},
		{"locs", st.Locs}, {"norms", st.Norms}, {"docvals", st.DocVals},
		{"loc-pos", st.LocPos}, {"loc-full", st.LocFull},
		{"exact-postings", st.PrefixPostings}, {"exact-freqs", st.PrefixFreqs}, {"exact-locs", st.PrefixLocs}} {
		b.ReportMetric(float64(m.v)/1e6, m.n+"-MB")
	}
	b.ReportMetric(float64(st.Terms), "terms")
	b.ReportMetric(float64(st.OneHit), "one-hit-terms")
	b.ReportMetric(float64(st.PrefixTerms), "exact-terms")
}
