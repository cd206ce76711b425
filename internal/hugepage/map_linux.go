package hugepage

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"
)

// mapAligned maps n bytes (a multiple of Size) on a Size boundary: it maps
// Size more than asked, unmaps the misaligned head and the tail, and
// advises the rest for huge pages.
func mapAligned(n uintptr) (unsafe.Pointer, error) {
	raw, err := unix.MmapPtr(-1, 0, nil, n+Size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		return nil, fmt.Errorf("map %d bytes: %w", n, err)
	}
	start := uintptr(raw)
	aligned := (start + Size - 1) &^ (Size - 1)
	if head := aligned - start; head > 0 {
		if err := unix.MunmapPtr(raw, head); err != nil {
			return nil, fmt.Errorf("trim mapping: %w", err)
		}
	}
	if tail := start + n + Size - (aligned + n); tail > 0 {
		if err := unix.MunmapPtr(unsafe.Add(raw, aligned+n-start), tail); err != nil {
			return nil, fmt.Errorf("trim mapping: %w", err)
		}
	}
	p := unsafe.Add(raw, aligned-start)
	// Advice is best effort: a kernel without THP still gives usable
	// memory.
	_ = unix.Madvise(unsafe.Slice((*byte)(p), n), unix.MADV_HUGEPAGE)
	return p, nil
}

// unmap returns n bytes at p to the kernel.
func unmap(p unsafe.Pointer, n uintptr) error {
	if err := unix.MunmapPtr(p, n); err != nil {
		return fmt.Errorf("unmap %d bytes: %w", n, err)
	}
	return nil
}
