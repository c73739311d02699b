package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/rapports/rapports/corpus/sample"
	"github.com/rapports/rapports/index"
	"github.com/rapports/rapports/server"
)

// benchQueries are searches of the sample corpus, as a user types them.
var benchQueries = []string{"armée", "défense aérienne", `"défense aérienne"`, "gaz OR pétrole -russie", "milit*"}

// BenchmarkSearch measures what the HTTP layer (parameter parsing, JSON
// encoding, headers, access log) adds to a search of the sample corpus.
// Each iteration runs the same search twice, interleaved so that both see
// the same machine load: once with Index.Search, once through the handler,
// in turns first.
// It reports the median of the per-search ratios, and the median time of
// each:
//
//	go test -run '^$' -bench Search -benchtime 2000x ./server
func BenchmarkSearch(b *testing.B) {
	ctx := context.Background()
	idx, err := index.OpenMemory()
	if err != nil {
		b.Fatal(err)
	}
	defer idx.Close()
	if _, err := idx.AddFS(ctx, sample.Files(), "sample", index.AddOptions{}); err != nil {
		b.Fatal(err)
	}
	h := server.New(idx, server.Options{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	var direct, viaHTTP []time.Duration
	for i := 0; b.Loop(); i++ {
		v := url.Values{"q": {benchQueries[i%len(benchQueries)]}}
		runDirect := func() {
			start := time.Now()
			req, err := server.ParseSearch(v) // the request the handler makes
			if err != nil {
				b.Fatal(err)
			}
			if _, err := idx.Search(ctx, req); err != nil {
				b.Fatal(err)
			}
			direct = append(direct, time.Since(start))
		}
		runHTTP := func() {
			start := time.Now()
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/search?"+v.Encode(), nil))
			if rec.Code != 200 {
				b.Fatalf("GET /api/search?%s: %d %s", v.Encode(), rec.Code, rec.Body)
			}
			viaHTTP = append(viaHTTP, time.Since(start))
		}
		// Alternate which goes first, so that neither always finds the
		// caches warmed by the other.
		if i%2 == 0 {
			runDirect()
			runHTTP()
		} else {
			runHTTP()
			runDirect()
		}
	}
	ratios := make([]float64, len(direct))
	for i := range direct {
		ratios[i] = float64(viaHTTP[i]) / float64(direct[i])
	}
	slices.Sort(ratios)
	b.ReportMetric(ratios[len(ratios)/2], "median-http/direct")
	b.ReportMetric(float64(median(direct).Microseconds()), "direct-median-µs")
	b.ReportMetric(float64(median(viaHTTP).Microseconds()), "http-median-µs")
}

// median returns the median of ds (which it sorts).
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	return ds[len(ds)/2]
}
