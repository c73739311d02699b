//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package corpus

import "errors"

// canMapMemory: wazero's own linear memories are used here.
const canMapMemory = false

func mapMemory(uint64) ([]byte, error) { return nil, errors.ErrUnsupported }

func unmapMemory([]byte) {}
