package flowtable

import (
	"hash/maphash"
	"unsafe"

	"github.com/flowsplit/flowsplit/hashing"
)

// keyLen is the size of a hashing.Key, which has no padding.
const keyLen = 42

var _ [keyLen - unsafe.Sizeof(hashing.Key{})]struct{}
var _ [unsafe.Sizeof(hashing.Key{}) - keyLen]struct{}

// Hash returns the fingerprint of flow key k in t, never 0: the key of
// Lookup, Insert and Prefetch. It is hash/maphash (AES-based where the CPU
// has AES) keyed by a random seed drawn by New, so that traffic cannot be
// crafted to pile flows into a few buckets (whose flows it would then
// evict), nor to share a fingerprint with another flow (and so its entry:
// a RST of one would close both), without knowing the seed. Distinct live
// flows share a fingerprint with probability about n²/2^65 for n flows
// (3e-8 at a million): they would then share an output and a TCP state.
func (t *Table) Hash(k *hashing.Key) uint64 {
	h := maphash.Bytes(t.seed, (*[keyLen]byte)(unsafe.Pointer(k))[:])
	if h == 0 { // 0 marks an empty slot
		h = 1
	}
	return h
}
