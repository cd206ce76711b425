package flowtable

import (
	"github.com/flowsplit/flowsplit/hashing"
)

// TCP flags that end a connection.
const (
	tcpFlagFIN = 0x01
	tcpFlagRST = 0x04
	protoTCP   = 6
	protoUDP   = 17
)

// initialFlows is the table's starting size; it doubles up to MaxFlows.
const initialFlows = 1024

// sweepPerInsert is how many entries the CLOCK hand inspects for expired
// flows on every Insert: the table is swept once per len(entries)/sweep
// new flows.
const sweepPerInsert = 4

// entry is one flow. It holds no pointers, so the entry array is not
// scanned by the garbage collector.
type entry struct {
	key     hashing.Key
	out     uint16
	ref     bool // seen since the CLOCK hand last passed
	closing bool // TCP RST, or FIN from both sides, seen
	finA    bool // FIN seen from endpoint A
	finB    bool // FIN seen from endpoint B
	used    bool
	// slot is the entry's index slot when used, the next free entry + 1
	// (0: none) when not.
	slot   int32
	hash   uint64
	expire int64 // capture time (ns since the epoch) after which it is gone
}

// Table maps live flows to outputs. See the package documentation.
type Table struct {
	cfg   Config
	ents  []entry
	slots []uint64 // 0 = empty, else hash tag << 32 | entry index + 1
	free  int32    // first free entry + 1, 0 = none
	n     int
	hand  int

	timeouts [4]int64 // by class: tcp, udp, other, closing
	stats    Stats
}

// Stats are a Table's counters.
type Stats struct {
	// Flows is the number of flows in the table now (expired flows not yet
	// swept included).
	Flows int
	// Evictions counts flows evicted for room at MaxFlows; Expirations
	// those removed after their timeout.
	Evictions, Expirations uint64
}

// New returns an empty table for c (after WithDefaults).
func New(c Config) (*Table, error) {
	c = c.WithDefaults()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	t := &Table{cfg: c}
	t.timeouts = [4]int64{int64(c.TCPTimeout), int64(c.UDPTimeout), int64(c.OtherTimeout), int64(c.CloseGrace)}
	t.resize(min(initialFlows, c.MaxFlows))
	return t, nil
}

// Stats returns the table's counters.
func (t *Table) Stats() Stats {
	s := t.stats
	s.Flows = t.n
	return s
}

// Len returns the number of flows in the table.
func (t *Table) Len() int { return t.n }

// Lookup returns the output of flow k (whose Key.Hash is h) and true, and
// refreshes the flow with a packet seen at capture time now (nanoseconds)
// carrying tcpFlags (0 for non-TCP), sent by endpoint A of k when fromA.
// It returns false when k is absent or expired (an expired flow is removed
// and counted).
func (t *Table) Lookup(k *hashing.Key, h uint64, now int64, tcpFlags uint8, fromA bool) (out int, ok bool) {
	i, e := t.find(k, h)
	if e < 0 {
		return 0, false
	}
	en := &t.ents[e]
	if en.expire <= now {
		t.remove(i)
		t.stats.Expirations++
		return 0, false
	}
	t.refresh(en, now, tcpFlags, fromA)
	return int(en.out), true
}

// Insert adds flow k (absent: call Lookup first) with output out, seen at
// capture time now with tcpFlags. At MaxFlows it first evicts the least
// recently seen flow (CLOCK approximation).
func (t *Table) Insert(k *hashing.Key, h uint64, now int64, tcpFlags uint8, fromA bool, out int) {
	t.sweep(now, sweepPerInsert)
	if t.free == 0 {
		if len(t.ents) < t.cfg.MaxFlows {
			t.resize(min(2*len(t.ents), t.cfg.MaxFlows))
		} else {
			t.evict(now)
		}
	}
	e := t.free - 1
	en := &t.ents[e]
	t.free = en.slot
	*en = entry{key: *k, out: uint16(out), used: true, hash: h}
	t.refresh(en, now, tcpFlags, fromA)
	en.ref = false
	mask := len(t.slots) - 1
	i := int(h) & mask
	for t.slots[i] != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = h>>32<<32 | uint64(e+1)
	en.slot = int32(i)
	t.n++
}

