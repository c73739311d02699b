package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapports/rapports/corpus"
	"github.com/rapports/rapports/index"
	"github.com/rapports/rapports/server"
)

// hostileDocs is the number of generated reports the hostile queries run on.
const hostileDocs = 3000

// hostileTimeout is the server's search time limit in these tests.
const hostileTimeout = 10 * time.Second // the server default: a loaded CI machine must not fail regular searches

// hostileIndex builds an index on disk of n French-like reports with a
// large vocabulary (so that prefixes expand to many terms), plus one report
// carrying HTML.
func hostileIndex(t *testing.T, n int) *index.Index {
	t.Helper()
	idx, err := index.Open(t.TempDir(), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	words := strings.Fields("armée défense aérienne gouvernement ministre élection économie énergie gaz pétrole " +
		"climat frontière accord sommet sanctions guerre paix sécurité drone missile santé banque dette grève")
	countries := []string{"FR", "IL", "BH", "SN", "JP", "PL", "DE", "US", "UA", "RU"}
	rng := rand.New(rand.NewPCG(5, 5))
	const letters = "abcdefghijklmnopqrstuvwxyz"
	reports := make([]corpus.Report, 0, n+1)
	for i := range n {
		var b strings.Builder
		fmt.Fprintf(&b, "Rapport %d.", i)
		for range 80 {
			b.WriteByte(' ')
			if rng.IntN(3) == 0 {
				// A made-up word: the vocabulary grows to tens of thousands.
				for range 5 + rng.IntN(4) {
					b.WriteByte(letters[rng.IntN(len(letters))])
				}
				continue
			}
			b.WriteString(words[rng.IntN(len(words))])
		}
		d, err := corpus.MakeDate(2015+i%10, 1+i%12, 1+i%28)
		if err != nil {
			t.Fatal(err)
		}
		reports = append(reports, corpus.Report{
			ID: fmt.Sprintf("gen/%04d.txt", i), Path: fmt.Sprintf("gen/%04d.txt", i),
			Title: fmt.Sprintf("Rapport %d sur la %s", i, words[i%len(words)]), Date: d,
			Countries: []string{countries[i%len(countries)]}, Body: b.String(),
		})
	}
	reports = append(reports, corpus.Report{
		ID: "xss.txt", Title: `<script>alert("t")</script> armée`, Countries: []string{"FR"},
		Body: `L'armée a reçu <img src=x onerror=alert(1)> et <script>alert(2)</script> par courrier.`,
	})
	if err := idx.Add(context.Background(), reports...); err != nil {
		t.Fatal(err)
	}
	return idx
}

// rawGet sends a request line as written (no cleaning, no escaping) and
// returns the status and body.
func rawGet(t *testing.T, addr, method, target string) (int, string, time.Duration) {
	t.Helper()
	start := time.Now()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(hostileTimeout + 20*time.Second))
	fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", method, target, addr)
	b, err := io.ReadAll(conn)
	if err != nil && len(b) == 0 {
		t.Fatalf("%s %.80s: %v", method, target, err)
	}
	resp := string(b)
	var status int
	if _, err := fmt.Sscanf(resp, "HTTP/1.1 %d", &status); err != nil {
		t.Fatalf("%s %.80s: no status line in %.200q", method, target, resp)
	}
	_, body, _ := strings.Cut(resp, "\r\n\r\n")
	return status, body, time.Since(start)
}

// hostileCase is one hostile request and the statuses it may get.
type hostileCase struct {
	name   string
	method string
	target string // sent as is
	status []int
	want   string // part of the body, if set
}

