package web_test

import (
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestSearchLatency measures, in the browser, the time from submitting a
// query to the page showing its results, against a running server:
//
//	rapports serve --index DIR --addr 127.0.0.1:18931 &
//	RAPPORTS_WEB_URL=http://127.0.0.1:18931 go test ./server/web -run TestSearchLatency -v
//
// It only reports the figures; it asserts nothing about them.
func TestSearchLatency(t *testing.T) {
	base := os.Getenv("RAPPORTS_WEB_URL")
	if base == "" {
		t.Skip("set RAPPORTS_WEB_URL to a running rapports serve to measure the page's search latency")
	}
	b := startBrowser(t, base)
	b.do("opening the page", chromedp.Navigate(base+"/"))
	b.waitRendered()
	queries := []string{"grève", "Macron OR Hollande", `"réforme des retraites"`, "inond*", "élections -municipales",
		"coopération militaire", "météo", "santé hôpital", "football", "agriculteurs colère"}
	var ms []float64
	for range 3 {
		for _, q := range queries {
			v, err := chromedp.Run(b.ctx, chromedp.Evaluate[float64](fmt.Sprintf(`(async () => {
				const t0 = performance.now();
				document.getElementById('q').value = %q;
				document.getElementById('search').requestSubmit();
				while (document.body.dataset.rendered !== location.search) await new Promise((r) => setTimeout(r, 1));
				return performance.now() - t0;
			})()`, q), chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("searching %q: %v", q, err)
			}
			ms = append(ms, v)
		}
	}
	slices.Sort(ms)
	t.Logf("submit to results shown, %d searches: median %.1f ms, p90 %.1f ms, max %.1f ms",
		len(ms), ms[len(ms)/2], ms[len(ms)*9/10], ms[len(ms)-1])
}