// refresh records a packet of en at now. A TCP flow is closing after a
// RST, or a FIN from each side (a half-closed connection may go on).
func (t *Table) refresh(en *entry, now int64, tcpFlags uint8, fromA bool) {
	en.ref = true
	class := 2
	switch en.key.Proto {
	case protoTCP:
		class = 0
		if tcpFlags&tcpFlagFIN != 0 {
			if fromA {
				en.finA = true
			} else {
				en.finB = true
			}
		}
		if tcpFlags&tcpFlagRST != 0 || en.finA && en.finB {
			en.closing = true
		}
		if en.closing {
			class = 3
		}
	case protoUDP:
		class = 1
	}
	en.expire = now + t.timeouts[class]
}

// find returns the index slot and entry number of k, or -1, -1.
func (t *Table) find(k *hashing.Key, h uint64) (slot int, e int32) {
	mask := len(t.slots) - 1
	tag := uint32(h >> 32)
	for i := int(h) & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			return -1, -1
		}
		if uint32(s>>32) != tag {
			continue
		}
		e := int32(uint32(s)) - 1
		if t.ents[e].key == *k {
			return i, e
		}
	}
}

// sweep advances the CLOCK hand over up to n entries, removing expired
// flows.
func (t *Table) sweep(now int64, n int) {
	for range n {
		en := &t.ents[t.hand]
		if en.used && en.expire <= now {
			t.remove(int(en.slot))
			t.stats.Expirations++
		}
		t.hand++
		if t.hand == len(t.ents) {
			t.hand = 0
		}
	}
}

// evict removes one flow to make room: the first one past the hand that is
// expired or has not been seen since the hand last passed.
func (t *Table) evict(now int64) {
	for range 2*len(t.ents) + 1 {
		en := &t.ents[t.hand]
		t.hand++
		if t.hand == len(t.ents) {
			t.hand = 0
		}
		switch {
		case !en.used:
			continue
		case en.expire <= now:
			t.stats.Expirations++
		case en.ref:
			en.ref = false
			continue
		default:
			t.stats.Evictions++
		}
		t.remove(int(en.slot))
		return
	}
}

// remove deletes the entry of index slot i, closing the gap by shifting
// later entries of the probe run back (no tombstones), and frees the entry.
func (t *Table) remove(i int) {
	e := int32(uint32(t.slots[i])) - 1
	en := &t.ents[e]
	en.used = false
	en.slot = t.free
	t.free = e + 1
	t.n--
	mask := len(t.slots) - 1
	for {
		t.slots[i] = 0
		j := i
		for {
			j = (j + 1) & mask
			s := t.slots[j]
			if s == 0 {
				return
			}
			m := int32(uint32(s)) - 1
			home := int(t.ents[m].hash) & mask
			// Leave the slot where it is when its home lies cyclically
			// in (i, j]; else it may move back into the hole at i.
			if (i < j && (home <= i || home > j)) || (i > j && home <= i && home > j) {
				t.slots[i] = s
				t.ents[m].slot = int32(i)
				i = j
				break
			}
		}
	}
}

// resize grows the entry array to n entries and rebuilds the index with
// at least twice as many slots.
func (t *Table) resize(n int) {
	old := t.ents
	t.ents = make([]entry, n)
	copy(t.ents, old)
	size := 1
	for size < 2*n {
		size <<= 1
	}
	t.slots = make([]uint64, size)
	mask := size - 1
	t.free = 0
	for e := n - 1; e >= 0; e-- {
		en := &t.ents[e]
		if !en.used {
			en.slot = t.free
			t.free = int32(e + 1)
			continue
		}
		i := int(en.hash) & mask
		for t.slots[i] != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = en.hash>>32<<32 | uint64(e+1)
		en.slot = int32(i)
	}
}
