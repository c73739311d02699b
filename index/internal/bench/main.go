//go:build unix

// Command bench measures rapports at scale: it indexes a large corpus
// (by default the 233,987 reports of tvnews-fr.jsonl.gz) into a new index,
// then closes and reopens it and runs the fixed query mix of package
// querymix. It prints indexing throughput, peak memory, index size and
// query latency percentiles. Run it from the repository root:
//
//	go run ./index/internal/bench
//	go run ./index/internal/bench -data ../shared/data/tvnews-fr/docs -passes 5
//
// With -search-only it only runs queries on the index at -dir: the 200
// requests of querymix, or with -mix lucene the 20 queries of the Lucene
// peer (../shared/peers/lucene). With -lucene DIR it alternates, -rounds
// times, a run of the mix here and a run of the peer's query mode on its
// index at DIR (a new JVM each round, 10 warm-up passes), and prints the
// per-round figures of both and their medians side by side:
//
//	go run ./index/internal/bench -search-only -dir /tmp/big-idx -mix lucene -lucene /tmp/lucene-idx -rounds 5
//	go run ./index/internal/bench -search-only -dir /tmp/big-idx -cpuprofile /tmp/cpu.out
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net/http"
	_ "net/http/pprof"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/rapports/rapports/index"
	"github.com/rapports/rapports/index/internal/querymix"
)

