//go:build unix

package index_test

import (
	"cmp"
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/rapports/rapports/index"
	"github.com/rapports/rapports/internal/heavy"
)

// BenchmarkHeavyTimeout runs the 64-prefix OR and AND queries with a time
// limit on the index at $RAPPORTS_BENCH_INDEX (built with "rapports index"
// from tvnews-fr/docs), and reports how long they ran against the limit
// (elapsed/limit): a search must stop within 10% of its limit.
//
//	RAPPORTS_BENCH_INDEX=/tmp/tv go test ./index -run XXX -bench HeavyTimeout -benchtime 5x
func BenchmarkHeavyTimeout(b *testing.B) {
	dir := os.Getenv("RAPPORTS_BENCH_INDEX")
	if dir == "" {
		b.Skip("set RAPPORTS_BENCH_INDEX to an index of tvnews-fr/docs")
	}
	idx, err := index.Open(dir, index.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer idx.Close()
	for _, limit := range []time.Duration{200 * time.Millisecond, time.Second} {
		for _, op := range []string{"OR", ""} {
			q := heavy.Query(op)
			b.Run(cmp.Or(op, "AND")+"/"+limit.String(), func(b *testing.B) {
				var worst, total float64
				timeouts := 0
				for range b.N {
					ctx, cancel := context.WithTimeout(context.Background(), limit)
					start := time.Now()
					_, err := idx.Search(ctx, index.Request{Query: q, Highlight: true})
					r := float64(time.Since(start)) / float64(limit)
					cancel()
					if errors.Is(err, context.DeadlineExceeded) {
						timeouts++
					} else if err != nil {
						b.Fatal(err)
					}
					total += r
					worst = max(worst, r)
				}
				b.ReportMetric(total/float64(b.N), "elapsed/limit")
				b.ReportMetric(worst, "worst-elapsed/limit")
				b.ReportMetric(float64(timeouts)/float64(b.N), "timeouts/op")
			})
		}
	}
}
