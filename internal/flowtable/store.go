package flowtable

import (
	"unsafe"

	"github.com/flowsplit/flowsplit/internal/hugepage"
)

// hugeMinBytes is the smallest bucket array placed in a huge page mapping:
// smaller arrays (the table's starting size among them) stay on the Go
// heap, where a huge page would be mostly empty.
const hugeMinBytes = hugepage.Size

// useHugePages can be turned off by tests to exercise the heap fallback.
var useHugePages = true

// store owns the memory of a bucket array: a huge page mapping, or nothing
// when the array is on the Go heap. It is a separate object from the Table
// so that a cleanup attached to the Table can release it.
type store struct {
	m *hugepage.Mapping
}

// allocBuckets returns a zeroed array of n buckets and its mapping, or nil
// when it is on the Go heap. Large arrays are mapped outside the Go heap
// where the system allows; otherwise, and for small arrays, they come from
// make, which places arrays over 32 KiB on page boundaries, and smaller
// ones in size classes that are multiples of 64 bytes for the sizes a
// bucket array has (so buckets are cache lines).
func allocBuckets(n int) (buckets []bucket, mapped *hugepage.Mapping) {
	size := n * int(unsafe.Sizeof(bucket{}))
	if useHugePages && size >= hugeMinBytes {
		if m, err := hugepage.Map(size); err == nil {
			return unsafe.Slice((*bucket)(m.Pointer()), n), m
		}
	}
	return make([]bucket, n), nil
}

// swap makes m (nil for heap memory) the store's memory and unmaps the
// previous mapping, if any.
func (s *store) swap(m *hugepage.Mapping) {
	if s.m != nil {
		s.m.Unmap()
	}
	s.m = m
}

// release unmaps the store's memory, if mapped. It is the Table's cleanup
// and its Close.
func (s *store) release() { s.swap(nil) }
