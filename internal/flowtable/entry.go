package flowtable

import (
	"encoding/binary"
	"unsafe"

	"github.com/flowsplit/flowsplit/hashing"
)

// entry is one slot of the table: a flow stored inline, so that a lookup
// that hits its home slot reads one cache line. It is 64 bytes and holds
// no pointers (the slot array may live outside the Go heap, and on the
// heap it is not scanned).
type entry struct {
	key    hashing.Key // 42 bytes
	out    uint16
	flags  uint8 // flagUsed, flagFinA, flagFinB, flagClosing
	_      [3]byte
	hash   uint64 // key.Hash(); its high bits choose the home slot
	expire int64  // capture time (ns since the epoch) after which it is gone
}

// Entry flags.
const (
	flagUsed    = 1 << iota // the slot holds a flow
	flagFinA                // FIN seen from endpoint A
	flagFinB                // FIN seen from endpoint B
	flagClosing             // TCP RST, or FIN from both sides, seen
)

// entrySize is the size of an entry: one cache line.
const entrySize = 64

// Compile-time check that an entry fills exactly one cache line.
var _ [entrySize - unsafe.Sizeof(entry{})]struct{}
var _ [unsafe.Sizeof(entry{}) - entrySize]struct{}

// keyLen is the size of a hashing.Key, which has no padding.
const keyLen = 42

var _ [keyLen - unsafe.Sizeof(hashing.Key{})]struct{}
var _ [unsafe.Sizeof(hashing.Key{}) - keyLen]struct{}

// keyEqual reports whether a and b are the same key, comparing whole
// words (== on the struct calls the runtime's memequal).
func keyEqual(a, b *hashing.Key) bool {
	x := (*[keyLen]byte)(unsafe.Pointer(a))
	y := (*[keyLen]byte)(unsafe.Pointer(b))
	le := binary.LittleEndian
	return le.Uint64(x[0:])^le.Uint64(y[0:])|
		le.Uint64(x[8:])^le.Uint64(y[8:])|
		le.Uint64(x[16:])^le.Uint64(y[16:])|
		le.Uint64(x[24:])^le.Uint64(y[24:])|
		le.Uint64(x[32:])^le.Uint64(y[32:])|
		le.Uint64(x[34:])^le.Uint64(y[34:]) == 0
}
