package mapfile

import (
	"errors"
	"os"
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
	dropped int   // data[:dropped] has been dropped
	next    int64 // the offset from which Drop acts
}

// Bytes returns the file's contents as mapped. They are read-only: writing
// to them faults.
func (m *File) Bytes() []byte { return m.data }

// Drop says that the bytes before off are done with: their pages leave the
// process's resident set (the page cache keeps them). Reading them again
// is still valid (they fault back in), so Drop is advice, never a hazard.
// It acts once the reader has gone 4 MiB past the last drop.
func (m *File) Drop(off int64) {
	if off >= m.next {
		m.drop(off)
	}
}

func (m *File) drop(off int64) {
	m.next = off + dropStep
	end := int(min(off, int64(len(m.data)))) &^ (os.Getpagesize() - 1)
	if end > m.dropped {
		dontNeed(m.data[m.dropped:end])
		m.dropped = end
	}
}

// Fault reports whether p, a value recovered from a panic under
// debug.SetPanicOnFault, is a memory fault (as when the mapped file shrank
// under the reader) rather than a bug, which must be re-panicked.
func Fault(p any) bool {
	_, ok := p.(interface{ Addr() uintptr })
	return ok
}

// Offset returns the file offset of b when b lies within the mapping, and
// whether it does. Records sliced from Bytes can be written straight from
// the mapping (writev) instead of being copied; records the caller copied
// elsewhere cannot.
func (m *File) Offset(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > len(m.data) {
		return 0, false
	}
	base := uintptr(unsafe.Pointer(unsafe.SliceData(m.data)))
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	if p < base || p-base > uintptr(len(m.data)-len(b)) {
		return 0, false
	}
	return int64(p - base), true
}
