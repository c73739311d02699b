// Command rapports-load measures the search server under load, on
// loopback only: N clients send a fixed mix of searches and document
// reads for a fixed time, and it prints the number of requests, the
// errors, the latency percentiles and the throughput.
//
// It either serves an index in-process (built at the first run from the
// first -docs reports of a JSON Lines file, by default the reference data
// beside the repository) or loads a running "rapports serve" given with
// -addr:
//
//	go run ./cmd/rapports-load -index /tmp/load-idx -clients 32 -duration 30s
//	go run ./cmd/rapports-load -index /tmp/load-idx -clients 32 -duration 30s -write 20000
//	go run ./cmd/rapports-load -addr 127.0.0.1:8080 -clients 8 -duration 10s
//	go run ./cmd/rapports-load -addr 127.0.0.1:8080 -clients 32 -duration 30s -heavy or
//
// With -write N (in-process only), N more reports are added to the index
// through the same open index while the clients search, as "rapports
// serve --watch" does: the searches must keep working, without error.
package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing/fstest"
	"time"

	"github.com/rapports/rapports/corpus"
	"github.com/rapports/rapports/index"
	"github.com/rapports/rapports/internal/heavy"
	"github.com/rapports/rapports/server"
)

// config is what a load run does.
type config struct {
	indexDir string        // index folder (in-process)
	data     string        // JSON Lines (.gz) file to build the index from
	docs     int           // reports the index must hold at least
	addr     string        // a running server to load instead
	clients  int           // concurrent clients
	duration time.Duration // how long they send requests
	timeout  time.Duration // per request
	write    int           // reports added during the run (in-process)
	seed     uint64        // of the query mix
	heavy    string        // "or" or "and": every client sends the 64-prefix query instead of the mix
}

func main() {
	var cfg config
	flag.StringVar(&cfg.indexDir, "index", "", "index `DIR` to serve in-process (built from -data when it holds fewer than -docs reports)")
	flag.StringVar(&cfg.data, "data", "../shared/data/tvnews-fr/tvnews-fr.jsonl.gz", "JSON Lines `FILE` (gzipped or not) to build the index from")
	flag.IntVar(&cfg.docs, "docs", 100_000, "reports the index must hold: the first `N` of -data")
	flag.StringVar(&cfg.addr, "addr", "", "load a running server at `HOST:PORT` (loopback only) instead of serving -index")
	flag.IntVar(&cfg.clients, "clients", 32, "concurrent clients")
	flag.DurationVar(&cfg.duration, "duration", 30*time.Second, "how long the clients send requests")
	flag.DurationVar(&cfg.timeout, "timeout", 30*time.Second, "time limit of one request")
	flag.IntVar(&cfg.write, "write", 0, "add `N` more reports of -data to the index during the run (in-process only)")
	flag.Uint64Var(&cfg.seed, "seed", 1, "seed of the query mix")
	flag.StringVar(&cfg.heavy, "heavy", "", "`or` or `and`: every client sends the expensive 64-prefix OR (AND) query instead of the mix")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	rep, err := run(ctx, cfg, log)
	if err != nil {
		fmt.Fprintln(os.Stderr, "rapports-load:", err)
		os.Exit(1)
	}
	rep.print(os.Stdout)
	if rep.Errors > 0 || rep.WriteErr != "" {
		os.Exit(1)
	}
}

// report is the outcome of a load run.
type report struct {
	Clients    int
	Duration   time.Duration
	Documents  uint64
	Requests   int64
	Errors     int64
	ByStatus   map[string]int64 // error kinds: "503 busy", "503 timeout", "transport: ...", ...
	ErrorMax   time.Duration    // the slowest error answer
	FirstError string
	P50, P90   time.Duration
	P99, Max   time.Duration
	Throughput float64 // requests per second
	// PerQuery is the median latency of each request of the mix.
	PerQuery  map[string]time.Duration
	Written   int // reports added during the run
	WriteErr  string
	WriteTook time.Duration
}

