//go:build !amd64

package pcapio

// prefetch does nothing where no assembly is written for it.
func prefetch(p *byte, n int) {}
