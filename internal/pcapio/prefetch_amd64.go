package pcapio

// prefetch asks the CPU to bring the n bytes at p into its caches (one
// PREFETCHT0 per 64-byte line; n > 0). A prefetch never faults.
//
//go:noescape
func prefetch(p *byte, n int)
