//go:build linux || darwin || freebsd || netbsd || openbsd

package corpus

import "syscall"

// canMapMemory: linear memories are mapped here (see pdfMemory).
const canMapMemory = true

// mapMemory maps n bytes of zeroed private memory, reserved but not
// committed: pages cost memory once written.
func mapMemory(n uint64) ([]byte, error) {
	return syscall.Mmap(-1, 0, int(n), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON|mapNoReserve)
}

// unmapMemory returns a mapping to the system.
func unmapMemory(b []byte) {
	syscall.Munmap(b) //nolint:errcheck // nothing to do when it fails: the address space stays taken
}
