package gen

import "github.com/flowsplit/flowsplit/internal/testpkt"

// Outer header bytes each tunnel kind adds before the inner IP packet.
var tunnelOverheads = [...]int{
	tunnelNone:   0,
	tunnelGRE:    ipv4Len + 4,
	tunnelVXLAN:  ipv4Len + udpLen + 8 + etherLen,
	tunnelGeneve: ipv4Len + udpLen + 8 + etherLen,
	tunnelGTPU:   ipv4Len + udpLen + 8,
	tunnelIPIP:   ipv4Len,
}

func tunnelOverhead(kind uint8) int {
	if int(kind) < len(tunnelOverheads) {
		return tunnelOverheads[kind]
	}
	return 0
}

// wrap carries the IP packet ip of flow f in f's tunnel between the client
// side and server side tunnel endpoints (IPv4) and returns the outer frame,
// using g.spec's Ethernet fields. VXLAN and Geneve carry an inner Ethernet
// frame with the same MACs and no tags.
func (g *Generator) wrap(f *flow, c2s bool, ip []byte) []byte {
	a, b := tunnelAddr(f.client, false), tunnelAddr(f.server, true)
	if !c2s {
		a, b = b, a
	}
	outer := testpkt.Spec{Src: testpkt.Endpoint{Addr: a}, Dst: testpkt.Endpoint{Addr: b}, IPID: g.spec.IPID}
	// Like a VTEP, derive the outer source port from the inner flow.
	port := uint16(49152 + (f.id*2654435761)>>18&0x3fff)
	switch f.tunnel {
	case tunnelGRE:
		pt := uint16(testpkt.EtherTypeIPv4)
		if f.v6 {
			pt = testpkt.EtherTypeIPv6
		}
		g.tun = testpkt.GRE(g.tun[:0], a, b, ip, pt)
	case tunnelVXLAN, tunnelGeneve:
		in := g.spec
		in.VLANs, in.QinQ = nil, false
		g.inner = testpkt.FrameIP(g.inner[:0], in, ip)
		outer.Src.Port = port
		if f.tunnel == tunnelVXLAN {
			g.tun = testpkt.VXLAN(g.tun[:0], outer, 100+f.id%4000, g.inner)
		} else {
			g.tun = testpkt.Geneve(g.tun[:0], outer, 100+f.id%4000, g.inner)
		}
	case tunnelGTPU:
		g.tun = testpkt.GTPU(g.tun[:0], outer, f.id+1, ip)
	default:
		g.tun = testpkt.IPinIP(g.tun[:0], a, b, ip)
	}
	g.frame = testpkt.FrameIP(g.frame[:0], g.spec, g.tun)
	return g.frame
}
