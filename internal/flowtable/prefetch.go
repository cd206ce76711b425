package flowtable

import (
	"unsafe"

	"github.com/flowsplit/flowsplit/internal/prefetch"
)

// Prefetch starts loading the home slot of hash h into the CPU caches,
// without waiting for it: a caller that hashes a few packets ahead and
// prefetches their slots overlaps their cache misses, and the Lookups that
// follow find the lines (mostly) loaded. It changes nothing in the table
// and does not allocate. A Prefetch whose Lookup does not follow soon is
// wasted memory bandwidth, nothing more.
func (t *Table) Prefetch(h uint64) {
	prefetch.Line(unsafe.Pointer(&t.slots[home(h, len(t.slots))]))
}
