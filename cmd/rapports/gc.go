package main

import (
	"math"
	"os"
	"runtime/debug"
)

// gcMemoryLimit is the soft memory limit the rapports binary runs under
// unless GOMEMLIMIT says otherwise: it keeps the peak RSS of indexing the
// 233,987-report corpus near 1.6 GiB.
const gcMemoryLimit = 1 << 30

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
