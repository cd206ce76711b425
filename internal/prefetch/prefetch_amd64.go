package prefetch

import "unsafe"

// Line hints that the cache line holding p will be read soon (PREFETCHT0:
// into every cache level). p may be any address, even an invalid one.
//
//go:noescape
func Line(p unsafe.Pointer)

// Range hints that the n bytes at p will be read soon: Line for each of
// their cache lines, in one call. n may be 0.
//
//go:noescape
func Range(p unsafe.Pointer, n int)