func (r *report) print(w io.Writer) {
	fmt.Fprintf(w, "index: %d documents; %d clients for %v\n", r.Documents, r.Clients, r.Duration.Round(time.Millisecond))
	fmt.Fprintf(w, "requests: %d, errors: %d", r.Requests, r.Errors)
	if r.Errors > 0 {
		fmt.Fprintf(w, " %v, slowest %v (first: %.200s)", r.ByStatus, r.ErrorMax.Round(time.Millisecond), r.FirstError)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "latency: p50 %v, p90 %v, p99 %v, max %v\n", r.P50.Round(10*time.Microsecond),
		r.P90.Round(10*time.Microsecond), r.P99.Round(10*time.Microsecond), r.Max.Round(10*time.Microsecond))
	fmt.Fprintf(w, "throughput: %.0f requests/s\n", r.Throughput)
	if len(r.PerQuery) > 0 {
		names := slices.Sorted(maps.Keys(r.PerQuery))
		fmt.Fprintln(w, "median latency by request:")
		for _, name := range names {
			fmt.Fprintf(w, "  %10v  %s\n", r.PerQuery[name].Round(10*time.Microsecond), name)
		}
	}
	if r.Written > 0 || r.WriteErr != "" {
		fmt.Fprintf(w, "written during the run: %d reports in %v", r.Written, r.WriteTook.Round(time.Millisecond))
		if r.WriteErr != "" {
			fmt.Fprintf(w, ", error: %s", r.WriteErr)
		}
		fmt.Fprintln(w)
	}
}

// run sets up the target (in-process server or -addr), runs the clients
// and returns their figures.
func run(ctx context.Context, cfg config, log *slog.Logger) (*report, error) {
	if cfg.clients < 1 || cfg.duration <= 0 || cfg.timeout <= 0 {
		return nil, errors.New("-clients, -duration and -timeout must be positive")
	}
	var heavyTarget string
	switch cfg.heavy {
	case "":
	case "or":
		heavyTarget = "/api/search?q=" + url.QueryEscape(heavy.Query("OR"))
	case "and":
		heavyTarget = "/api/search?q=" + url.QueryEscape(heavy.Query(""))
	default:
		return nil, fmt.Errorf("-heavy %q: want or, and, or nothing", cfg.heavy)
	}
	rep := &report{Clients: cfg.clients, ByStatus: map[string]int64{}}
	base := ""
	var extra []corpus.Report
	var idx *index.Index
	switch {
	case cfg.addr != "":
		if cfg.write > 0 {
			return nil, errors.New("-write needs the in-process server (-index), not -addr")
		}
		if err := checkLoopback(cfg.addr); err != nil {
			return nil, err
		}
		base = "http://" + cfg.addr
	case cfg.indexDir != "":
		var err error
		idx, extra, err = openLoadIndex(ctx, cfg, log)
		if err != nil {
			return nil, err
		}
		defer idx.Close()
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("listen: %w", err)
		}
		srv := &http.Server{Handler: server.New(idx, server.Options{}, nil), ReadHeaderTimeout: 5 * time.Second}
		go srv.Serve(ln)
		defer srv.Close()
		base = "http://" + ln.Addr().String()
	default:
		return nil, errors.New("give -index DIR (serve it in-process) or -addr HOST:PORT")
	}

	client := &http.Client{
		Timeout:   cfg.timeout,
		Transport: &http.Transport{MaxIdleConns: cfg.clients, MaxIdleConnsPerHost: cfg.clients, MaxConnsPerHost: cfg.clients},
	}
	defer client.CloseIdleConnections()
	st, ids, err := probe(ctx, client, base)
	if err != nil {
		return nil, err
	}
	rep.Documents = st.Documents
	log.Info("load", "target", base, "documents", st.Documents, "clients", cfg.clients, "duration", cfg.duration)

	ctx, cancel := context.WithTimeout(ctx, cfg.duration)
	defer cancel()
	var wg sync.WaitGroup
	if len(extra) > 0 {
		wg.Go(func() { rep.Written, rep.WriteTook, rep.WriteErr = writeDuring(ctx, idx, extra, cfg.duration) })
	}
	var mu sync.Mutex
	var all []time.Duration
	byQuery := map[string][]time.Duration{}
	var requests, errs atomic.Int64
	start := time.Now()
	for c := range cfg.clients {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(cfg.seed, uint64(c)))
			var lat []time.Duration
			mine := map[string][]time.Duration{}
			for ctx.Err() == nil {
				target, name := pick(rng, ids)
				if heavyTarget != "" {
					target, name = heavyTarget, "64 prefixes "+cfg.heavy
				}
				t0 := time.Now()
				kind := get(ctx, client, base+target)
				if kind == "canceled" {
					break // the run is over; this one does not count
				}
				requests.Add(1)
				if kind != "" {
					errs.Add(1)
					mu.Lock()
					rep.ByStatus[kind]++
					rep.ErrorMax = max(rep.ErrorMax, time.Since(t0))
					if rep.FirstError == "" {
						rep.FirstError = kind + " " + target
					}
					mu.Unlock()
					continue
				}
				d := time.Since(t0)
				lat = append(lat, d)
				mine[name] = append(mine[name], d)
			}
			mu.Lock()
			all = append(all, lat...)
			for name, ds := range mine {
				byQuery[name] = append(byQuery[name], ds...)
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	rep.Duration = time.Since(start)
	rep.Requests, rep.Errors = requests.Load(), errs.Load()
	rep.Throughput = float64(rep.Requests) / rep.Duration.Seconds()
	rep.PerQuery = map[string]time.Duration{}
	for name, ds := range byQuery {
		slices.Sort(ds)
		rep.PerQuery[name] = ds[len(ds)/2]
	}
	slices.Sort(all)
	if n := len(all); n > 0 {
		rep.P50, rep.P90, rep.P99, rep.Max = all[n*50/100], all[n*90/100], all[min(n-1, n*99/100)], all[n-1]
	}
	return rep, nil
}

