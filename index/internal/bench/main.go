//go:build unix

// Command bench measures rapports at scale: it indexes a large corpus
// (by default the 233,987 reports of tvnews-fr.jsonl.gz) into a new index,
// then closes and reopens it and runs the fixed query mix of package
// querymix. It prints indexing throughput, peak memory, index size and
// query latency percentiles. Run it from the repository root:
//
//	go run ./index/internal/bench
//	go run ./index/internal/bench -data ../shared/data/tvnews-fr/docs -passes 5
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net/http"
	_ "net/http/pprof"
	"os"
	"os/signal"
	"path/filepath"
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
		debug.SetMemoryLimit(600 << 20)
	}
	data := flag.String("data", "../shared/data/tvnews-fr/tvnews-fr.jsonl.gz", "corpus to index (file or folder)")
	dir := flag.String("dir", "", "index folder (default: a new temporary folder, removed at the end)")
	batch := flag.Int("batch", 0, "reports per batch (default index.DefaultBatchSize)")
	passes := flag.Int("passes", 3, "passes over the 200-query mix")
	searchOnly := flag.Bool("search-only", false, "only run the query mix on the existing index at -dir")
	pprofAddr := flag.String("pprof", "", "serve net/http/pprof at this address (localhost:6060)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the indexing to this file")
	memProfile := flag.String("memprofile", "", "write an allocation profile of the indexing to this file")
	flag.Parse()
	profCPU, profMem = *cpuProfile, *memProfile
	if *pprofAddr != "" {
		go func() { fmt.Fprintln(os.Stderr, http.ListenAndServe(*pprofAddr, nil)) }()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var err error
	if *searchOnly {
		err = queries(ctx, *dir, *passes)
	} else {
		err = run(ctx, *data, *dir, *batch, *passes)
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

func run(ctx context.Context, data, dir string, batch, passes int) error {
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
	opts := index.AddOptions{BatchSize: batch, Progress: func(p index.Progress) {
		if time.Since(last) < 10*time.Second {
			return
		}
		last = time.Now()
		fmt.Fprintf(os.Stderr, "%8.0fs %9d reports %7.0f reports/s  RSS peak %s\n",
			p.Elapsed.Seconds(), p.Reports, float64(p.Reports)/p.Elapsed.Seconds(), mib(peakRSS()))
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
	if passes <= 0 {
		return nil
	}
	return queries(ctx, dir, passes)
}

// queries opens the index at dir and runs the query mix passes times.
func queries(ctx context.Context, dir string, passes int) error {
	idx, err := index.Open(dir, index.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer idx.Close()
	reqs := querymix.Requests()
	var first, all []time.Duration
	var hits uint64
	for pass := range passes {
		for _, r := range reqs {
			t := time.Now()
			res, err := idx.Search(ctx, r)
			if err != nil {
				return fmt.Errorf("search %+v: %w", r, err)
			}
			d := time.Since(t)
			hits += res.Total
			all = append(all, d)
			if pass == 0 {
				first = append(first, d)
			}
		}
	}
	fmt.Printf("queries         %d requests (mix of %d, %d passes), facets and highlighting on, %d hits in all\n", len(all), len(reqs), passes, hits)
	fmt.Printf("latency 1st     p50 %s  p99 %s  max %s (first pass after reopen)\n", pct(first, 50), pct(first, 99), pct(first, 100))
	fmt.Printf("latency all     p50 %s  p99 %s  max %s\n", pct(all, 50), pct(all, 99), pct(all, 100))
	return nil
}

// pct returns the p-th percentile of ds.
func pct(ds []time.Duration, p int) string {
	s := slices.Clone(ds)
	slices.Sort(s)
	i := min(len(s)-1, len(s)*p/100)
	return fmt.Sprintf("%.1fms", float64(s[i].Microseconds())/1000)
}

// peakRSS returns the process's peak resident set size (VmHWM), in bytes.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
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
