package flowtable

import (
	"unsafe"

	"github.com/flowsplit/flowsplit/internal/prefetch"
)

// Prefetch starts loading the two buckets of fingerprint h into the CPU
// caches, without waiting for them: a caller that hashes a few packets
// ahead and prefetches their buckets overlaps their cache misses, and the
// Lookups that follow find the lines (mostly) loaded. It changes nothing
// in the table and does not allocate. A Prefetch whose Lookup does not
// follow soon is wasted memory bandwidth, nothing more.
func (t *Table) Prefetch(h uint64) {
	i, j := pair(h, len(t.buckets))
	prefetch.Line(unsafe.Pointer(&t.buckets[i]))
	prefetch.Line(unsafe.Pointer(&t.buckets[j]))
}