// checkLoopback refuses any address but a loopback one.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %w", addr, err)
	}
	ips, err := net.LookupIP(host)
	if err != nil {
		return fmt.Errorf("-addr %q: %w", addr, err)
	}
	for _, ip := range ips {
		if !ip.IsLoopback() {
			return fmt.Errorf("-addr %q is not a loopback address: this command only loads this machine", addr)
		}
	}
	return nil
}

// openLoadIndex opens the index of -index, building it from -data when it
// holds fewer than -docs reports, and returns the -write reports that
// follow them in -data.
func openLoadIndex(ctx context.Context, cfg config, log *slog.Logger) (*index.Index, []corpus.Report, error) {
	idx, err := index.Open(cfg.indexDir, index.Options{})
	if err != nil {
		return nil, nil, err
	}
	st, err := idx.Stats(ctx)
	if err != nil {
		idx.Close()
		return nil, nil, err
	}
	need := uint64(cfg.docs)
	if st.Documents >= need && cfg.write == 0 {
		return idx, nil, nil
	}
	head, tail, err := readLines(cfg.data, cfg.docs, cfg.write)
	if err != nil {
		idx.Close()
		return nil, nil, err
	}
	if st.Documents < need {
		log.Info("building the index", "index", cfg.indexDir, "from", cfg.data, "reports", cfg.docs)
		is, err := idx.AddFS(ctx, fstest.MapFS{"load.jsonl": {Data: head}}, "load", index.AddOptions{})
		if err != nil {
			idx.Close()
			return nil, nil, fmt.Errorf("build the index: %w", err)
		}
		log.Info("index built", "added", is.Added, "unchanged", is.Unchanged, "failed", is.Failed,
			"duration", is.Duration.Round(time.Millisecond), "rate", fmt.Sprintf("%.1f MB/s", float64(len(head))/1e6/is.Duration.Seconds()))
		if is.Canceled {
			idx.Close()
			return nil, nil, ctx.Err()
		}
	}
	var extra []corpus.Report
	if len(tail) > 0 {
		_, err := corpus.WalkFS(ctx, fstest.MapFS{"write.jsonl": {Data: tail}}, corpus.Options{}, func(r corpus.Report) error {
			r.ID = "write/" + r.ID
			extra = append(extra, r)
			return nil
		})
		if err != nil {
			idx.Close()
			return nil, nil, err
		}
	}
	return idx, extra, nil
}

// readLines returns the first n lines of a JSON Lines file (gzipped or
// not), and the m lines after them.
func readLines(path string, n, m int) (head, tail []byte, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("data: %w (give -data FILE)", err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, nil, fmt.Errorf("data %s: %w", path, err)
		}
		defer zr.Close()
		r = zr
	}
	br := bufio.NewReaderSize(r, 1<<20)
	var buf []byte
	for i := 0; i < n+m; i++ {
		line, err := br.ReadBytes('\n')
		buf = append(buf, line...)
		if i == n-1 {
			head, buf = buf, nil
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("data %s: %w", path, err)
		}
	}
	if head == nil {
		return nil, nil, fmt.Errorf("data %s: fewer than %d lines", path, n)
	}
	return head, buf, nil
}

