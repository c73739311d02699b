//go:build unix

package analyzers

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time (user and system) that the process has
// used, which, unlike the wall clock, does not count the time the process
// waits for a core on a loaded machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
