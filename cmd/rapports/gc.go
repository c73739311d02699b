package main

import (
	"math"
	"os"
	"runtime/debug"
)

// gcMemoryLimit is the soft memory limit the rapports binary runs under
// unless GOMEMLIMIT says otherwise. Indexing keeps 300 to 350 MB live (the
// analysed batches in flight and the segment being built); with GOGC=200
// alone the heap would grow to three times that. At 600 MiB the garbage
// collector runs only when the heap nears the limit: on the 13,040 files
// of tvnews-fr the peak RSS fell from 0.95-1.0 GiB (1 GiB limit) to 641-644
// MiB at the same CPU time (20.4-23.4 s against 20.6-23.2 s, two
// alternated rounds, go run ./index/internal/bench -data DOCS -passes 0).
const gcMemoryLimit = 600 << 20

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
