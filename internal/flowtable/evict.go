package flowtable

// Flows leave the table in three places, all local to where they are
// stored, so that the density of used slots stays uniform (an eviction
// hand going round a hashed table would leave the slots just behind it
// sparse and those ahead of it crowded, and linear probing degrades fast
// in a crowded stretch):
//
//   - Lookup removes the expired flow it finds, and Insert reuses the slot
//     of the first expired flow on the new flow's probe run;
//   - the sweep hand removes expired flows that nobody looks up any more,
//     a few slots on every Insert;
//   - at MaxFlows, Insert evicts the least recently seen of the evictWindow
//     flows stored from the new flow's home slot on (a sampled LRU, like a
//     set-associative cache: the lines it reads are those the miss that
//     preceded the Insert has just read).

// sweepPerInsert is how many slots the sweep hand inspects for expired
// flows on every Insert: the table is swept once per len(slots)/sweep
// new flows.
const sweepPerInsert = 4

// evictWindow is how many flows an eviction chooses from.
const evictWindow = 8

// sweep advances the sweep hand over up to n slots, removing expired
// flows.
func (t *Table) sweep(now int64, n int) {
	slots := t.slots
	i := t.sweepHand
	for range n {
		en := &slots[i]
		if en.flags&flagUsed != 0 && en.expire <= now {
			t.removeAt(i)
			t.stats.Expirations++
			continue // a later flow may have shifted into slot i
		}
		if i++; i == len(slots) {
			i = 0
		}
	}
	t.sweepHand = i
}

// expiredOnRun returns the first slot of the probe run from h's home slot
// (up to the first empty slot) that holds an expired flow, or -1. A new
// flow of hash h may take that slot: it is reachable from its home.
func expiredOnRun(slots []entry, h uint64, now int64) int {
	n := len(slots)
	for i := home(h, n); ; {
		en := &slots[i]
		if en.flags&flagUsed == 0 {
			return -1
		}
		if en.expire <= now {
			return i
		}
		if i++; i == n {
			i = 0
		}
	}
}

// evict removes the least recently seen of the evictWindow flows stored at
// and after the home slot of h (the first of them on a tie). The table
// must hold a flow.
func (t *Table) evict(h uint64) {
	slots := t.slots
	n := len(slots)
	victim, oldest := -1, int64(0)
	i := home(h, n)
	for seen := 0; seen < evictWindow && seen < t.n; {
		en := &slots[i]
		if en.flags&flagUsed != 0 {
			if last := t.lastSeen(en); victim < 0 || last < oldest {
				victim, oldest = i, last
			}
			seen++
		}
		if i++; i == n {
			i = 0
		}
	}
	t.removeAt(victim)
	t.stats.Evictions++
}
