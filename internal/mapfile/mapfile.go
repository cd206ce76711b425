package mapfile

import (
	"errors"
	"os"
	"runtime/debug"
	"unsafe"
)

// ErrNotMappable is returned by Map for a file that is not a non-empty
// regular file, or on a platform without mmap.
var ErrNotMappable = errors.New("not a mappable file")

// dropStep is how far the reader advances between two Drop calls that
// reach the kernel: dropping in 4 MiB steps keeps the resident set small at
// a negligible cost.
const dropStep = 4 << 20

// File is a file mapped read-only, whole. It is not safe for concurrent
// use, except Bytes' contents, which may be read from any goroutine until
// Close.
type File struct {
	data    []byte
	dropped int    // data[:dropped] has been dropped
	next    int64  // the offset from which Advance acts
	pager   *pager // nil: Advance drops inline, nothing is mapped ahead
}

// Bytes returns the file's contents as mapped. They are read-only: writing
// to them faults.
func (m *File) Bytes() []byte { return m.data }

// Advance says that the reader has reached off. The bytes before off are
// done with: their pages leave the process's resident set (the page cache
// keeps them), in 4 MiB steps. Reading them again is still valid (they
// fault back in), so Advance is advice, never a hazard. Where the platform
// can, a pager goroutine started by Map does that work and maps the 4 MiB
// ahead of off into the process, so that the reader finds its page tables
// filled instead of faulting; Advance then only tells it the position,
// once per MiB, without blocking (it yields only when the pager has not
// mapped the next MiB yet).
func (m *File) Advance(off int64) {
	if off < m.next {
		return
	}
	if m.pager != nil {
		m.next = off + pageStep
		m.pager.report(off)
		m.pager.keepUp(m, off)
		return
	}
	m.next = off + dropStep
	end := int(min(off, int64(len(m.data)))) &^ (os.Getpagesize() - 1)
	if end > m.dropped {
		dontNeed(m.data[m.dropped:end])
		m.dropped = end
	}
}

// Guard runs f, which reads the mapping, and reports whether a fault in
// the mapping (the file shrank under it) ended f early; such a fault is
// recovered instead of crashing the program. Any other panic, a fault
// elsewhere included, is a bug and goes on. Deferred calls in f run as
// usual.
func (m *File) Guard(f func()) (faulted bool) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if p := recover(); p != nil {
			if !m.Fault(p) {
				panic(p)
			}
			faulted = true
		}
	}()
	f()
	return false
}

// Fault reports whether p, a value recovered from a panic under
// debug.SetPanicOnFault, is a memory fault inside the mapping (as when the
// file shrank under the reader). Any other panic, a fault elsewhere
// included, is a bug, which the caller must re-panic.
func (m *File) Fault(p any) bool {
	f, ok := p.(interface{ Addr() uintptr })
	if !ok || len(m.data) == 0 {
		return false
	}
	base := uintptr(unsafe.Pointer(unsafe.SliceData(m.data)))
	a := f.Addr()
	return a >= base && a-base < uintptr(len(m.data))
}
