package gen

import (
	"github.com/flowsplit/flowsplit/internal/testpkt"
)

// Packet shape constants.
const (
	etherLen     = 14
	ipv4Len      = 20
	ipv6Len      = 40
	tcpLen       = 20
	udpLen       = 8
	clientTTL    = 64
	serverTTL    = 52 // the server is a few hops away
	echoPayload  = 56
	ntpPayload   = 48
	bigQuoteV4   = 1400 // size of the TCP segment an ICMP "too big" quotes
	bigQuoteV6   = 1380
	pushAck      = testpkt.TCPPsh | testpkt.TCPAck
	finAck       = testpkt.TCPFin | testpkt.TCPAck
	synAck       = testpkt.TCPSyn | testpkt.TCPAck
	tcpCloseLen  = 3 // FIN/ACK, FIN/ACK, ACK
	tcpMinClosed = 7 // handshake, one data packet, close
)

// IMIX frame lengths without the FCS (64, 594 and 1518 on the wire) and
// their weights 7:4:1.
const (
	imixSmall  = 60
	imixMedium = 590
	imixLarge  = 1514
)

// packet builds flow f's next packet and returns the frame and the number
// of the flow's packets it used (more than one when a datagram is sent as
// fragments; the rest follow from nextFragment).
func (g *Generator) packet(f *flow) ([]byte, int) {
	if f.i == f.icmpAt {
		return g.icmpError(f), 1
	}
	switch f.proto {
	case testpkt.ProtoTCP:
		return g.emit(f, g.tcpSegment(f)), 1
	case testpkt.ProtoUDP:
		return g.udpDatagram(f)
	}
	return g.emit(f, g.echo(f)), 1
}

// base resets g.spec for a packet of f in the given direction: addresses,
// ports, MACs, VLAN tags, TTL and IPv4 identification.
func (g *Generator) base(f *flow, c2s bool) *testpkt.Spec {
	s := &g.spec
	*s = testpkt.Spec{}
	c := testpkt.Endpoint{Addr: clientAddr(f.client, f.v6), Port: f.cport}
	sv := testpkt.Endpoint{Addr: serverAddr(f.server, f.v6), Port: f.sport}
	if c2s {
		s.Src, s.Dst = c, sv
		s.SrcMAC, s.DstMAC = clientMAC(f.client), gatewayMAC
		s.TTL, s.IPID = clientTTL, f.cipid
		f.cipid++
	} else {
		s.Src, s.Dst = sv, c
		s.SrcMAC, s.DstMAC = gatewayMAC, clientMAC(f.client)
		s.TTL, s.IPID = serverTTL, f.sipid
		f.sipid++
	}
	if f.vlan == vlanBoth || f.vlan == vlanClientOnly && c2s {
		g.tags[0], g.tags[1] = f.vid, f.vid2
		s.VLANs = g.tags[:1]
		if f.qinq {
			s.VLANs, s.QinQ = g.tags[:2], true
		}
	}
	return s
}

// emit builds the frame for g.spec, tunnelled if f is.
func (g *Generator) emit(f *flow, c2s bool) []byte {
	if f.tunnel == tunnelNone {
		g.frame = testpkt.Frame(g.frame[:0], g.spec)
		return g.frame
	}
	g.ip = testpkt.IPPacket(g.ip[:0], g.spec)
	return g.wrap(f, c2s, g.ip)
}

// tcpSegment fills g.spec with f's next TCP segment and returns its
// direction: handshake, data and pure ACKs both ways, then the close.
func (g *Generator) tcpSegment(f *flow) (c2s bool) {
	i, n := f.i, f.n
	r := &g.r
	closing := n >= tcpMinClosed && i >= n-tcpCloseLen
	switch {
	case i == 0:
		s := g.base(f, true)
		s.TCPFlags, s.Seq = testpkt.TCPSyn, f.cseq
		f.cseq++
		c2s = true
	case i == 1:
		s := g.base(f, false)
		s.TCPFlags, s.Seq, s.Ack = synAck, f.sseq, f.cseq
		f.sseq++
	case i == 2:
		s := g.base(f, true)
		s.TCPFlags, s.Seq, s.Ack = testpkt.TCPAck, f.cseq, f.sseq
		c2s = true
	case closing && i == n-3:
		s := g.base(f, true)
		s.TCPFlags, s.Seq, s.Ack = finAck, f.cseq, f.sseq
		f.cseq++
		c2s = true
	case closing && i == n-2:
		s := g.base(f, false)
		s.TCPFlags, s.Seq, s.Ack = finAck, f.sseq, f.cseq
		f.sseq++
	case closing:
		s := g.base(f, true)
		s.TCPFlags, s.Seq, s.Ack = testpkt.TCPAck, f.cseq, f.sseq
		c2s = true
	default:
		c2s = r.intn(10) < 4
		s := g.base(f, c2s)
		s.TCPFlags = testpkt.TCPAck
		if c2s && r.intn(2) == 0 || !c2s && r.intn(10) == 0 {
			// pure ACK
		} else {
			s.TCPFlags = pushAck
			s.Payload = g.patternBytes(g.imixPayload(f, tcpLen))
		}
		if c2s {
			s.Seq, s.Ack = f.cseq, f.sseq
			f.cseq += uint32(len(s.Payload))
		} else {
			s.Seq, s.Ack = f.sseq, f.cseq
			f.sseq += uint32(len(s.Payload))
		}
	}
	g.spec.Proto = testpkt.ProtoTCP
	return c2s
}

// echo fills g.spec with f's next ICMP or ICMPv6 echo request or reply.
func (g *Generator) echo(f *flow) (c2s bool) {
	c2s = f.i%2 == 0
	s := g.base(f, c2s)
	s.Src.Port = f.cport // echo identifier, both ways
	s.Seq = uint32(f.i / 2)
	s.Proto, s.ICMPType = testpkt.ProtoICMP, 8
	if !c2s {
		s.ICMPType = 0
	}
	if f.v6 {
		s.Proto, s.ICMPType = testpkt.ProtoICMPv6, 128
		if !c2s {
			s.ICMPType = 129
		}
	}
	s.Payload = g.pattern[:echoPayload]
	return c2s
}

// imixPayload draws an IMIX frame length and returns the payload that
// gives it, for a transport header of th bytes (at least 1 byte).
func (g *Generator) imixPayload(f *flow, th int) int {
	var frame int
	switch v := g.r.intn(12); {
	case v < 7:
		frame = imixSmall
	case v < 11:
		frame = imixMedium - 32 + g.r.intn(64)
	default:
		frame = imixLarge
	}
	hdr := etherLen + ipv4Len + th + tunnelOverhead(f.tunnel)
	if f.v6 {
		hdr += ipv6Len - ipv4Len
	}
	return max(1, frame-hdr)
}

// patternBytes returns n bytes of the random pattern at a random offset.
func (g *Generator) patternBytes(n int) []byte {
	n = min(n, len(g.pattern))
	off := g.r.intn(len(g.pattern) - n + 1)
	return g.pattern[off : off+n]
}
