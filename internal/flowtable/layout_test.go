package flowtable

import (
	"runtime"
	"testing"
	"time"

	"github.com/flowsplit/flowsplit/hashing"
)

// checkLayout fails t unless every flow of tb is reachable from its home
// slot (no empty slot between them) and Len counts the used slots.
func checkLayout(t *testing.T, tb *Table) {
	t.Helper()
	n, used := len(tb.slots), 0
	for i := range tb.slots {
		en := &tb.slots[i]
		if en.flags&flagUsed == 0 {
			continue
		}
		used++
		for j := home(en.hash, n); j != i; j = (j + 1) % n {
			if tb.slots[j].flags&flagUsed == 0 {
				t.Fatalf("slot %d: flow homed at %d behind empty slot %d", i, home(en.hash, n), j)
			}
		}
		if find(tb.slots, &en.key, en.hash) != i {
			t.Fatalf("slot %d: flow not found", i)
		}
	}
	if used != tb.Len() {
		t.Fatalf("%d used slots, Len %d", used, tb.Len())
	}
}

// keysHomedAt returns count keys (protocol proto) whose home slot among n
// slots is at.
func keysHomedAt(at, n, count int, proto uint8) []hashing.Key {
	var ks []hashing.Key
	for i := uint32(1 << 20); len(ks) < count; i++ {
		if k := key(i, proto); home(k.Hash(), n) == at {
			ks = append(ks, k)
		}
	}
	return ks
}

// TestDeleteWrapAround: removing flows from a probe run that wraps from
// the last slot to the first shifts the rest back across the end, and
// every remaining flow stays reachable.
func TestDeleteWrapAround(t *testing.T) {
	tb := newTable(t, Config{MaxFlows: 12})
	n := len(tb.slots)
	// UDP flows (1 min) homed at the last two slots, TCP flows (5 min)
	// homed at the last slot and slot 0, interleaved: the run wraps.
	var udp, tcp []hashing.Key
	udp = append(keysHomedAt(n-2, n, 2, 17), keysHomedAt(n-1, n, 2, 17)...)
	tcp = append(keysHomedAt(n-1, n, 2, 6), keysHomedAt(0, n, 2, 6)...)
	for i := range 4 {
		tb.Insert(&udp[i], udp[i].Hash(), 0, 0, true, i)
		tb.Insert(&tcp[i], tcp[i].Hash(), 0, 0, true, 4+i)
	}
	checkLayout(t, tb)
	if tb.slots[0].flags&flagUsed == 0 || tb.slots[1].flags&flagUsed == 0 {
		t.Fatal("the probe run does not wrap around")
	}
	// The UDP flows expire: looking them up removes them one by one.
	for i := range udp {
		if _, ok := tb.Lookup(&udp[i], udp[i].Hash(), int64(2*time.Minute), 0, true); ok {
			t.Fatalf("udp flow %d outlived its timeout", i)
		}
		checkLayout(t, tb)
	}
	for i := range tcp {
		if out, ok := tb.Lookup(&tcp[i], tcp[i].Hash(), int64(2*time.Minute), 0, true); !ok || out != 4+i {
			t.Errorf("tcp flow %d: %d, %v; want %d, true", i, out, ok, 4+i)
		}
	}
	if st := tb.Stats(); st.Expirations != 4 || st.Flows != 4 {
		t.Errorf("stats %+v, want 4 expirations, 4 flows", st)
	}
}

// TestInsertReusesExpired: a new flow takes the slot of an expired flow on
// its probe run, without growing or evicting.
func TestInsertReusesExpired(t *testing.T) {
	tb := newTable(t, Config{MaxFlows: 8})
	n := len(tb.slots)
	ks := keysHomedAt(3, n, 3, 17)
	tb.Insert(&ks[0], ks[0].Hash(), 0, 0, true, 0)
	tb.Insert(&ks[1], ks[1].Hash(), 30*sec, 0, true, 1)
	tb.Insert(&ks[2], ks[2].Hash(), 70*sec, 0, true, 2) // ks[0] expired at 60 s
	if tb.slots[3].key != ks[2] {
		t.Errorf("new flow not in the expired flow's slot")
	}
	if st := tb.Stats(); st.Expirations != 1 || st.Flows != 2 || st.Evictions != 0 {
		t.Errorf("stats %+v, want 1 expiration, 2 flows", st)
	}
	checkLayout(t, tb)
}

const ms = int64(time.Millisecond)

