package splitter

import (
	"github.com/flowsplit/flowsplit/hashing"
	"github.com/flowsplit/flowsplit/internal/decode"
	"github.com/flowsplit/flowsplit/internal/pcapio"
)

// routeFragment routes an IP fragment (the packet r.cur, flow tuple t)
// in a mode with ports: with its datagram's decision when there is one;
// the first fragment decides by its flow; earlier fragments are held.
func (r *Router) routeFragment(rec *pcapio.Record, t *hashing.Tuple, now int64) (out int, weird, held bool) {
	fk := r.datagramKey()
	h := fk.Hash()
	dg, out, decided := r.frags.Lookup(&fk, h, now)
	if decided {
		return r.direct(rec, out, false)
	}
	if r.cur.FragOffset == 0 {
		out = r.decide(t, now)
		if r.frags.Decide(dg, out) {
			// Fragments of the datagram wait: emit this one after them.
			if ok, _ := r.frags.Hold(dg, rec, now, out); ok {
				return 0, false, true
			}
		}
		return r.direct(rec, out, false)
	}
	fk = r.fb.Key(t)
	ok, out := r.frags.Hold(dg, rec, now, hashing.Bucket(fk.Hash(), r.n))
	if ok {
		return 0, false, true
	}
	return r.direct(rec, out, false)
}

// datagramKey packs the identity of the datagram of the fragment r.cur:
// source, destination (in packet order), protocol, family, identification
// (in the port fields) and, when the flow key has them, the VLAN IDs.
func (r *Router) datagramKey() hashing.Key {
	p := r.cur
	k := hashing.Key{
		A: p.Src, B: p.Dst, Proto: p.Proto, Family: 4,
		PortA: uint16(p.FragID >> 16), PortB: uint16(p.FragID),
	}
	if p.Kind != decode.KindIPv4 {
		k.Family = 6
	}
	if r.cfg.Hash.VLAN {
		k.VLAN, k.InnerVLAN = p.VLAN, p.InnerVLAN
	}
	return k
}
