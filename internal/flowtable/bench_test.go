package flowtable

import (
	"math/rand/v2"
	"testing"

	"github.com/flowsplit/flowsplit/hashing"
)

// probeSeq is a sequence of lookups laid out in the order they are made,
// as an engine has each packet's key at hand when it looks the flow up:
// reading the sequence streams through memory, so that the benchmark
// measures the table's misses and not its own.
type probeSeq struct {
	keys []hashing.Key
}

// fullTable returns a table holding flows flows, key(0..flows-1), TCP, at
// capture time 0.
func fullTable(b *testing.B, flows int) *Table {
	tb := newTable(b, Config{MaxFlows: flows})
	for i := range uint32(flows) {
		k := key(i, 6)
		tb.Insert(tb.Hash(&k), k.Proto, 0, 0, true, int(i&7))
	}
	return tb
}

// newProbeSeq returns n lookups of the flows pick chooses.
func newProbeSeq(n int, pick func() uint32) probeSeq {
	s := probeSeq{make([]hashing.Key, n)}
	for i := range n {
		s.keys[i] = key(pick(), 6)
	}
	return s
}

// benchSeq looks up s over and over in tb, one packet per iteration.
func benchSeq(b *testing.B, tb *Table, s probeSeq) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, ok := tb.Lookup(tb.Hash(&s.keys[i]), 1, 0, true); !ok {
			b.Fatal("flow lost")
		}
		if i++; i == len(s.keys) {
			i = 0
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds()/1e6, "Mpps")
}

// BenchmarkLookup1MUniform looks up uniformly random flows of a table of
// 1M live flows, each flow about once per million lookups: the worst case,
// where nearly every lookup misses the CPU caches (BenchmarkLookup1M
// cycles through 65,536 flows, whose lines stay in a large L3).
func BenchmarkLookup1MUniform(b *testing.B) {
	const flows = 1 << 20
	tb := fullTable(b, flows)
	r := rand.New(rand.NewPCG(1, 2))
	benchSeq(b, tb, newProbeSeq(flows, func() uint32 { return r.Uint32N(flows) }))
}

// BenchmarkLookup1MZipf looks up the flows of a table of 1M live flows
// with Zipf-distributed popularity (s = 1.1: a few heavy flows carry much
// of the traffic, as on real links), in random order.
func BenchmarkLookup1MZipf(b *testing.B) {
	const flows = 1 << 20
	tb := fullTable(b, flows)
	r := rand.New(rand.NewPCG(1, 3))
	z := rand.NewZipf(rand.New(rand.NewPCG(5, 6)), 1.1, 1, flows-1)
	perm := r.Perm(flows) // popularity rank -> flow, so heavy flows are scattered
	benchSeq(b, tb, newProbeSeq(flows, func() uint32 { return uint32(perm[z.Uint64()]) }))
}

// BenchmarkLookup1MBatch looks up uniformly random flows of a table of
// 1M live flows eight packets at a time, as an engine with a few packets of
// lookahead could: hash the eight keys, then look them up, with or
// without first prefetching their eight home slots.
func BenchmarkLookup1MBatch(b *testing.B) {
	const flows, batch = 1 << 20, 8
	tb := fullTable(b, flows)
	r := rand.New(rand.NewPCG(1, 2))
	s := newProbeSeq(flows, func() uint32 { return r.Uint32N(flows) })
	for _, pf := range []bool{false, true} {
		b.Run(map[bool]string{false: "hash8-lookup8", true: "hash8-prefetch8-lookup8"}[pf], func(b *testing.B) {
			b.ReportAllocs()
			var h [batch]uint64
			i := 0
			for b.Loop() {
				keys := s.keys[i : i+batch]
				for j := range keys {
					h[j] = tb.Hash(&keys[j])
					if pf {
						tb.Prefetch(h[j])
					}
				}
				for j := range keys {
					if _, ok := tb.Lookup(h[j], 1, 0, true); !ok {
						b.Fatal("flow lost")
					}
				}
				if i += batch; i == len(s.keys) {
					i = 0
				}
			}
			b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds()/1e6, "Mpps")
			b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N*batch), "ns/packet")
		})
	}
}

// BenchmarkGrow1M inserts a million new flows into a table that starts
// small: one op is the whole growth to a million (fourfold steps, moves
// prefetched). A table that starts at a million flows does the same
// inserts in about 44 ms here; growth costs the rest.
func BenchmarkGrow1M(b *testing.B) {
	for b.Loop() {
		tb, err := New(Config{MaxFlows: 1 << 20})
		if err != nil {
			b.Fatal(err)
		}
		for i := range uint64(1 << 20) {
			tb.Insert((i+1)*0x9e3779b97f4a7c15|1, 6, 1, 0, true, 0)
		}
		tb.Close()
	}
}
