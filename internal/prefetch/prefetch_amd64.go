package prefetch

import "unsafe"

// Line hints that the cache line holding p will be read soon (PREFETCHT0:
// into every cache level). p may be any address, even an invalid one.
//
//go:noescape
func Line(p unsafe.Pointer)
