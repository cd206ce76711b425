package hashing

import (
	"bytes"

	"github.com/cespare/xxhash/v2"
)

// MACPairHash returns a symmetric hash of an Ethernet address pair, for
// frames that carry no IP: both directions hash the same.
func MACPairHash(a, b [6]byte) uint64 {
	if bytes.Compare(a[:], b[:]) > 0 {
		a, b = b, a
	}
	var buf [12]byte
	copy(buf[:6], a[:])
	copy(buf[6:], b[:])
	return xxhash.Sum64(buf[:])
}