// TestEvictLeastRecentNearby: at MaxFlows an Insert evicts exactly the
// least recently seen of the evictWindow flows stored from the new flow's
// home slot on, and nothing else.
func TestEvictLeastRecentNearby(t *testing.T) {
	const max = 1000
	tb := newTable(t, Config{MaxFlows: max})
	for i := range uint32(max) {
		k := key(i, 6)
		tb.Insert(&k, k.Hash(), int64(i)*ms, 0, true, 0)
	}
	// Refresh the odd flows, so that recency is not insertion order.
	for i := uint32(1); i < max; i += 2 {
		k := key(i, 6)
		tb.Lookup(&k, k.Hash(), int64(2000+i)*ms, 0, true)
	}
	for j := range uint32(200) {
		k := key(1<<20+j, 6)
		h := k.Hash()
		// The expected victim, from the slots as they are.
		n := len(tb.slots)
		want, oldest := hashing.Key{}, int64(1<<62)
		for i, seen := home(h, n), 0; seen < evictWindow; i = (i + 1) % n {
			if en := &tb.slots[i]; en.flags&flagUsed != 0 {
				if last := tb.lastSeen(en); last < oldest {
					want, oldest = en.key, last
				}
				seen++
			}
		}
		before := tb.Stats().Evictions
		tb.Insert(&k, h, 4000*ms, 0, true, 1)
		if tb.Stats().Evictions != before+1 || tb.Len() != max {
			t.Fatalf("insert %d: %+v, want one more eviction and %d flows", j, tb.Stats(), max)
		}
		if find(tb.slots, &want, want.Hash()) >= 0 {
			t.Fatalf("insert %d: flow %v (last seen %d ms) not evicted", j, want.A, oldest/ms)
		}
	}
	checkLayout(t, tb)
}

// TestResize: growing from the starting size up to MaxFlows, past the
// size where the slots move into a huge page mapping, keeps every flow.
func TestResize(t *testing.T) {
	for _, huge := range []bool{true, false} {
		useHugePages = huge
		tb := newTable(t, Config{MaxFlows: 100_000})
		sizes := map[int]bool{}
		for i := range uint32(100_000) {
			k := key(i, 6)
			tb.Insert(&k, k.Hash(), sec, 0, true, int(i%13))
			sizes[len(tb.slots)] = true
		}
		if len(sizes) < 5 {
			t.Errorf("huge %v: %d sizes, want growth by doubling", huge, len(sizes))
		}
		for i := range uint32(100_000) {
			k := key(i, 6)
			if out, ok := tb.Lookup(&k, k.Hash(), 2*sec, 0, true); !ok || out != int(i%13) {
				t.Fatalf("huge %v: flow %d: %d, %v", huge, i, out, ok)
			}
		}
		checkLayout(t, tb)
		mapped := tb.mem.m != nil
		if want := huge && runtime.GOOS == "linux"; mapped != want {
			t.Errorf("huge %v: slots mapped %v, want %v", huge, mapped, want)
		}
		tb.Close()
	}
	useHugePages = true
}

// TestClose: Close unmaps the slots at once; a second Close is a no-op.
func TestClose(t *testing.T) {
	tb := newTable(t, Config{MaxFlows: 50_000})
	for i := range uint32(50_000) {
		k := key(i, 17)
		tb.Insert(&k, k.Hash(), 0, 0, true, 0)
	}
	s := tb.mem
	if s.m == nil && runtime.GOOS == "linux" {
		t.Fatal("a 50,000-flow table is not mapped")
	}
	tb.Close()
	if s.m != nil {
		t.Error("Close left the mapping")
	}
	tb.Close()
	defer func() {
		if recover() == nil {
			t.Error("Lookup after Close did not panic")
		}
	}()
	k := key(1, 17)
	tb.Lookup(&k, k.Hash(), 0, 0, true)
}

// TestCleanupUnmaps: a table nobody holds has its mapping released by
// the garbage collector.
func TestCleanupUnmaps(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("no mapping off Linux")
	}
	s := func() *store {
		tb := newTable(t, Config{MaxFlows: 50_000})
		for i := range uint32(50_000) {
			k := key(i, 17)
			tb.Insert(&k, k.Hash(), 0, 0, true, 0)
		}
		return tb.mem
	}()
	if s.m == nil {
		t.Fatal("a 50,000-flow table is not mapped")
	}
	for range 100 {
		runtime.GC()
		if s.m == nil {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Error("the mapping of an unreachable table was not released")
}

// TestProbeLengths: probe runs stay near linear probing's figures at load
// 3/4 (2.5 slots per hit, 8.5 per miss) when the table is full, and stay
// there under churn at MaxFlows (evictions must not crowd a stretch of the
// table).
func TestProbeLengths(t *testing.T) {
	const flows = 1 << 16
	tb := newTable(t, Config{MaxFlows: flows})
	i := uint32(0)
	insert := func(count int) {
		for range count {
			k := key(i, 17)
			i++
			tb.Insert(&k, k.Hash(), int64(i)*1000, 0, true, 0)
		}
	}
	insert(flows)
	for round := range 5 {
		hit, longest, miss := tb.probeStats()
		t.Logf("after %d flows: load %.3f, %.2f slots per hit (longest displacement %d), %.2f per miss",
			i, float64(tb.Len())/float64(len(tb.slots)), hit, longest, miss)
		if hit > 3 || miss > 12 {
			t.Errorf("round %d: %.2f slots per hit, %.2f per miss; want about 2.5 and 8.5", round, hit, miss)
		}
		insert(flows)
	}
	checkLayout(t, tb)
}
