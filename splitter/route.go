package splitter

import (
	"github.com/flowsplit/flowsplit/hashing"
	"github.com/flowsplit/flowsplit/internal/decode"
)

// router decides the output of each packet. It owns the decoded packet and
// is reused for every packet; it never allocates.
type router struct {
	hash  hashing.Config
	n     int
	dopts decode.Options
	pkt   decode.Packet
}

func newRouter(h hashing.Config, n int) *router {
	return &router{hash: h, n: n}
}

// route decodes data (captured on linkType) and returns its output index.
// weird is true when the packet could not be classified as IP; the index is
// then the fallback choice: a symmetric hash of the MAC pair when the
// Ethernet header was read, else output 0.
func (r *router) route(linkType uint16, data []byte) (out int, weird bool) {
	p := &r.pkt
	p.Decode(linkType, data, r.dopts)
	switch p.Kind {
	case decode.KindIPv4, decode.KindIPv6:
		t := hashing.Tuple{
			Src:       p.Src,
			Dst:       p.Dst,
			Proto:     p.Proto,
			IPv6:      p.Kind == decode.KindIPv6,
			VLAN:      p.VLAN,
			InnerVLAN: p.InnerVLAN,
		}
		// Every fragment of a datagram, the first included, is keyed
		// without ports: later fragments carry none, and the datagram must
		// stay together.
		if p.HasPorts && !p.IsFragment {
			t.SrcPort, t.DstPort = p.SrcPort, p.DstPort
		}
		k := r.hash.Key(&t)
		return hashing.Bucket(k.Hash(), r.n), false
	default:
		if p.HasMAC {
			return hashing.Bucket(hashing.MACPairHash(p.SrcMAC, p.DstMAC), r.n), true
		}
		return 0, true
	}
}
