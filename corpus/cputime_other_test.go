//go:build !unix

package corpus

import "time"

// cpuTime returns 0: the process CPU time is not read on this system.
func cpuTime() time.Duration { return 0 }
