package index

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkMergePlan indexes the 13,040 files of tvnews-fr with several
// merge plans and reports, beside the time, the megabytes the merges wrote
// (merge-MB: the merge work, much less sensitive to the machine's load
// than the time) and the segments left. On the 13,040 files (the fork's
// format, load ~20) a floor of 1,000 reports, instead of the 2,000 of
// Bleve's plan that the package keeps, made the merges write 43 MB instead
// of 78 MB (15.7 CPU-s instead of 17.6), but left 16 segments instead of 6,
// which slows searches: not taken.
//
//	go test ./index -run XXX -bench MergePlan -benchtime 1x
func BenchmarkMergePlan(b *testing.B) {
	if _, err := os.Stat(docsCorpus); err != nil {
		b.Skipf("no corpus at %s: %v", docsCorpus, err)
	}
	plan := func(kv ...any) map[string]any {
		m := map[string]any{"MaxSegmentSize": maxSegmentReports}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return map[string]any{"scorchMergePlanOptions": m}
	}
	settings := []struct {
		name string
		cfg  map[string]any
	}{
		{"package", nil},
		{"floor1000", plan("FloorSegmentSize", 1000)},
		{"floor500", plan("FloorSegmentSize", 500)},
	}
	for _, s := range settings {
		b.Run(s.name, func(b *testing.B) {
			old := scorchSettings
			if s.cfg != nil {
				scorchSettings = s.cfg
			}
			defer func() { scorchSettings = old }()
			start, cpu0 := time.Now(), cpuSeconds()
			var written float64
			for range b.N {
				dir := filepath.Join(b.TempDir(), "idx")
				idx, err := Open(dir, Options{})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := idx.AddPaths(context.Background(), []string{docsCorpus}, AddOptions{}); err != nil {
					b.Fatal(err)
				}
				if st, ok := idx.bi.StatsMap()["index"].(map[string]any); ok {
					if v, ok := st["TotFileMergeWrittenBytes"].(uint64); ok {
						written += float64(v)
					}
				}
				if err := idx.Close(); err != nil {
					b.Fatal(err)
				}
				_, segs := treeStats(dir)
				b.ReportMetric(float64(segs), "segments")
			}
			b.ReportMetric(written/1e6/float64(b.N), "merge-MB")
			b.ReportMetric(time.Since(start).Seconds()/float64(b.N), "wall-s")
			b.ReportMetric((cpuSeconds()-cpu0)/float64(b.N), "cpu-s")
		})
	}
}
