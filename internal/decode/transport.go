package decode

import "encoding/binary"

// IP protocol numbers Decode looks into.
const (
	ipProtoICMP    = 1
	ipProtoIPIP    = 4 // IPv4 encapsulation (IP-in-IP, 4in6)
	ipProtoTCP     = 6
	ipProtoUDP     = 17
	ipProtoIPv6    = 41 // IPv6 encapsulation (6in4, 6in6)
	ipProtoGRE     = 47
	ipProtoICMPv6  = 58
	ipProtoSCTP    = 132
	ipProtoUDPLite = 136
)

// Transport header fields.
const (
	portsLen        = 4 // source and destination port, first in all four protocols
	srcPortOffset   = 0
	dstPortOffset   = 2
	tcpFlagsOffset  = 13
	udpHeaderLen    = 8
	udpLengthOffset = 4
)

// hasPorts reports whether proto starts with 16-bit source and destination
// ports.
func hasPorts(proto uint8) bool {
	switch proto {
	case ipProtoTCP, ipProtoUDP, ipProtoSCTP, ipProtoUDPLite:
		return true
	}
	return false
}

// decodeTransport decodes b, the payload of an IP packet that is not a
// non-first fragment and whose Proto is set: ports, TCP flags, and, when
// opts ask for it and the packet is not a fragment, ICMP errors and tunnels.
func (p *Packet) decodeTransport(b []byte, opts Options, depth uint8) {
	if hasPorts(p.Proto) {
		if len(b) < portsLen {
			return
		}
		p.SrcPort = binary.BigEndian.Uint16(b[srcPortOffset:])
		p.DstPort = binary.BigEndian.Uint16(b[dstPortOffset:])
		p.HasPorts = true
		if p.Proto == ipProtoTCP && len(b) > tcpFlagsOffset {
			p.TCPFlags = b[tcpFlagsOffset]
		}
	}
	if p.IsFragment {
		// Only the first fragment has the inner headers; looking into it
		// would split the fragments of one packet between two flows.
		return
	}
	// An ICMP error quotes a packet of its own IP version: ICMP (1) in
	// IPv4, ICMPv6 (58) in IPv6. The other pairings are not errors about
	// a flow, and their "quote" would put one family's addresses into a
	// packet of the other.
	switch p.Proto {
	case ipProtoICMP:
		if opts.ICMPErrors && p.Kind == KindIPv4 {
			p.decodeICMPv4Error(b)
		}
	case ipProtoICMPv6:
		if opts.ICMPErrors && p.Kind == KindIPv6 {
			p.decodeICMPv6Error(b)
		}
	case ipProtoUDP:
		if opts.Tunnels && p.HasPorts && depth < maxTunnelDepth {
			p.decodeUDPTunnel(b, opts, depth)
		}
	case ipProtoGRE:
		if opts.Tunnels && depth < maxTunnelDepth {
			p.decodeGRE(b, opts, depth)
		}
	case ipProtoIPIP:
		if opts.Tunnels && depth < maxTunnelDepth {
			p.decapsulate(payloadIPv4, 0, b, opts, depth)
		}
	case ipProtoIPv6:
		if opts.Tunnels && depth < maxTunnelDepth {
			p.decapsulate(payloadIPv6, 0, b, opts, depth)
		}
	}
}
