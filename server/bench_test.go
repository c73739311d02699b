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
// the same machine load: once with Index.Search, once through the handler.
// It reports the ratio of their total times and the median of each:
//
//	go test -run '^$' -bench Search -benchtime 2000x ./server
func BenchmarkSearch(b *testing.B) {
	ctx := context.Background()
	idx, err := index.OpenMemory()
	if err != nil {
		b.Fatal(err)
	}
	defer idx.Close()
	if _, err := idx.IndexFS(ctx, sample.Files(), "sample", index.IndexOptions{}); err != nil {
		b.Fatal(err)
	}
	h := server.New(idx, server.Options{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	var direct, viaHTTP []time.Duration
	for i := 0; b.Loop(); i++ {
		q := benchQueries[i%len(benchQueries)]
		v := url.Values{"q": {q}}
		start := time.Now()
		req, err := server.ParseSearch(v) // the same request the handler makes
		if err != nil {
			b.Fatal(err)
		}
		if _, err := idx.Search(ctx, req); err != nil {
			b.Fatal(err)
		}
		direct = append(direct, time.Since(start))

		start = time.Now()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/search?"+v.Encode(), nil))
		if rec.Code != 200 {
			b.Fatalf("GET /api/search?%s: %d %s", v.Encode(), rec.Code, rec.Body)
		}
		viaHTTP = append(viaHTTP, time.Since(start))
	}
	b.ReportMetric(float64(sum(viaHTTP))/float64(sum(direct)), "http/direct")
	d, h2 := median(direct), median(viaHTTP)
	b.ReportMetric(float64(d.Microseconds()), "direct-median-µs")
	b.ReportMetric(float64(h2.Microseconds()), "http-median-µs")
}

// sum adds ds up.
func sum(ds []time.Duration) time.Duration {
	var t time.Duration
	for _, d := range ds {
		t += d
	}
	return t
}

// median returns the median of ds (which it sorts).
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	return ds[len(ds)/2]
}
