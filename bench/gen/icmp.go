package gen

import "github.com/flowsplit/flowsplit/internal/testpkt"

// ICMP error types and codes.
const (
	icmp4Unreach      = 3
	icmp4PortUnreach  = 3
	icmp4FragNeeded   = 4
	icmp6Unreach      = 1
	icmp6PortUnreach  = 4
	icmp6PacketTooBig = 2
)

// icmpError builds an ICMP error sent to f's client about one of its
// packets: the server's port unreachable for UDP, a router's fragmentation
// needed (packet too big) about a full-size segment for TCP.
func (g *Generator) icmpError(f *flow) []byte {
	s := g.base(f, true)
	reporter := serverAddr(f.server, f.v6)
	var typ, code uint8 = icmp4Unreach, icmp4PortUnreach
	if f.v6 {
		typ, code = icmp6Unreach, icmp6PortUnreach
	}
	if f.proto == testpkt.ProtoTCP {
		s.Proto, s.TCPFlags, s.Seq, s.Ack = testpkt.ProtoTCP, pushAck, f.cseq, f.sseq
		s.Payload = g.patternBytes(bigQuoteV4)
		reporter, typ, code = routerV4, icmp4Unreach, icmp4FragNeeded
		if f.v6 {
			s.Payload = s.Payload[:bigQuoteV6]
			reporter, typ, code = routerV6, icmp6PacketTooBig, 0
		}
	} else {
		s.Proto = testpkt.ProtoUDP
		s.Payload = g.dns(f, false, 0)
	}
	g.quote = testpkt.IPPacket(g.quote[:0], *s)
	g.ip = testpkt.ICMPError(g.ip[:0], g.quote, reporter, typ, code)
	g.base(f, false) // Ethernet fields of the error's frame
	if f.tunnel != tunnelNone {
		return g.wrap(f, false, g.ip)
	}
	g.frame = testpkt.FrameIP(g.frame[:0], g.spec, g.ip)
	return g.frame
}
