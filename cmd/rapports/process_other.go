//go:build !unix

package main

import "os"

// processAlive reports whether process pid exists. On Windows, finding a
// process opens it, which fails when it is gone.
func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	p.Release()
	return true
}
