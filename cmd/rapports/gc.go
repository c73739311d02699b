package main

import (
	"context"
	"math"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// serveMemoryLimit is the soft memory limit of "rapports serve" unless
// GOMEMLIMIT says otherwise: under many concurrent expensive searches the
// garbage collector works harder near it instead of letting the heap grow,
// and the runtime gives the memory back to the system sooner after them.
const serveMemoryLimit = 400 << 20

// gcMemoryLimit is the soft memory limit the rapports binary runs under
// unless GOMEMLIMIT says otherwise. Indexing keeps 250 to 350 MB live (the
// analysed batches in flight and the segment being built); with GOGC=200
// alone the heap would grow to three times that, so the heap stays near
// the limit, and merges add the pages of the segments they read (50 to
// 200 MiB more). At 600 MiB the peak RSS on the 233,987 reports was 811
// to 825 MiB (Lucene's peer: 687 to 789 MiB); at 520 MiB, 732 MiB (load
// 15-25, go run ./index/internal/bench -passes 0 with GOMEMLIMIT); 500 MiB
// keeps it under Lucene's. On the 13,040 files a 1 GiB limit gave a peak
// RSS of 0.95-1.0 GiB, 600 MiB 641-644 MiB, at the same CPU time.
// Since the analysis and the segment builder keep less (3 December 2026,
// main 6d6fd37), indexing the 233,987 reports keeps 90 to 130 MB live and
// GOGC=200 alone sets the heap goal (250 to 390 MB): with limits of 500,
// 560 and 620 MiB the runs made 34 to 36 collections each and took
// 41.3/41.3, 41.6/44.2 and 40.6/42.2 CPU-s, peak RSS 564 to 593 MiB (2
// alternated rounds, load 8-13, GODEBUG=gctrace=1): the limit is a bound
// that no longer binds.
const gcMemoryLimit = 500 << 20

// tuneGC raises the garbage collector's target to GOGC=200 with a soft
// memory limit, unless the environment sets GOGC or GOMEMLIMIT: indexing
// allocates much short-lived memory, and a higher GOGC saved about 10% of
// CPU time in the index package's BenchmarkIndexDocs, while the limit keeps
// the heap bounded. It is the binary's choice, made once at start: the
// index library leaves the process's garbage collector alone.
func tuneGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	if debug.SetMemoryLimit(-1) != math.MaxInt64 {
		return
	}
	debug.SetGCPercent(200)
	debug.SetMemoryLimit(gcMemoryLimit)
}

// tuneServeGC sets the garbage collector of "rapports serve": the default
// target (GOGC=100) and the soft limit serveMemoryLimit, unless the
// environment sets GOGC or GOMEMLIMIT. It returns the limit in force
// (math.MaxInt64 for none).
func tuneServeGC() int64 {
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(serveMemoryLimit)
	}
	return debug.SetMemoryLimit(-1)
}

// Returning memory to the system: see releaseMemory.
const (
	releaseEvery = 10 * time.Second
	releaseAbove = 32 << 20 // bytes of free heap kept from the system
)

// releaseMemory returns the free heap to the system every period (serve:
// releaseEvery) while more than releaseAbove bytes of it are kept, until
// ctx is done:
// after a burst of expensive searches the runtime's own scavenger gives
// the memory back slowly (the RSS of serve stayed near its peak 30 s
// after), this frees it within a period. It costs a garbage collection
// only after such bursts.
func releaseMemory(ctx context.Context, period time.Duration) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/free:bytes"}}
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		metrics.Read(sample)
		if sample[0].Value.Kind() == metrics.KindUint64 && sample[0].Value.Uint64() > releaseAbove {
			debug.FreeOSMemory()
		}
	}
}