func hostileCases() []hostileCase {
	q := func(s string) string { return "/api/search?q=" + url.QueryEscape(s) }
	ors := make([]string, 300)
	for i := range ors {
		ors[i] = fmt.Sprintf("mot%d", i)
	}
	short := make([]string, 140) // 140 clauses within the 1000 characters
	for i := range short {
		short[i] = fmt.Sprintf("%c%d", 'a'+i%26, i/26)
	}
	prefixes := make([]string, 0, 64)
	for _, a := range "abcdefgh" {
		for _, b := range "aeioustr" {
			prefixes = append(prefixes, string(a)+string(b)+"*")
		}
	}
	return []hostileCase{
		{name: "leading wildcard", target: q("*tion"), status: []int{400}, want: "bad_request"},
		{name: "leading wildcard inside", target: q("ar*ée"), status: []int{400}, want: "inside a word"},
		{name: "one-letter prefix", target: q("a*"), status: []int{400}, want: "shorter than 2"},
		{name: "wide prefix", target: q("ab*"), status: []int{200, 400}},
		{name: "64 wide prefixes ORed", target: q(strings.Join(prefixes, " OR ")), status: []int{200, 400, 503}},
		{name: "64 wide prefixes ANDed", target: q(strings.Join(prefixes, " ")), status: []int{200, 400, 503}},
		{name: "regexp", target: q("/arm.*e/"), status: []int{400}},
		{name: "regexp classes", target: q("/[a-z]{1,100}(x|y)+/"), status: []int{200, 400}},
		{name: "bleve regexp field", target: q("body:/.*/"), status: []int{200, 400}},
		{name: "fuzzy short word", target: q("le~2"), status: []int{200, 400}},
		{name: "fuzzy words", target: q("armée~2 défense~1 a~5"), status: []int{200, 400}},
		{name: "boost and fields", target: q("title:armée^1000 _all:x _id:gen/0001.txt"), status: []int{200, 400}},
		{name: "300 OR clauses (2,900 characters)", target: q(strings.Join(ors, " OR ")), status: []int{413}, want: "too_large"},
		{name: "140 OR clauses", target: q(strings.Join(short, " | ")), status: []int{400}, want: "too_expensive"},
		{name: "140 AND clauses", target: q(strings.Join(short, " ")), status: []int{400}, want: "too_expensive"},
		{name: "64 OR clauses", target: q(strings.Join(ors[:64], " OR ")), status: []int{200}},
		{name: "deep parentheses", target: q(strings.Repeat("(", 50) + "armée" + strings.Repeat(")", 50)), status: []int{400}, want: "too_expensive"},
		{name: "unclosed", target: q(`"armée (défense`), status: []int{400}},
		{name: "only stop words", target: q("le la les de"), status: []int{200, 400}},
		{name: "punctuation", target: q(`!!! ??? ... ''' ’’’ -- ++`), status: []int{200, 400}},
		{name: "NUL and controls", target: "/api/search?q=arm%00%01%1B%7F", status: []int{200, 400}},
		{name: "combining marks", target: q("a" + strings.Repeat("\u0301", 999)), status: []int{200, 400}},
		{name: "size at limit", target: q("armée") + "&size=100", status: []int{200}},
		{name: "size past limit", target: q("armée") + "&size=101", status: []int{400}, want: "size"},
		{name: "size negative", target: q("armée") + "&size=-1", status: []int{400}, want: "size"},
		{name: "size huge", target: q("armée") + "&size=99999999999999999999999", status: []int{400}, want: "size"},
		{name: "last page", target: q("armée") + "&size=100&page=100", status: []int{200}},
		{name: "page past window", target: q("armée") + "&size=100&page=101", status: []int{400}, want: "page"},
		{name: "page huge", target: q("armée") + "&page=9223372036854775807", status: []int{400}, want: "page"},
		{name: "249 countries", target: q("armée") + "&country=" + strings.Repeat("FR,IL,BH,SN,JP,", 50), status: []int{200}},
		{name: "1000 characters", target: q(strings.Repeat("é", 1000)), status: []int{200, 400}},
		{name: "100 kB query", target: q(strings.Repeat("armée ", 20_000)), status: []int{413}, want: "too_large"},
		// The HTTP server itself refuses a request line over its header
		// limit (1 MB) with 431.
		{name: "1 MB query", target: "/api/search?q=" + strings.Repeat("a", 1<<20), status: []int{413, 431}},
		{name: "bad percent-encoding in q", target: "/api/search?q=%zz", status: []int{400}, want: `invalid URL escape \"%zz\"`},
		{name: "bad percent-encoding in a filter", target: q("armée") + "&country=%zz", status: []int{400}, want: "query string"},
		{name: "bad percent-encoding in analyze", target: "/api/analyze?text=%G0", status: []int{400}, want: "query string"},
		{name: "latin-1 percent-encoding", target: "/api/search?q=arm%E9e", status: []int{400}, want: "UTF-8"},
		{name: "truncated percent-encoding", target: "/api/search?q=arm%C3", status: []int{400}},
		{name: "bad percent-encoding in path", target: "/api/documents/%zz", status: []int{400, 404}},
		{name: "traversal in ID", target: "/api/documents/..%2F..%2F..%2Fetc%2Fpasswd", status: []int{404}, want: "not_found"},
		{name: "traversal in path", target: "/api/documents/../../../etc/passwd", status: []int{301, 307, 308, 400, 404}},
		{name: "absolute ID", target: "/api/documents//etc/passwd", status: []int{301, 307, 308, 404}},
		{name: "traversal to go.mod", target: "/api/documents/..%2F..%2Fgo.mod", status: []int{404}},
		{name: "static traversal", target: "/../../../../etc/passwd", status: []int{301, 307, 308, 400, 404}},
		{name: "encoded static traversal", target: "/%2e%2e/%2e%2e/etc/passwd", status: []int{301, 307, 308, 400, 404}},
		{name: "listing /api/", target: "/api/", status: []int{404}},
		{name: "listing /api/documents/", target: "/api/documents/", status: []int{400, 404}},
		{name: "listing /static/", target: "/static/", status: []int{404}},
		{name: "listing /.git/", target: "/.git/", status: []int{404}},
		{name: "listing /web/", target: "/web/static/", status: []int{404}},
		{name: "POST search", method: "POST", target: q("armée"), status: []int{405}},
		{name: "PUT document", method: "PUT", target: "/api/documents/gen/0001.txt", status: []int{405}},
		{name: "DELETE document", method: "DELETE", target: "/api/documents/gen/0001.txt", status: []int{405}},
		{name: "PATCH stats", method: "PATCH", target: "/api/stats", status: []int{405}},
		{name: "OPTIONS search", method: "OPTIONS", target: q("armée"), status: []int{405}},
		{name: "TRACE", method: "TRACE", target: "/api/stats", status: []int{405}},
		{name: "POST page", method: "POST", target: "/", status: []int{405}},
		{name: "DELETE page", method: "DELETE", target: "/app.js", status: []int{405}},
	}
}

