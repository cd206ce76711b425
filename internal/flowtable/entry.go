package flowtable

import "unsafe"

// entry is one slot of the table: a flow in 16 bytes. The table keeps no
// key, only the flow's 64-bit fingerprint (Table.Hash of its key, keyed by
// a secret per table), which both places and identifies it. It holds no
// pointers (the bucket array may live outside the Go heap, and on the
// heap it is not scanned).
type entry struct {
	fp    uint64 // the flow's fingerprint; 0: the slot is empty
	last  uint32 // capture time of its last packet, in ticks (wrapping)
	out   uint16
	flags uint8 // timeout class (classMask), flagFinA, flagFinB, flagClosing
	_     uint8
}

// bucketSlots is the number of entries in a bucket: one 64-byte cache
// line.
const bucketSlots = 4

// bucket is a set of slots that a lookup reads together, in one line.
type bucket [bucketSlots]entry

// Compile-time checks that an entry is 16 bytes and a bucket one line.
var _ [16 - unsafe.Sizeof(entry{})]struct{}
var _ [unsafe.Sizeof(entry{}) - 16]struct{}
var _ [64 - unsafe.Sizeof(bucket{})]struct{}
var _ [unsafe.Sizeof(bucket{}) - 64]struct{}

// Entry flags. The low two bits are the flow's protocol class.
const (
	classTCP   = 0
	classUDP   = 1
	classOther = 2
	classMask  = 3

	flagFinA    = 1 << 2 // FIN seen from endpoint A
	flagFinB    = 1 << 3 // FIN seen from endpoint B
	flagClosing = 1 << 4 // TCP RST, or FIN from both sides, seen
)

// Capture time is kept in ticks of 2^tickShift ns (about 1.05 ms) in 32
// bits, which wrap every 52 days: ages are differences of ticks read as
// signed, exact for ages under 2^31 ticks (24.8 days), which bounds the
// timeouts (Config.Validate). A flow idle longer than that, and not yet
// swept, may look recent again: it keeps its output, which is harmless.
const (
	tickShift  = 20
	maxTimeout = (1<<31 - 1) << tickShift // ns
)

// tick returns capture time now (ns since the epoch) in ticks.
func tick(now int64) uint32 { return uint32(uint64(now) >> tickShift) }

// ticksFor returns timeout d (ns) in ticks: rounded up, plus one, since
// an idle time measured in ticks may read one tick long. A flow expires
// after at least d of idle capture time, and at most two ticks more.
func ticksFor(d int64) uint32 {
	return uint32((d+1<<tickShift-1)>>tickShift + 1)
}

// age returns how many ticks ago en was last seen at tick now; a flow seen
// "after" now (capture time that went back) has age 0.
func age(en *entry, now uint32) uint32 {
	return uint32(max(0, int32(now-en.last)))
}
