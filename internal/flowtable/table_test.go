package flowtable

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/flowsplit/flowsplit/hashing"
)

// key returns a distinct flow key for i with protocol proto.
func key(i uint32, proto uint8) hashing.Key {
	var k hashing.Key
	binary.BigEndian.PutUint32(k.A[:], 0x0a000000|i)
	binary.BigEndian.PutUint32(k.B[:], 0xc0a80001)
	k.PortA, k.PortB, k.Proto, k.Family = 40000, 443, proto, 4
	return k
}

func newTable(t testing.TB, c Config) *Table {
	t.Helper()
	tb, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

const sec = int64(time.Second)

// lookup is tb.Lookup of flow k.
func lookup(tb *Table, k *hashing.Key, now int64, tcpFlags uint8, fromA bool) (int, bool) {
	return tb.Lookup(tb.Hash(k), now, tcpFlags, fromA)
}

// insert is tb.Insert of flow k.
func insert(tb *Table, k *hashing.Key, now int64, tcpFlags uint8, fromA bool, out int) {
	tb.Insert(tb.Hash(k), k.Proto, now, tcpFlags, fromA, out)
}

func TestSticky(t *testing.T) {
	tb := newTable(t, Config{MaxFlows: 5000})
	for i := range uint32(3000) {
		k := key(i, 6)
		if _, ok := lookup(tb, &k, 1*sec, 0, true); ok {
			t.Fatalf("flow %d found before insert", i)
		}
		insert(tb, &k, 1*sec, 0, true, int(i%7))
	}
	for i := range uint32(3000) {
		k := key(i, 6)
		out, ok := lookup(tb, &k, 2*sec, 0, true)
		if !ok || out != int(i%7) {
			t.Fatalf("flow %d: got %d, %v; want %d, true", i, out, ok, i%7)
		}
	}
	if tb.Len() != 3000 {
		t.Errorf("Len = %d, want 3000", tb.Len())
	}
}

func TestExpiry(t *testing.T) {
	tb := newTable(t, Config{MaxFlows: 100})
	tcp, udp, icmp, fin, half, rst := key(1, 6), key(2, 17), key(3, 1), key(4, 6), key(5, 6), key(6, 6)
	for i, k := range []hashing.Key{tcp, udp, icmp, fin, half, rst} {
		insert(tb, &k, 0, 0, true, i)
	}
	// A FIN from each side, or a RST, moves the flow to the close grace
	// (5 s from its last packet); one FIN (half-closed) does not.
	for _, p := range []struct {
		k     hashing.Key
		flags uint8
		fromA bool
		at    int64
	}{
		{fin, tcpFlagFIN | 0x10, true, 10 * sec},
		{fin, tcpFlagFIN | 0x10, false, 11 * sec},
		{half, tcpFlagFIN | 0x10, false, 11 * sec},
		{rst, tcpFlagRST, false, 11 * sec},
	} {
		if _, ok := lookup(tb, &p.k, p.at, p.flags, p.fromA); !ok {
			t.Fatalf("flow %v lost before its FIN/RST", p.k.A)
		}
	}
	cases := []struct {
		name string
		k    hashing.Key
		at   int64
		want bool
	}{
		{"fin within grace", fin, 15 * sec, true},                                // refreshed: now lives to 20 s
		{"fin after grace", fin, 21 * sec, false},                                // 20 s passed
		{"rst after grace", rst, 17 * sec, false},                                // 16 s passed
		{"half-closed lives on", half, 200 * sec, true},                          // TCP idle timeout
		{"udp within 1m", udp, 59 * sec, true},                                   // lives to 119 s
		{"icmp after 1m", icmp, 61 * sec, false},                                 // never refreshed
		{"udp after 1m idle", udp, 59*sec + 60*sec + 3*ms, false},                // idle 60 s (and two ticks)
		{"tcp within 5m", tcp, 299 * sec, true},                                  // lives to 599 s
		{"tcp after 5m idle", tcp, 299*sec + int64(5*time.Minute) + 3*ms, false}, // idle 5 m
	}
	for _, c := range cases {
		_, ok := lookup(tb, &c.k, c.at, 0, true)
		if ok != c.want {
			t.Errorf("%s: found = %v, want %v", c.name, ok, c.want)
		}
	}
	if st := tb.Stats(); st.Expirations != 5 || st.Flows != 1 {
		t.Errorf("stats = %+v, want 5 expirations, 1 flow", st)
	}
}

// TestSweepExpires: flows nobody looks up again are removed by the hand
// as new flows arrive, so dead flows do not fill the table.
func TestSweepExpires(t *testing.T) {
	tb := newTable(t, Config{MaxFlows: 1024})
	for i := range uint32(1000) {
		k := key(i, 17)
		insert(tb, &k, 0, 0, true, 0)
	}
	for i := range uint32(1000) {
		k := key(100000+i, 17)
		insert(tb, &k, 120*sec, 0, true, 0)
	}
	st := tb.Stats()
	if st.Evictions != 0 || st.Expirations < 900 {
		t.Errorf("stats = %+v, want the old flows expired, none evicted", st)
	}
}

// TestEvictAtCap: at MaxFlows a new flow evicts the least recently seen
// flow of its two buckets, never a more recently seen one. With MaxFlows 6
// the table has two buckets, so that is the least recently seen flow of
// the table.
func TestEvictAtCap(t *testing.T) {
	const max = 6
	tb := newTable(t, Config{MaxFlows: max})
	if len(tb.buckets) != 2 {
		t.Fatalf("%d buckets, want 2", len(tb.buckets))
	}
	for i := range uint32(max) {
		k := key(i, 6)
		insert(tb, &k, sec, 0, true, 0)
	}
	// Flows 0..4 are seen again; flow 5 is the least recently seen.
	for i := range uint32(max - 1) {
		k := key(i, 6)
		lookup(tb, &k, 2*sec, 0, true)
	}
	k := key(100, 6)
	insert(tb, &k, 3*sec, 0, true, 1)
	if tb.Len() != max {
		t.Fatalf("Len = %d after eviction, want %d", tb.Len(), max)
	}
	if st := tb.Stats(); st.Evictions != 1 {
		t.Errorf("evictions = %d, want 1", st.Evictions)
	}
	old := key(max-1, 6)
	if _, ok := lookup(tb, &old, 3*sec, 0, true); ok {
		t.Error("least recently seen flow not evicted")
	}
	for i := range uint32(max - 1) {
		k := key(i, 6)
		if _, ok := lookup(tb, &k, 3*sec, 0, true); !ok {
			t.Errorf("recently seen flow %d evicted", i)
		}
	}
}

// TestModel drives random inserts, lookups and expiries against a map and
// checks that the table agrees (this exercises growth, relocation and
// expiry), with the buckets in a huge page mapping and on the Go heap.
func TestModel(t *testing.T) {
	for _, huge := range []bool{true, false} {
		t.Run(map[bool]string{true: "mapped", false: "heap"}[huge], func(t *testing.T) {
			useHugePages = huge
			defer func() { useHugePages = true }()
			testModel(t)
		})
	}
}

func testModel(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	tb := newTable(t, Config{MaxFlows: 1 << 20, UDPTimeout: 10 * time.Second})
	type val struct {
		out    int
		expire int64
	}
	model := map[uint32]val{}
	now := int64(0)
	for range 200000 {
		now += int64(r.UintN(uint(sec / 100)))
		i := r.Uint32N(20000)
		k := key(i, 17)
		out, ok := lookup(tb, &k, now, 0, true)
		m, mok := model[i]
		// The table keeps time in ticks: a flow may outlive its
		// expiry by up to two ticks, never the other way.
		fuzzy := mok && now >= m.expire && now-m.expire <= 2<<tickShift
		mok = mok && m.expire > now
		if fuzzy {
			mok = ok
		}
		if ok != mok || (ok && out != m.out) {
			t.Fatalf("flow %d at %d: table %d,%v model %+v,%v", i, now, out, ok, m, mok)
		}
		if !ok {
			o := int(r.UintN(16))
			insert(tb, &k, now, 0, true, o)
			model[i] = val{o, now + 10*sec}
			continue
		}
		model[i] = val{m.out, now + 10*sec}
	}
}

func TestNoAllocs(t *testing.T) {
	tb := newTable(t, Config{MaxFlows: 4096})
	keys := make([]hashing.Key, 10000)
	for i := range keys {
		keys[i] = key(uint32(i), 6)
	}
	i := 0
	now := int64(0)
	step := func() {
		k := &keys[i%len(keys)]
		i++
		now += 1000
		h := tb.Hash(k)
		if _, ok := tb.Lookup(h, now, 0, true); !ok {
			tb.Insert(h, k.Proto, now, 0, true, i&7)
		}
	}
	for range 20000 { // reach the working size (and the cap)
		step()
	}
	if n := testing.AllocsPerRun(10000, step); n != 0 {
		t.Errorf("Lookup+Insert at steady state: %v allocations per packet", n)
	}
	if tb.Stats().Evictions == 0 {
		t.Error("the run never evicted: the cap was not exercised")
	}
}

// BenchmarkLookup1M looks up random flows in a table holding 1M live
// flows: the cost per packet of the lfu mode's table at scale.
func BenchmarkLookup1M(b *testing.B) {
	const flows = 1 << 20
	tb := newTable(b, Config{MaxFlows: flows})
	hashes := make([]uint64, flows)
	for i := range hashes {
		k := key(uint32(i), 6)
		hashes[i] = tb.Hash(&k)
		tb.Insert(hashes[i], k.Proto, 0, 0, true, i&7)
	}
	r := rand.New(rand.NewPCG(1, 1))
	idx := make([]uint32, 1<<16)
	for i := range idx {
		idx[i] = r.Uint32N(flows)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		j := idx[i&(len(idx)-1)]
		i++
		if _, ok := tb.Lookup(hashes[j], 1, 0, true); !ok {
			b.Fatal("flow lost")
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds()/1e6, "Mpps")
}

// BenchmarkChurn1M inserts new flows into a full 1M-flow table: each
// insert evicts one.
func BenchmarkChurn1M(b *testing.B) {
	const flows = 1 << 20
	tb := newTable(b, Config{MaxFlows: flows})
	var k hashing.Key
	i := uint32(0)
	b.ReportAllocs()
	for b.Loop() {
		k = key(i, 17)
		i++
		h := tb.Hash(&k)
		if _, ok := tb.Lookup(h, 1, 0, true); !ok {
			tb.Insert(h, k.Proto, 1, 0, true, 0)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds()/1e6, "Mpps")
}
