package flowtable

import (
	"hash/maphash"
	"runtime"
)

// TCP flags that end a connection, and the protocols with their own
// timeouts.
const (
	tcpFlagFIN = 0x01
	tcpFlagRST = 0x04
	protoTCP   = 6
	protoUDP   = 17
)

// initialFlows is the table's starting capacity; it grows fourfold
// (growth) up to MaxFlows.
const initialFlows = 1024

// resizeAhead is how many old buckets ahead resize prefetches the new
// buckets of the entries it will move.
const resizeAhead = 4

// growth is the factor by which the table grows when it is full.
const growth = 4

// Table maps live flows to outputs. See the package documentation.
type Table struct {
	cfg      Config
	buckets  []bucket // len bucketsFor(capacity)
	capacity int      // flows held before the table grows (or evicts, at MaxFlows)
	n        int
	seed     maphash.Seed
	mem      *store // owner of buckets' memory when mapped
	cleanup  runtime.Cleanup

	sweepHand int // next bucket the sweep inspects

	timeouts [4]uint32 // in ticks, by class: tcp, udp, other, closing
	stats    Stats
	moves    uint64 // flows relocated to their other bucket (for tests)
}

// Stats are a Table's counters.
type Stats struct {
	// Flows is the number of flows in the table now (expired flows not yet
	// swept included).
	Flows int
	// Evictions counts flows evicted for room (at MaxFlows, or, rarely,
	// when both buckets of a new flow and the other buckets of their flows
	// are full); Expirations those removed after their timeout.
	Evictions, Expirations uint64
}

// New returns an empty table for c (after WithDefaults). Its memory is
// released when the table becomes unreachable, or by Close.
func New(c Config) (*Table, error) {
	c = c.WithDefaults()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	t := &Table{cfg: c, mem: &store{}, seed: maphash.MakeSeed()}
	t.timeouts = [4]uint32{
		ticksFor(int64(c.TCPTimeout)), ticksFor(int64(c.UDPTimeout)),
		ticksFor(int64(c.OtherTimeout)), ticksFor(int64(c.CloseGrace)),
	}
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
	t.buckets, t.capacity, t.n = nil, 0, 0
}

// Stats returns the table's counters.
func (t *Table) Stats() Stats {
	s := t.stats
	s.Flows = t.n
	return s
}

// Len returns the number of flows in the table.
func (t *Table) Len() int { return t.n }

// Lookup returns the output of the flow of fingerprint h (from Hash) and
// true, and refreshes the flow with a packet seen at capture time now
// (nanoseconds) carrying tcpFlags (0 for non-TCP), sent by endpoint A of
// the flow's key when fromA. It returns false when the flow is absent or
// expired (an expired flow is removed and counted). It reads at most two
// cache lines.
func (t *Table) Lookup(h uint64, now int64, tcpFlags uint8, fromA bool) (out int, ok bool) {
	i, j := pair(h, len(t.buckets))
	en := t.buckets[i].find(h)
	if en == nil {
		if en = t.buckets[j].find(h); en == nil {
			return 0, false
		}
	}
	tk := tick(now)
	if t.expired(en, tk) {
		*en = entry{}
		t.n--
		t.stats.Expirations++
		return 0, false
	}
	t.refresh(en, tk, tcpFlags, fromA)
	out = int(en.out)
	runtime.KeepAlive(t) // the cleanup must not unmap en's memory yet
	return out, true
}

// Insert adds the flow of fingerprint h (absent: call Lookup first) with
// IP protocol proto and output out, seen at capture time now with
// tcpFlags, sent by endpoint A when fromA. Below the capacity it takes a
// free slot of one of its two buckets (or the slot of an expired flow
// there); at MaxFlows it first evicts the least recently seen flow of the
// two buckets (see evict.go).
func (t *Table) Insert(h uint64, proto uint8, now int64, tcpFlags uint8, fromA bool, out int) {
	tk := tick(now)
	t.sweep(tk)
	if t.n >= t.capacity && t.capacity < t.cfg.MaxFlows {
		t.resize(min(growth*t.capacity, t.cfg.MaxFlows))
	}
	i, j := pair(h, len(t.buckets))
	var en *entry
	if t.n < t.capacity {
		en = t.vacancy(i, j, tk)
		if en == nil && t.capacity < t.cfg.MaxFlows {
			// No room in two full neighbourhoods: grow early
			// rather than evict below MaxFlows.
			t.resize(min(growth*t.capacity, t.cfg.MaxFlows))
			i, j = pair(h, len(t.buckets))
			en = t.vacancy(i, j, tk)
		}
	} else {
		en = t.expiredIn(i, j, tk)
	}
	if en == nil {
		en = t.evict(i, j, tk)
	}
	*en = entry{fp: h, out: uint16(out), flags: classOf(proto)}
	t.refresh(en, tk, tcpFlags, fromA)
	t.n++
	runtime.KeepAlive(t)
}

// classOf returns the timeout class of IP protocol proto.
func classOf(proto uint8) uint8 {
	switch proto {
	case protoTCP:
		return classTCP
	case protoUDP:
		return classUDP
	}
	return classOther
}

// refresh records a packet of en at tick now. A TCP flow is closing after
// a RST, or a FIN from each side (a half-closed connection may go on).
func (t *Table) refresh(en *entry, now uint32, tcpFlags uint8, fromA bool) {
	if en.flags&classMask == classTCP && tcpFlags&(tcpFlagFIN|tcpFlagRST) != 0 {
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
	if en.last != now { // a flow busy within one tick leaves its line clean
		en.last = now
	}
}

// timeout returns en's idle timeout in ticks.
func (t *Table) timeout(en *entry) uint32 {
	if en.flags&flagClosing != 0 {
		return t.timeouts[3]
	}
	return t.timeouts[en.flags&classMask]
}

// expired reports whether used entry en has been idle for its timeout at
// tick now.
func (t *Table) expired(en *entry, now uint32) bool {
	return age(en, now) >= t.timeout(en)
}

// resize gives the table room for capacity flows: a new bucket array into
// which every flow is placed again by its fingerprint (keeping its output,
// last packet time and flags). The sweep hand keeps its relative
// position.
func (t *Table) resize(capacity int) {
	old := t.buckets
	buckets, m := allocBuckets(bucketsFor(capacity))
	t.buckets, t.capacity = buckets, capacity
	for bi := range old {
		// The old buckets are read in order, the new ones written at
		// random: their lines are loaded resizeAhead buckets early, so
		// that the misses overlap (a resize to a million flows is several
		// times faster).
		if ahead := bi + resizeAhead; ahead < len(old) {
			for si := range old[ahead] {
				if fp := old[ahead][si].fp; fp != 0 {
					t.Prefetch(fp)
				}
			}
		}
		for si := range old[bi] {
			if en := &old[bi][si]; en.fp != 0 {
				i, j := pair(en.fp, len(buckets))
				dst := t.empty(i, j)
				if dst == nil {
					dst = t.relocate(i, j)
				}
				if dst == nil { // both buckets full even at half the load: practically never
					t.n--
					t.stats.Evictions++
					continue
				}
				*dst = *en
			}
		}
	}
	if len(old) > 0 {
		t.sweepHand = t.sweepHand * len(buckets) / len(old)
	}
	t.mem.swap(m)
}