func main() {
	// The garbage collector settings of the rapports binary (cmd/rapports/gc.go).
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetGCPercent(200)
		debug.SetMemoryLimit(500 << 20)
	}
	data := flag.String("data", "../shared/data/tvnews-fr/tvnews-fr.jsonl.gz", "corpus to index (file or folder)")
	dir := flag.String("dir", "", "index folder (default: a new temporary folder, removed at the end)")
	batch := flag.Int("batch", 0, "reports per batch (default index.DefaultBatchSize)")
	passes := flag.Int("passes", 3, "passes over the 200-query mix")
	searchOnly := flag.Bool("search-only", false, "only run the query mix on the existing index at -dir")
	pprofAddr := flag.String("pprof", "", "serve net/http/pprof at this address (localhost:6060)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the indexing (with -search-only: of the timed query passes) to this file")
	memProfile := flag.String("memprofile", "", "write an allocation profile of the indexing to this file")
	var qo queryOpts
	flag.StringVar(&qo.mix, "mix", "querymix", "query mix: querymix (200 requests) or lucene (the 20 queries of the Lucene peer)")
	flag.IntVar(&qo.warmup, "warmup", 0, "passes over the mix before the timed ones")
	flag.StringVar(&qo.lucene, "lucene", "", "with -search-only: alternate with the Lucene peer's query mode on its index at `DIR`")
	flag.IntVar(&qo.rounds, "rounds", 3, "with -lucene: rounds of ours then Lucene's")
	flag.StringVar(&qo.peer, "peer", "../shared/peers/lucene/run-lucene.sh", "with -lucene: the peer's run script")
	flag.StringVar(&qo.dump, "dump", "", "with -search-only: write the answers of the mix (and of each request sorted by date both ways and on page 3) as JSON lines to `FILE`, with no timing, to compare two versions' results")
	flag.StringVar(&qo.sort, "sort", "", "with -search-only: sort every request of the mix by `ORDER` (date: oldest first, -date: newest first)")
	flag.BoolVar(&qo.each, "each", false, "with -search-only: print each request's median time and CPU time (all goroutines) over the timed passes, slowest first")
	flag.StringVar(&qo.only, "only", "", "with -search-only: run only the requests whose query matches this regular `expression` (to profile one query)")
	flag.Parse()
	profCPU, profMem = *cpuProfile, *memProfile
	qo.passes = *passes
	if *searchOnly {
		qo.cpuprofile, profCPU = profCPU, ""
	}
	if *pprofAddr != "" {
		go func() { fmt.Fprintln(os.Stderr, http.ListenAndServe(*pprofAddr, nil)) }()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var err error
	switch {
	case *searchOnly && qo.lucene != "":
		err = sideBySide(ctx, *dir, qo)
	case *searchOnly:
		_, err = queries(ctx, *dir, qo)
	default:
		err = run(ctx, *data, *dir, *batch, qo)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// profCPU and profMem name the profile files of the indexing, if any.
var profCPU, profMem string

// writeHeapProfile writes the allocation profile so far to path.
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func run(ctx context.Context, data, dir string, batch int, qo queryOpts) error {
	if _, err := os.Stat(data); err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	if dir == "" {
		tmp, err := os.MkdirTemp("", "rapports-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = filepath.Join(tmp, "idx")
	}
	idx, err := index.Open(dir, index.Options{})
	if err != nil {
		return err
	}
	last := time.Now()
	writing := false
	opts := index.AddOptions{BatchSize: batch, Progress: func(p index.Progress) {
		if p.Writing && !writing {
			// Every report is read: what follows is the last batches,
			// the final merge and the flush (the tail of the run).
			writing = true
			fmt.Fprintf(os.Stderr, "%s %8.1fs %9d reports read, writing the last batches\n", time.Now().Format("15:04:05.000"), p.Elapsed.Seconds(), p.Reports)
		}
		if time.Since(last) < 10*time.Second {
			return
		}
		last = time.Now()
		fmt.Fprintf(os.Stderr, "%8.0fs %9d reports %7.0f reports/s  RSS peak %s, now %s heap + %s files\n",
			p.Elapsed.Seconds(), p.Reports, float64(p.Reports)/p.Elapsed.Seconds(), mib(peakRSS()),
			mib(procStatus("RssAnon:")), mib(procStatus("RssFile:")))
	}}
	if profMem != "" {
		runtime.MemProfileRate = 64 << 10
	}
	if profCPU != "" {
		f, err := os.Create(profCPU)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	start, cpu0 := time.Now(), cpuTime()
	st, err := idx.AddPaths(ctx, []string{data}, opts)
	if err != nil {
		idx.Close()
		return err
	}
	if err := idx.Close(); err != nil {
		return err
	}
	took, cpu := time.Since(start), cpuTime()-cpu0
	if profCPU != "" {
		pprof.StopCPUProfile()
	}
	if profMem != "" {
		if err := writeHeapProfile(profMem); err != nil {
			return err
		}
	}
	n := st.Added + st.Updated
	size := dirSize(dir)
	fmt.Printf("corpus          %s\n", data)
	fmt.Printf("reports         %d indexed, %d unchanged, %d failed, canceled=%v\n", n, st.Unchanged, st.Failed, st.Canceled)
	fmt.Printf("text            %.1f MB (titles and bodies), files %.1f MB\n", float64(st.TextBytes)/1e6, float64(st.Bytes)/1e6)
	fmt.Printf("indexing        %.1f s to a closed index: %.0f reports/s, %.2f MB/s of text\n",
		took.Seconds(), float64(n)/took.Seconds(), float64(st.TextBytes)/1e6/took.Seconds())
	fmt.Printf("CPU time        %.1f s (user+system): %.0f reports per CPU-second, %.2f MB of text per CPU-second\n",
		cpu.Seconds(), float64(n)/cpu.Seconds(), float64(st.TextBytes)/1e6/cpu.Seconds())
	fmt.Printf("peak RSS        %s (VmHWM, whole process)\n", mib(peakRSS()))
	fmt.Printf("index size      %.1f MB, %.2fx the text\n", float64(size)/1e6, float64(size)/float64(st.TextBytes))
	fmt.Printf("segments        %d zap files in the closed index\n", countSegments(dir))
	if st.Canceled {
		return errors.New("canceled")
	}
	if qo.passes <= 0 {
		return nil
	}
	_, err = queries(ctx, dir, qo)
	return err
}

// queryOpts are the flags of the query runs.
type queryOpts struct {
	mix        string // "querymix" or "lucene"
	warmup     int    // untimed passes
	passes     int    // timed passes
	cpuprofile string // CPU profile of the timed passes
	lucene     string // the peer's index, for sideBySide
	rounds     int    // rounds of sideBySide
	peer       string // the peer's run script
	only       string // regular expression: run only the queries it matches
	each       bool   // print each request's median time
	dump       string // write every answer of the mix to this file instead of timing it
	sort       string // sort every request of the mix so (index.SortDate, SortDateDesc), "" as the mix says
}

// latency is the outcome of one query run: p50, p90, p99 and max.
type latency struct{ p50, p90, p99, max time.Duration }

// queries opens the index at dir and runs the mix of qo, warm-up passes
// first, and prints the latency percentiles of the timed passes.
func queries(ctx context.Context, dir string, qo queryOpts) (latency, error) {
	idx, err := index.Open(dir, index.Options{ReadOnly: true})
	if err != nil {
		return latency{}, err
	}
	defer idx.Close()
	var reqs []index.Request
	switch qo.mix {
	case "querymix":
		reqs = querymix.Requests()
	case "lucene":
		reqs = querymix.Lucene()
	default:
		return latency{}, fmt.Errorf("-mix %q: want querymix or lucene", qo.mix)
	}
	if qo.only != "" {
		re, err := regexp.Compile(qo.only)
		if err != nil {
			return latency{}, fmt.Errorf("-only: %w", err)
		}
		reqs = slices.DeleteFunc(reqs, func(r index.Request) bool { return !re.MatchString(r.Query) })
		if len(reqs) == 0 {
			return latency{}, fmt.Errorf("-only %q matches no query of the mix %s", qo.only, qo.mix)
		}
	}
	if qo.sort != "" {
		for i := range reqs {
			reqs[i].Sort = qo.sort
		}
	}
	if qo.dump != "" {
		return latency{}, dump(ctx, idx, reqs, qo.dump)
	}
	for range qo.warmup {
		for _, r := range reqs {
			if _, err := idx.Search(ctx, r); err != nil {
				return latency{}, fmt.Errorf("search %+v: %w", r, err)
			}
		}
	}
	if qo.cpuprofile != "" {
		f, err := os.Create(qo.cpuprofile)
		if err != nil {
			return latency{}, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return latency{}, err
		}
		defer pprof.StopCPUProfile()
	}
	var first, all []time.Duration
	each := make([][]time.Duration, len(reqs))
	eachCPU := make([][]time.Duration, len(reqs))
	var hits uint64
	byQuery := map[string][]time.Duration{}
	cpu0 := cpuTime()
	for pass := range qo.passes {
		for i, r := range reqs {
			var c time.Duration
			if qo.each {
				c = cpuTime()
			}
			t := time.Now()
			res, err := idx.Search(ctx, r)
			if err != nil {
				return latency{}, fmt.Errorf("search %+v: %w", r, err)
			}
			d := time.Since(t)
			hits += res.Total
			all = append(all, d)
			each[i] = append(each[i], d)
			if qo.each {
				eachCPU[i] = append(eachCPU[i], cpuTime()-c)
			}
			byQuery[r.Query] = append(byQuery[r.Query], d)
			if pass == 0 {
				first = append(first, d)
			}
		}
	}
	cpu := cpuTime() - cpu0
	if qo.each {
		order := make([]int, len(reqs))
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int { return int(percentile(each[b], 50) - percentile(each[a], 50)) })
		for _, i := range order {
			r := reqs[i]
			fmt.Printf("%3d %8s %8s CPU  %-34q countries=%v from=%q to=%q\n", i, pct(each[i], 50), pct(eachCPU[i], 50), r.Query, r.Countries, r.From, r.To)
		}
	}
	if qo.mix == "lucene" {
		for _, r := range reqs {
			fmt.Printf("%-22s %s\n", r.Query, pct(byQuery[r.Query], 50))
		}
	}
	fmt.Printf("queries         %d requests (mix %s of %d, %d warm-up and %d timed passes), facets and highlighting on, %d hits in all\n",
		len(all), qo.mix, len(reqs), qo.warmup, qo.passes, hits)
	fmt.Printf("latency 1st     p50 %s  p90 %s  p99 %s  max %s (first timed pass)\n", pct(first, 50), pct(first, 90), pct(first, 99), pct(first, 100))
	fmt.Printf("latency all     p50 %s  p90 %s  p99 %s  max %s\n", pct(all, 50), pct(all, 90), pct(all, 99), pct(all, 100))
	fmt.Printf("CPU time        %.2f ms per request (user+system, all goroutines)\n", cpu.Seconds()*1000/float64(len(all)))
	return latency{percentile(all, 50), percentile(all, 90), percentile(all, 99), percentile(all, 100)}, nil
}

// luceneLine is the summary line of the Lucene peer's query mode.
var luceneLine = regexp.MustCompile(`p50 ([0-9.]+) ms\s+p90 ([0-9.]+) ms\s+max ([0-9.]+) ms`)

// sideBySide alternates qo.rounds runs of the mix here and of the Lucene
// peer's query mode, and prints each round and the medians.
func sideBySide(ctx context.Context, dir string, qo queryOpts) error {
	var ours, theirs []latency
	for round := range qo.rounds {
		fmt.Printf("== round %d: rapports\n", round+1)
		l, err := queries(ctx, dir, qo)
		if err != nil {
			return err
		}
		ours = append(ours, l)
		fmt.Printf("== round %d: lucene\n", round+1)
		cmd := exec.CommandContext(ctx, qo.peer, "query", qo.lucene, "--warmup", "10", "--passes", strconv.Itoa(qo.passes))
		cmd.Stderr = os.Stderr
		out, err := cmd.Output()
		os.Stdout.Write(out)
		if err != nil {
			return fmt.Errorf("lucene peer: %w", err)
		}
		m := luceneLine.FindSubmatch(out)
		if m == nil {
			return errors.New("lucene peer: no p50/p90/max line in its output")
		}
		ms := func(b []byte) time.Duration {
			f, _ := strconv.ParseFloat(string(b), 64)
			return time.Duration(f * float64(time.Millisecond))
		}
		theirs = append(theirs, latency{p50: ms(m[1]), p90: ms(m[2]), max: ms(m[3])})
	}
	med := func(ls []latency, f func(latency) time.Duration) string {
		ds := make([]time.Duration, len(ls))
		for i, l := range ls {
			ds[i] = f(l)
		}
		return pct(ds, 50)
	}
	fmt.Printf("\nmedians of %d rounds   p50       p90       max\n", qo.rounds)
	for _, row := range []struct {
		name string
		ls   []latency
	}{{"rapports", ours}, {"lucene", theirs}} {
		fmt.Printf("%-22s %-9s %-9s %s\n", row.name, med(row.ls, func(l latency) time.Duration { return l.p50 }),
			med(row.ls, func(l latency) time.Duration { return l.p90 }), med(row.ls, func(l latency) time.Duration { return l.max }))
	}
	return nil
}

// percentile returns the p-th percentile of ds (the index Lucene's peer
// takes: len*p/100 of the sorted list).
func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)]
}

