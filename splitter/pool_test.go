package splitter

import (
	"math/rand/v2"
	"testing"
)

// poolSinks returns n sinks of a pool of max batches (of 1 KiB), each
// bounded to bound batches; they have no writer.
func poolSinks(max, n, bound int) (*batchPool, []*sink) {
	p := newBatchPool(1024, int64(max)*1024, n)
	sinks := make([]*sink, n)
	for i := range sinks {
		sinks[i] = &sink{pool: p, maxBatches: bound}
		p.add(sinks[i])
	}
	return p, sinks
}

// takeAll takes batches for s until the pool says no.
func takeAll(p *batchPool, s *sink) (got []*batch) {
	for b := p.take(s); b != nil; b = p.take(s) {
		got = append(got, b)
	}
	return got
}

// TestPoolReserve: one output whose worker is stuck takes all the memory
// but the others' reserves; each of the others still double-buffers; all
// together never hold more than the pool's bound; batches given back are
// taken again, not made anew.
func TestPoolReserve(t *testing.T) {
	p, s := poolSinks(10, 3, 100)
	stuck := takeAll(p, s[0])
	if len(stuck) != 10-2*poolReserve || p.most(100) != len(stuck) {
		t.Fatalf("stuck output took %d batches (most says %d), want %d", len(stuck), p.most(100), 10-2*poolReserve)
	}
	for _, o := range s[1:] {
		if got := takeAll(p, o); len(got) != poolReserve {
			t.Fatalf("another output took %d batches, want its reserve %d", len(got), poolReserve)
		}
	}
	if p.made != 10 || p.take(s[0]) != nil {
		t.Fatalf("made %d batches, want the bound 10 and no more", p.made)
	}
	for _, b := range stuck[:3] {
		b.b = append(b.b, "data"...)
		p.give(s[0], b)
	}
	again := takeAll(p, s[1])
	if len(again) != 3 || p.made != 10 || len(again[0].b) != 0 {
		t.Errorf("after 3 came back: took %d (made %d, first holds %d bytes), want 3 emptied, none made", len(again), p.made, len(again[0].b))
	}

	// An output's own bound holds even with memory to spare.
	p, s = poolSinks(100, 2, 5)
	if got := takeAll(p, s[0]); len(got) != 5 {
		t.Errorf("output bounded to 5 batches took %d", len(got))
	}

	// A pool smaller than the reserves grows to them.
	p, s = poolSinks(1, 4, 100)
	for _, o := range s {
		if o.held.Load() < poolReserve && p.take(o) == nil {
			t.Fatal("an output could not take its first batch")
		}
	}
}

// TestPoolInvariants: in any order of takes and gives, the outputs hold at
// most the pool's bound, each within its own, and an output below its
// reserve can always take a batch.
func TestPoolInvariants(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for round := range 200 {
		n := 1 + rng.IntN(6)
		p, s := poolSinks(rng.IntN(30), n, 1+rng.IntN(12))
		held := make([][]*batch, n)
		for range 500 {
			i := rng.IntN(n)
			if rng.IntN(3) > 0 {
				before := int(s[i].held.Load())
				b := p.take(s[i])
				if b == nil && before < poolReserve && before < s[i].maxBatches {
					t.Fatalf("round %d: output %d holds %d, below its reserve, and cannot take", round, i, before)
				}
				if b != nil {
					held[i] = append(held[i], b)
				}
			} else if k := len(held[i]); k > 0 {
				p.give(s[i], held[i][k-1])
				held[i] = held[i][:k-1]
			}
			total := 0
			for j, o := range s {
				h := int(o.held.Load())
				if h != len(held[j]) || h > o.maxBatches {
					t.Fatalf("round %d: output %d holds %d (counted %d), bound %d", round, j, len(held[j]), h, o.maxBatches)
				}
				total += h
			}
			if total > p.max || p.made > p.max {
				t.Fatalf("round %d: %d held, %d made, bound %d", round, total, p.made, p.max)
			}
		}
	}
}

// TestQueueTotalByPolicy: under Block the queues share DefaultQueueTotal;
// under Drop and Spill (isolation matters there: a stuck worker must not
// make the others drop or spill) the total is the sum of the outputs' own
// bounds, so a stuck output takes nothing the others could use; an
// explicit QueueTotal applies under every policy.
func TestQueueTotalByPolicy(t *testing.T) {
	for _, tc := range []struct {
		policy Policy
		total  int64
		want   int64
	}{
		{Block, 0, DefaultQueueTotal},
		{Drop, 0, 8 * DefaultQueueSize},
		{Spill, 0, 8 * DefaultQueueSize},
		{Drop, 16 << 20, 16 << 20},
	} {
		c := Config{Workers: 8, OutPattern: "o-%d", OnFull: tc.policy, QueueTotal: tc.total, Route: RouteConfig{Hash: fiveTuple}}
		if err := c.Validate(); err != nil {
			t.Fatal(err)
		}
		if got := c.queueTotal(8); got != tc.want {
			t.Errorf("%v, QueueTotal %d: total %d, want %d", tc.policy, tc.total, got, tc.want)
		}
	}

	// The sum of the bounds: a stuck output fills its own queue only.
	p, s := poolSinks(3*6, 3, 6)
	if got := takeAll(p, s[0]); len(got) != 6 {
		t.Fatalf("stuck output took %d, want its bound 6", len(got))
	}
	for _, o := range s[1:] {
		if got := takeAll(p, o); len(got) != 6 {
			t.Errorf("another output took %d, want its whole bound 6", len(got))
		}
	}
}
