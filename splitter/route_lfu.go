package splitter

import "github.com/flowsplit/flowsplit/hashing"

// decideLFU returns the output of flow k in the lfu mode: the one it was
// given, or, for a new (or expired) flow, the output with the least load
// so far, which the flow then keeps.
func (r *Router) decideLFU(k *hashing.Key, fromA bool, now int64) int {
	h := k.Hash()
	flags := r.pkt.TCPFlags
	if out, ok := r.flows.Lookup(k, h, now, flags, fromA); ok {
		return out
	}
	out := r.leastLoaded()
	r.flows.Insert(k, h, now, flags, fromA, out)
	return out
}

// leastLoaded returns the output with the least load, the lowest index
// on ties. It scans the outputs: N is at most 1024 and the scan runs once
// per new flow, not per packet.
func (r *Router) leastLoaded() int {
	best := 0
	for i, l := range r.load {
		if l < r.load[best] {
			best = i
		}
	}
	return best
}
