package pcapio

import (
	"unsafe"

	"github.com/flowsplit/flowsplit/internal/prefetch"
)

// When the input is in memory (NewReaderBytes: a mapped file), the records
// ahead of the reader are prefetched into the CPU caches: the first touch
// of each record (its header here, its bytes when the caller copies them
// out) is otherwise a cache miss at every page boundary, where the
// hardware prefetcher stops. prefetchAhead bytes ahead, prefetchStep bytes
// at a time. Data just read(2) into the buffer is in the caches already.
const (
	prefetchAhead = 4096
	prefetchStep  = 1024
)

// readAhead prefetches what lies up to prefetchAhead bytes past pos.
func (r *Reader) readAhead() {
	from := max(r.pf, r.pos)
	to := min(r.end, r.pos+prefetchAhead+prefetchStep)
	if to > from {
		prefetch.Range(unsafe.Pointer(&r.buf[from]), to-from)
	}
	r.pf = to
}
