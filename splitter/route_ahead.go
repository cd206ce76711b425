package splitter

import (
	"github.com/flowsplit/flowsplit/hashing"
	"github.com/flowsplit/flowsplit/internal/decode"
	"github.com/flowsplit/flowsplit/internal/pcapio"
)

// In the lfu mode a packet's flow lookup is a random access to a table of
// up to tens of megabytes: a cache miss of about 100 ns that the CPU cannot
// overlap with the next packet's, because deciding one packet is longer
// than its out-of-order window. A caller that holds the next records can
// hand them to Prefetch a few packets before it routes them: the router
// decodes each one then, hashes its flow and starts loading the flow's
// buckets, and Route later uses that decode instead of decoding again, by
// which time the lines have arrived. Results are the same with or without
// Prefetch.

// aheadSlots is how many records may be hinted and not yet routed; further
// hints push out the oldest, which is then decoded again by Route.
const aheadSlots = 16

// hint is a record decoded ahead of its Route.
type hint struct {
	data  *byte // &rec.Data[0], to recognise the record in Route
	n     int   // len(rec.Data)
	pkt   decode.Packet
	fp    uint64 // the flow's fingerprint in the lfu table, when hasFP
	proto uint8  // the key's protocol
	fromA bool
	hasFP bool
}

// Prefetch tells the router that rec will be routed soon: after the
// records given to Prefetch before it, and with the same bytes (the
// caller must not change them meanwhile). It does nothing outside the lfu
// mode. Route recognises a hinted record by its data's address and length;
// a record routed out of that order drops the pending hints, which only
// costs their work.
func (r *Router) Prefetch(rec *pcapio.Record) {
	if r.flows == nil || len(rec.Data) == 0 {
		return
	}
	if r.aheadHead-r.aheadTail == aheadSlots {
		r.aheadTail++
	}
	s := &r.ahead[r.aheadHead%aheadSlots]
	r.aheadHead++
	s.data, s.n, s.hasFP = &rec.Data[0], len(rec.Data), false
	p := &s.pkt
	p.Decode(rec.LinkType, rec.Data, r.dopts)
	if (p.Kind != decode.KindIPv4 && p.Kind != decode.KindIPv6) || p.IsFragment {
		return
	}
	t := tupleOf(p)
	k, fromA := r.cfg.Hash.KeyDir(&t)
	s.fp, s.proto, s.fromA, s.hasFP = r.flows.Hash(&k), k.Proto, fromA, true
	r.flows.Prefetch(s.fp)
}

// hinted returns the hint of rec if it is the next hinted record, or nil
// (and then forgets the hints: the caller routes out of their order).
func (r *Router) hinted(rec *pcapio.Record) *hint {
	if r.aheadTail == r.aheadHead {
		return nil
	}
	s := &r.ahead[r.aheadTail%aheadSlots]
	if len(rec.Data) == 0 || s.data != &rec.Data[0] || s.n != len(rec.Data) {
		r.aheadTail = r.aheadHead
		return nil
	}
	r.aheadTail++
	return s
}

// tupleOf returns the flow tuple of IP packet p.
func tupleOf(p *decode.Packet) hashing.Tuple {
	t := hashing.Tuple{
		Src:       p.Src,
		Dst:       p.Dst,
		Proto:     p.Proto,
		IPv6:      p.Kind == decode.KindIPv6,
		VLAN:      p.VLAN,
		InnerVLAN: p.InnerVLAN,
	}
	// Decode reports ports for whole packets and first fragments.
	if p.HasPorts {
		t.SrcPort, t.DstPort = p.SrcPort, p.DstPort
	}
	return t
}

// WantsPrefetch reports whether Prefetch does anything: in the lfu mode.
func (r *Router) WantsPrefetch() bool { return r.flows != nil }