// writeDuring adds reports to idx in batches spread over d, while the
// clients search.
func writeDuring(ctx context.Context, idx *index.Index, reports []corpus.Report, d time.Duration) (int, time.Duration, string) {
	const batch = 500
	batches := (len(reports) + batch - 1) / batch
	every := d / time.Duration(batches+1)
	start := time.Now()
	written := 0
	for len(reports) > 0 {
		select {
		case <-ctx.Done():
			return written, time.Since(start), ""
		case <-time.After(every):
		}
		n := min(batch, len(reports))
		if err := idx.Add(context.WithoutCancel(ctx), reports[:n]...); err != nil {
			return written, time.Since(start), err.Error()
		}
		written += n
		reports = reports[n:]
	}
	return written, time.Since(start), ""
}

// queries are the searches of the mix, with their filters.
var queries = []string{
	"q=" + url.QueryEscape("élection présidentielle"),
	"q=" + url.QueryEscape("grève") + "&sort=-date",
	"q=" + url.QueryEscape(`"réforme des retraites"`),
	"q=" + url.QueryEscape("inondations OR tempête") + "&from=2020&to=2023",
	"q=" + url.QueryEscape("guerre") + "&country=UA&country=RU",
	"q=" + url.QueryEscape("gouvernement -macron") + "&page=2",
	"q=" + url.QueryEscape("nucl*"),
	"q=" + url.QueryEscape("prix essence") + "&size=50&highlight=false",
	"q=" + url.QueryEscape("santé hôpital") + "&interval=month&from=2020-03&to=2020-12",
	"q=" + url.QueryEscape("défense aérienne") + "&country=FR",
	"q=" + url.QueryEscape("title:incendie"),
	"q=" + url.QueryEscape("exact:élections"),
	"q=" + url.QueryEscape("agriculteurs colère") + "&sort=date&size=20",
	"q=" + url.QueryEscape("chômage") + "&page=5",
}

// pick returns the next request of a client, mostly searches, some
// document reads, and its name in the figures.
func pick(rng *rand.Rand, ids []string) (target, name string) {
	if len(ids) > 0 && rng.IntN(10) == 0 {
		return "/api/documents/" + url.PathEscape(ids[rng.IntN(len(ids))]), "document"
	}
	q := queries[rng.IntN(len(queries))]
	name, _ = url.QueryUnescape(q)
	return "/api/search?" + q, name
}

// get sends one request and returns "" for a 200 answer read whole,
// "canceled" when ctx ended it, or the kind of error.
func get(ctx context.Context, client *http.Client, target string) string {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return "request"
	}
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return "canceled"
		}
		return "transport: " + err.Error()
	}
	defer resp.Body.Close()
	var body []byte
	if resp.StatusCode == http.StatusOK {
		_, err = io.Copy(io.Discard, resp.Body)
	} else {
		body, err = io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	}
	if err != nil {
		if ctx.Err() != nil {
			return "canceled"
		}
		return "read: " + err.Error()
	}
	if resp.StatusCode != http.StatusOK {
		// The API's error code tells a 503 "busy" from a "timeout".
		var e struct {
			Error struct {
				Code string `json:"code"`
			} `json:"error"`
		}
		if json.Unmarshal(body, &e) == nil && e.Error.Code != "" {
			return fmt.Sprint(resp.StatusCode, " ", e.Error.Code)
		}
		return fmt.Sprint(resp.StatusCode)
	}
	return ""
}

// probe checks the target and returns its stats and some document IDs.
func probe(ctx context.Context, client *http.Client, base string) (index.Info, []string, error) {
	var st index.Info
	if err := getJSON(ctx, client, base+"/api/stats", &st); err != nil {
		return st, nil, err
	}
	var res index.Result
	if err := getJSON(ctx, client, base+"/api/search?size=100&highlight=false&q="+url.QueryEscape("france"), &res); err != nil {
		return st, nil, err
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return st, ids, nil
}

func getJSON(ctx context.Context, client *http.Client, target string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("GET %s: %w", target, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 500))
		return fmt.Errorf("GET %s: %d %s", target, resp.StatusCode, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		return fmt.Errorf("GET %s: %w", target, err)
	}
	return nil
}