// latencies returns the 50th and 99th percentiles of ds.
func latencies(ds []time.Duration) (p50, p99 time.Duration) {
	if len(ds) == 0 {
		return 0, 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)*50/100], s[min(len(s)-1, len(s)*99/100)]
}

// regularSearches are the searches of ordinary users, sent alongside the
// hostile ones.
var regularSearches = []string{
	"/api/search?q=" + url.QueryEscape("armée"),
	"/api/search?q=" + url.QueryEscape("défense aérienne") + "&country=IL",
	"/api/search?q=" + url.QueryEscape("gaz OR pétrole") + "&from=2018&to=2020-06&sort=-date",
	"/api/search?q=" + url.QueryEscape(`"guerre paix"`) + "&size=20&page=2",
}

// TestHostileQueries sends expensive and malformed requests to the server
// over a real index, with ordinary searches running at the same time. Each
// hostile request gets a clear answer within the search time limit; the
// ordinary searches keep answering, with the same results. Latencies are
// logged, not asserted.
func TestHostileQueries(t *testing.T) {
	if testing.Short() {
		t.Skip("builds an index of 3000 reports")
	}
	idx := hostileIndex(t, hostileDocs)
	h := server.New(idx, server.Options{SearchTimeout: hostileTimeout}, slog.New(slog.DiscardHandler))
	srv := httptest.NewServer(h)
	defer srv.Close()
	addr := srv.Listener.Addr().String()
	client := &http.Client{Timeout: hostileTimeout + 20*time.Second}

	// The expected totals of the regular searches, and their latency alone.
	want := map[string]uint64{}
	regular := func(target string) (uint64, time.Duration, error) {
		start := time.Now()
		resp, err := client.Get(srv.URL + target)
		if err != nil {
			return 0, 0, err
		}
		defer resp.Body.Close()
		var res index.Result
		if err := json.NewDecoder(resp.Body).Decode(&res); err != nil || resp.StatusCode != 200 {
			return 0, 0, fmt.Errorf("GET %s: %d, %v", target, resp.StatusCode, err)
		}
		return res.Total, time.Since(start), nil
	}
	var alone []time.Duration
	for i := range 200 + len(regularSearches) {
		target := regularSearches[i%len(regularSearches)]
		n, d, err := regular(target)
		if err != nil {
			t.Fatal(err)
		}
		if i < len(regularSearches) { // the first round warms the index up
			if n == 0 {
				t.Fatalf("GET %s: no hit; the index is not what the test expects", target)
			}
			want[target] = n
			continue
		}
		alone = append(alone, d)
	}

	// Regular searches in the background while the hostile ones run.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	var during []time.Duration
	var regularErrs []string
	for w := range 3 {
		wg.Go(func() {
			for i := w; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				target := regularSearches[i%len(regularSearches)]
				n, d, err := regular(target)
				mu.Lock()
				switch {
				case err != nil:
					regularErrs = append(regularErrs, err.Error())
				case n != want[target]:
					regularErrs = append(regularErrs, fmt.Sprintf("GET %s: %d hits, want %d", target, n, want[target]))
				default:
					during = append(during, d)
				}
				mu.Unlock()
			}
		})
	}

	var log strings.Builder
	cases := hostileCases()
	var cwg sync.WaitGroup
	sem := make(chan struct{}, 2) // two hostile clients at once
	results := make([]string, len(cases))
	for i, tc := range cases {
		cwg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			method := tc.method
			if method == "" {
				method = "GET"
			}
			status, body, took := rawGet(t, addr, method, tc.target)
			results[i] = fmt.Sprintf("%-32s %d %8v %.90s", tc.name, status, took.Round(time.Millisecond), strings.TrimSpace(body))
			if !slices.Contains(tc.status, status) {
				t.Errorf("%s: %s %.100s: status %d, want one of %v; body %.300s", tc.name, method, tc.target, status, tc.status, body)
			}
			if tc.want != "" && !strings.Contains(body, tc.want) {
				t.Errorf("%s: %s %.100s: body %.300s lacks %q", tc.name, method, tc.target, body, tc.want)
			}
			if took > hostileTimeout+5*time.Second {
				t.Errorf("%s: answered after %v, past the search time limit %v", tc.name, took, hostileTimeout)
			}
			for _, leak := range []string{"root:x:", "module github.com", "Index of", "<pre>"} {
				if strings.Contains(body, leak) {
					t.Errorf("%s: body shows %q: %.300s", tc.name, leak, body)
				}
			}
		})
	}
	cwg.Wait()
	close(stop)
	wg.Wait()
	for _, r := range results {
		log.WriteString(r + "\n")
	}
	t.Logf("hostile requests (name, status, time, answer):\n%s", log.String())
	if len(regularErrs) > 0 {
		t.Errorf("%d regular searches failed during the hostile ones, first: %s", len(regularErrs), regularErrs[0])
	}
	a50, a99 := latencies(alone)
	d50, d99 := latencies(during)
	t.Logf("regular searches: alone p50 %v p99 %v (%d); during hostile ones p50 %v p99 %v (%d)",
		a50, a99, len(alone), d50, d99, len(during))
	if len(during) == 0 {
		t.Errorf("no regular search answered while the hostile ones ran")
	}

	// Under a tight time limit, the most expensive allowed query stops
	// with 503 (or makes it in time).
	tight := httptest.NewServer(server.New(idx, server.Options{SearchTimeout: 20 * time.Millisecond}, nil))
	defer tight.Close()
	for _, tc := range cases {
		if !strings.HasPrefix(tc.name, "64 wide prefixes") {
			continue
		}
		status, body, took := rawGet(t, tight.Listener.Addr().String(), "GET", tc.target)
		t.Logf("%s with a 20ms time limit: %d after %v", tc.name, status, took.Round(time.Millisecond))
		if status != 200 && !(status == 503 && strings.Contains(body, `"code":"timeout"`)) {
			t.Errorf("%s with a 20ms time limit: %d %.300s; want 200 or a 503 timeout", tc.name, status, body)
		}
	}
}

