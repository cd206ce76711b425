package splitter

import "github.com/flowsplit/flowsplit/hashing"

// decideLFU returns the output of flow k in the lfu mode: the one it was
// given, or, for a new (or expired) flow, the output with the least load
// so far, which the flow then keeps.
func (r *Router) decideLFU(k *hashing.Key, fromA bool, now int64) int {
	return r.decideFP(r.flows.Hash(k), k.Proto, fromA, now)
}

// decideFP is decideLFU for the flow of fingerprint h (Table.Hash of its
// key) and IP protocol proto.
func (r *Router) decideFP(h uint64, proto uint8, fromA bool, now int64) int {
	flags := r.cur.TCPFlags
	if out, ok := r.flows.Lookup(h, now, flags, fromA); ok {
		return out
	}
	out := r.leastLoaded()
	r.flows.Insert(h, proto, now, flags, fromA, out)
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
