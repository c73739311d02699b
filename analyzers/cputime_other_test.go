//go:build !unix

package analyzers

import "time"

// cpuTime returns 0 where the process CPU time is not read: the
// benchmarks then report the wall-clock ratios only.
func cpuTime() time.Duration { return 0 }