// TestEscapedHits checks that text taken from documents is escaped in the
// HTML fields of hits (title_html, fragments_html: the only markup is
// <mark>), plain in title and fragments, and that documents
// are answered as JSON that no browser runs as a page.
func TestEscapedHits(t *testing.T) {
	idx := hostileIndex(t, 20)
	srv := httptest.NewServer(server.New(idx, server.Options{}, nil))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/api/search?q=courrier")
	if err != nil {
		t.Fatal(err)
	}
	var res index.Result
	err = json.NewDecoder(resp.Body).Decode(&res)
	resp.Body.Close()
	if err != nil || len(res.Hits) != 1 {
		t.Fatalf("search courrier: %v, %+v; want the one report with HTML", err, res)
	}
	hit := res.Hits[0]
	text := hit.TitleHTML + " " + strings.Join(hit.FragmentsHTML, " ")
	stripped := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(text)
	if strings.ContainsAny(stripped, "<>") || !strings.Contains(hit.TitleHTML, "&lt;script&gt;") {
		t.Errorf("hit %+v: title_html and fragments_html are not escaped (only <mark> may be markup)", hit)
	}
	if !strings.Contains(hit.Title, "<script>") {
		t.Errorf("hit title %q: want the plain text, with <script> as written", hit.Title)
	}

	resp, err = http.Get(srv.URL + "/api/documents/xss.txt")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	h := resp.Header
	if resp.StatusCode != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/json") ||
		h.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Errorf("GET /api/documents/xss.txt: %d, headers %v; want JSON, nosniff and a CSP of default-src 'none'", resp.StatusCode, h)
	}
	if !strings.Contains(string(body), `<script>alert(2)</script>`) {
		t.Errorf("GET /api/documents/xss.txt: body %s; want the text as it is (data, not HTML)", body)
	}

	resp, err = http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for name, want := range map[string]string{
		"Content-Security-Policy": "script-src 'self'", "X-Content-Type-Options": "nosniff",
		"X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer",
	} {
		if got := resp.Header.Get(name); !strings.Contains(got, want) {
			t.Errorf("GET /: %s %q, want %q", name, got, want)
		}
	}
}
