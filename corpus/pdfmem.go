package corpus

import (
	"sync"
	"sync/atomic"

	"github.com/tetratelabs/wazero/experimental"
)

// pdfMemory gives PDFium's WebAssembly instances their linear memories
// outside the Go heap, where the platform allows (mmapMemory): wazero's
// own linear memory is a Go slice that grows by copying, so a PDFium that
// reads a long document left its old copies for the garbage collector and
// the peak resident memory was two to three times the instance's size
// (1 GB on a 950-page PDF). A mapped memory grows in place, costs only
// the pages PDFium touched, and is returned to the system when its
// instance is closed.
//
// A memory freed while an instance that was killed may still be running
// (a time limit, a cancelled walk: wazero can free the memory of a module
// closed from another goroutine) is unmapped only once no such kill is in
// flight (beginKill, endKill), so that running code never touches an
// unmapped page.
type pdfMemory struct {
	mu       sync.Mutex
	killing  int      // kills whose instance's code may still run
	deferred [][]byte // mappings freed during a kill
	// inUse is the bytes of linear memory in use by the live instances,
	// peak the most it reached (for tests and measurements).
	inUse, peak atomic.Int64
}

// thePDFMemory is the allocator of the process's PDFium instances.
var thePDFMemory = &pdfMemory{}

// allocator returns the wazero memory allocator, or nil where linear
// memories cannot be mapped (wazero's own is used).
func (a *pdfMemory) allocator() experimental.MemoryAllocator {
	if !canMapMemory {
		return nil
	}
	return experimental.MemoryAllocatorFunc(func(capBytes, maxBytes uint64) experimental.LinearMemory {
		buf, err := mapMemory(maxBytes)
		if err != nil {
			// Not enough address space: a Go slice, as wazero does.
			return &heapMemory{buf: make([]byte, 0, capBytes), max: maxBytes}
		}
		return &mappedMemory{a: a, buf: buf}
	})
}

// beginKill tells that an instance is being killed while its code may
// run; endKill, once it stopped.
func (a *pdfMemory) beginKill() {
	a.mu.Lock()
	a.killing++
	a.mu.Unlock()
}

func (a *pdfMemory) endKill() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.killing--
	if a.killing > 0 {
		return
	}
	for _, b := range a.deferred {
		unmapMemory(b)
	}
	a.deferred = nil
}

// free unmaps b, or defers it while a kill is in flight.
func (a *pdfMemory) free(b []byte) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.killing > 0 {
		a.deferred = append(a.deferred, b)
		return
	}
	unmapMemory(b)
}

// mappedMemory is a linear memory in a mapping of its maximum size, whose
// pages cost memory once touched.
type mappedMemory struct {
	a    *pdfMemory
	buf  []byte // the whole mapping
	size uint64 // bytes in use
	done bool
}

// Reallocate implements experimental.LinearMemory: it grows in place.
func (m *mappedMemory) Reallocate(size uint64) []byte {
	if size > uint64(len(m.buf)) || m.done {
		return nil
	}
	in := m.a.inUse.Add(int64(size) - int64(m.size))
	for p := m.a.peak.Load(); in > p && !m.a.peak.CompareAndSwap(p, in); p = m.a.peak.Load() {
	}
	m.size = size
	return m.buf[:size:size]
}

// Free implements experimental.LinearMemory.
func (m *mappedMemory) Free() {
	if m.done {
		return
	}
	m.done = true
	m.a.inUse.Add(-int64(m.size))
	m.a.free(m.buf)
	m.buf = nil
}

// heapMemory is a linear memory in the Go heap, when it cannot be mapped.
type heapMemory struct {
	buf []byte
	max uint64
}

// Reallocate implements experimental.LinearMemory.
func (m *heapMemory) Reallocate(size uint64) []byte {
	if size > m.max {
		return nil
	}
	if size <= uint64(cap(m.buf)) {
		m.buf = m.buf[:size]
	} else {
		m.buf = append(m.buf, make([]byte, size-uint64(len(m.buf)))...)
	}
	return m.buf
}

// Free implements experimental.LinearMemory.
func (m *heapMemory) Free() { m.buf = nil }