// pct returns the p-th percentile of ds, in milliseconds.
func pct(ds []time.Duration, p int) string {
	return fmt.Sprintf("%.1fms", float64(percentile(ds, p).Microseconds())/1000)
}

// peakRSS returns the process's peak resident set size (VmHWM), in bytes:
// anonymous memory (the Go heap) and the pages of mapped files (Bleve's
// segments) together.
func peakRSS() int64 { return procStatus("VmHWM:") }

// procStatus returns the size in bytes of a field of /proc/self/status
// (VmHWM:, RssAnon:, RssFile:), 0 if unknown.
func procStatus(field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// cpuTime returns the user and system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func mib(n int64) string { return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20)) }

// countSegments returns the number of segment files under dir.
func countSegments(dir string) int {
	n := 0
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".zap") {
			n++
		}
		return nil
	})
	return n
}

func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

// dump writes the answer to each of reqs, and to its variants (sorted by
// date newest and oldest first, page 3), to path as JSON lines, the time
// taken zeroed: two versions' files are equal when their results are.
func dump(ctx context.Context, idx *index.Index, reqs []index.Request, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	for _, r := range reqs {
		variants := []index.Request{r, r, r, r}
		variants[1].Sort = index.SortDateDesc
		variants[2].Sort = index.SortDate
		variants[3].Page = 3
		for _, v := range variants {
			res, err := idx.Search(ctx, v)
			if err != nil {
				f.Close()
				return fmt.Errorf("search %+v: %w", v, err)
			}
			res.TookMS = 0
			if err := enc.Encode(struct {
				Request index.Request
				Result  *index.Result
			}{v, res}); err != nil {
				f.Close()
				return err
			}
		}
	}
	return f.Close()
}
