package gen

import (
	"math"
	"slices"
)

// Flow size model.
const (
	// elephantShare is the share of packets the elephants carry together.
	elephantShare = 0.4
	// paretoXm and paretoAlpha shape the raw mouse sizes: about 70% of
	// them are under 4 packets before stretching.
	paretoXm    = 1.5
	paretoAlpha = 1.2
	// mouseCapDiv caps a mouse at Packets/mouseCapDiv when there are
	// elephants, so that mice stay smaller than elephants.
	mouseCapDiv = 20
)

// flowSizes returns the packet count of every flow, elephants first, summing
// exactly to packets. The number of flows is min(flows, packets) and every
// flow has at least one packet. Mice sizes are Pareto samples x stretched
// to x^g, with g found by bisection so that they fill their budget: small
// flows stay small and the tail grows, keeping the distribution heavy-tailed
// for any ratio of packets to flows.
func flowSizes(r *rng, flows, packets, elephants int) []int {
	f := min(flows, packets)
	e := min(elephants, f/4)
	m := f - e
	sizes := make([]int, f)
	raw := make([]float64, m)
	for i := range raw {
		raw[i] = paretoXm * math.Pow(1-r.float(), -1/paretoAlpha)
	}
	budget, capN := packets, packets
	if e > 0 {
		budget = max(m, packets-max(e, int(elephantShare*float64(packets))))
		capN = max(1, packets/mouseCapDiv)
	}
	mice := sizes[e:]
	fill := func(g float64) int {
		total := 0
		for i, x := range raw {
			v := math.Pow(x, g)
			mice[i] = capN
			if v < float64(capN) {
				mice[i] = max(1, int(v))
			}
			total += mice[i]
		}
		return total
	}
	lo, hi := 0.0, 16.0
	for range 60 {
		mid := (lo + hi) / 2
		if fill(mid) > budget {
			hi = mid
		} else {
			lo = mid
		}
	}
	total := fill(lo)
	if e == 0 || total > budget {
		adjust(mice, budget-total)
		total = budget
	}
	// The elephants share the rest with random weights, at least 1 each.
	rest := packets - total
	w := make([]float64, e)
	var sum float64
	for i := range w {
		w[i] = 0.5 + r.float()
		sum += w[i]
	}
	left := rest - e
	for i := range e {
		n := int(float64(rest-e) * w[i] / sum)
		n = min(n, left)
		sizes[i] = 1 + n
		left -= n
	}
	if e > 0 {
		sizes[0] += left
	}
	return sizes
}

// adjust adds diff packets to (or, when negative, removes them from) the
// largest flows in sizes, never taking a flow below one packet.
func adjust(sizes []int, diff int) {
	if diff == 0 || len(sizes) == 0 {
		return
	}
	idx := make([]int, len(sizes))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return sizes[b] - sizes[a] })
	for diff != 0 {
		changed := false
		for _, i := range idx {
			if diff == 0 {
				break
			}
			switch {
			case diff > 0:
				sizes[i]++
				diff--
				changed = true
			case sizes[i] > 1:
				sizes[i]--
				diff++
				changed = true
			}
		}
		if !changed {
			return
		}
	}
}
