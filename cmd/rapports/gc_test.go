package main

import (
	"context"
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

// TestTuneServeGC checks serve's memory limit: serveMemoryLimit when the
// environment sets neither GOGC nor GOMEMLIMIT, the environment's
// otherwise.
func TestTuneServeGC(t *testing.T) {
	oldLimit, oldPercent := debug.SetMemoryLimit(-1), debug.SetGCPercent(-1)
	debug.SetGCPercent(oldPercent)
	defer func() {
		debug.SetMemoryLimit(oldLimit)
		debug.SetGCPercent(oldPercent)
	}()
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	if got := tuneServeGC(); got != serveMemoryLimit {
		t.Errorf("tuneServeGC without GOGC and GOMEMLIMIT: limit %d; want %d", got, serveMemoryLimit)
	}
	debug.SetMemoryLimit(math.MaxInt64)
	t.Setenv("GOMEMLIMIT", "1GiB") // read by the runtime at start only: the limit stays as it is
	if got := tuneServeGC(); got != math.MaxInt64 {
		t.Errorf("tuneServeGC with GOMEMLIMIT set: limit %d; want it left alone", got)
	}
}

// TestReleaseMemory checks that releaseMemory gives back the free heap
// left by a burst of allocations.
func TestReleaseMemory(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		releaseMemory(ctx, 10*time.Millisecond)
		close(done)
	}()
	defer func() {
		cancel()
		<-done
	}()
	burst := make([][]byte, 256)
	for i := range burst {
		burst[i] = make([]byte, 1<<20)
	}
	runtime.KeepAlive(burst)
	burst = nil
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/free:bytes"}}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		metrics.Read(sample)
		if sample[0].Value.Uint64() <= releaseAbove {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("free heap still %d MiB 30 s after a 256 MiB burst; want at most %d MiB", sample[0].Value.Uint64()>>20, releaseAbove>>20)
		}
	}
}
