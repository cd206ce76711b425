package flowtable

import (
	"runtime"

	"github.com/flowsplit/flowsplit/hashing"
)

// TCP flags that end a connection.
const (
	tcpFlagFIN = 0x01
	tcpFlagRST = 0x04
	protoTCP   = 6
	protoUDP   = 17
)

// initialFlows is the table's starting capacity; it doubles up to
// MaxFlows.
const initialFlows = 1024

// Table maps live flows to outputs. See the package documentation.
type Table struct {
	cfg      Config
	slots    []entry // len slotsFor(capacity)
	capacity int     // flows held before the table grows (or evicts, at MaxFlows)
	n        int
	mem      *store // owner of slots' memory when mapped
	cleanup  runtime.Cleanup

	sweepHand int

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

// New returns an empty table for c (after WithDefaults). Its memory is
// released when the table becomes unreachable, or by Close.
func New(c Config) (*Table, error) {
	c = c.WithDefaults()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	t := &Table{cfg: c, mem: &store{}}
	t.timeouts = [4]int64{int64(c.TCPTimeout), int64(c.UDPTimeout), int64(c.OtherTimeout), int64(c.CloseGrace)}
	t.cleanup = runtime.AddCleanup(t, (*store).release, t.mem)
	t.resize(min(initialFlows, c.MaxFlows))
	return t, nil
}

// Close releases the table's memory now rather than when the table is
// collected. The table must not be used afterwards (it panics). Closing
// twice is a no-op.
func (t *Table) Close() {
	t.cleanup.Stop()
	t.mem.release()
	t.slots, t.capacity, t.n = nil, 0, 0
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
	i := find(t.slots, k, h)
	if i < 0 {
		return 0, false
	}
	en := &t.slots[i]
	if en.expire <= now {
		t.removeAt(i)
		t.stats.Expirations++
		return 0, false
	}
	t.refresh(en, now, tcpFlags, fromA)
	out = int(en.out)
	runtime.KeepAlive(t) // the cleanup must not unmap en's memory yet
	return out, true
}

// Insert adds flow k (absent: call Lookup first) with output out, seen at
// capture time now with tcpFlags. It takes the slot of an expired flow on
// k's probe run if there is one; else, at MaxFlows, it first evicts the
// least recently seen of a few flows stored near k's home slot (see
// evict.go).
func (t *Table) Insert(k *hashing.Key, h uint64, now int64, tcpFlags uint8, fromA bool, out int) {
	t.sweep(now, sweepPerInsert)
	i := expiredOnRun(t.slots, h, now)
	switch {
	case i >= 0:
		t.stats.Expirations++
		t.n--
	case t.n < t.capacity:
		i = place(t.slots, h)
	case t.capacity < t.cfg.MaxFlows:
		t.resize(min(2*t.capacity, t.cfg.MaxFlows))
		i = place(t.slots, h)
	default:
		t.evict(h)
		i = place(t.slots, h)
	}
	en := &t.slots[i]
	*en = entry{key: *k, out: uint16(out), flags: flagUsed, hash: h}
	t.refresh(en, now, tcpFlags, fromA)
	t.n++
	runtime.KeepAlive(t)
}

// refresh records a packet of en at now. A TCP flow is closing after a
// RST, or a FIN from each side (a half-closed connection may go on).
func (t *Table) refresh(en *entry, now int64, tcpFlags uint8, fromA bool) {
	if en.key.Proto == protoTCP {
		if tcpFlags&tcpFlagFIN != 0 {
			if fromA {
				en.flags |= flagFinA
			} else {
				en.flags |= flagFinB
			}
		}
		if tcpFlags&tcpFlagRST != 0 || en.flags&(flagFinA|flagFinB) == flagFinA|flagFinB {
			en.flags |= flagClosing
		}
	}
	en.expire = now + t.timeouts[class(en)]
}

// class returns the timeout class of en: 0 TCP, 1 UDP, 2 other, 3 closing
// TCP.
func class(en *entry) int {
	switch en.key.Proto {
	case protoTCP:
		if en.flags&flagClosing != 0 {
			return 3
		}
		return 0
	case protoUDP:
		return 1
	}
	return 2
}

// lastSeen returns the capture time of en's last packet.
func (t *Table) lastSeen(en *entry) int64 {
	return en.expire - t.timeouts[class(en)]
}

// removeAt removes the flow in slot i.
func (t *Table) removeAt(i int) {
	remove(t.slots, i)
	t.n--
}

// resize gives the table room for capacity flows: a new slot array into
// which every flow is rehashed (keeping its expiry and flags). The sweep
// hand keeps its relative position.
func (t *Table) resize(capacity int) {
	old := t.slots
	slots, m := allocSlots(slotsFor(capacity))
	for i := range old {
		if en := &old[i]; en.flags&flagUsed != 0 {
			slots[place(slots, en.hash)] = *en
		}
	}
	if len(old) > 0 {
		t.sweepHand = t.sweepHand * len(slots) / len(old)
	}
	t.slots, t.capacity = slots, capacity
	t.mem.swap(m)
}
