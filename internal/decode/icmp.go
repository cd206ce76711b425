package decode

import "encoding/binary"

// ICMP and ICMPv6 error messages: an 8-byte header, then as much of the
// offending packet as fits.
const (
	icmpHeaderLen = 8

	icmp4DestUnreachable = 3
	icmp4SourceQuench    = 4
	icmp4Redirect        = 5
	icmp4TimeExceeded    = 11
	icmp4ParamProblem    = 12

	icmp6DestUnreachable = 1
	icmp6PacketTooBig    = 2
	icmp6TimeExceeded    = 3
	icmp6ParamProblem    = 4
)

// decodeICMPv4Error replaces the flow fields with those of the packet
// quoted by an ICMPv4 error. When the quote is unreadable (cut before the
// end of its IPv4 header, or not IPv4) p is left as it is.
func (p *Packet) decodeICMPv4Error(b []byte) {
	if len(b) < icmpHeaderLen {
		return
	}
	switch b[0] {
	case icmp4DestUnreachable, icmp4SourceQuench, icmp4Redirect, icmp4TimeExceeded, icmp4ParamProblem:
	default:
		return
	}
	q := b[icmpHeaderLen:]
	if len(q) < ip4MinHeaderLen || q[0]>>ipVersionShift != ipVersion4 {
		return
	}
	ihl := int(q[0]&ip4IHLMask) * ip4IHLUnit
	if ihl < ip4MinHeaderLen || ihl > len(q) {
		return
	}
	p.setQuoted()
	copy(p.Src[:ip4AddrLen], q[ip4SrcOffset:ip4SrcOffset+ip4AddrLen])
	copy(p.Dst[:ip4AddrLen], q[ip4DstOffset:ip4DstOffset+ip4AddrLen])
	p.Proto = q[ip4ProtoOffset]
	if binary.BigEndian.Uint16(q[ip4FlagsOffset:])&ip4FragOffsetMask == 0 {
		p.quotedPorts(q[ihl:])
	}
}

// decodeICMPv6Error replaces the flow fields with those of the packet
// quoted by an ICMPv6 error. When the quote is unreadable (cut before the
// end of its fixed IPv6 header, or not IPv6) p is left as it is.
func (p *Packet) decodeICMPv6Error(b []byte) {
	if len(b) < icmpHeaderLen {
		return
	}
	switch b[0] {
	case icmp6DestUnreachable, icmp6PacketTooBig, icmp6TimeExceeded, icmp6ParamProblem:
	default:
		return
	}
	q := b[icmpHeaderLen:]
	if len(q) < ip6HeaderLen || q[0]>>ipVersionShift != ipVersion6 {
		return
	}
	p.setQuoted()
	copy(p.Src[:], q[ip6SrcOffset:ip6SrcOffset+ip6AddrLen])
	copy(p.Dst[:], q[ip6DstOffset:ip6DstOffset+ip6AddrLen])
	e := walkIPv6Ext(q[ip6NextHeaderOffset], q[ip6HeaderLen:])
	p.Proto = e.proto
	if e.complete && e.fragOff == 0 {
		p.quotedPorts(e.payload)
	}
}

// setQuoted clears the flow fields that a quoted header replaces. The
// fragment fields keep describing the error packet itself.
func (p *Packet) setQuoted() {
	p.ICMPError = true
	p.Src = [16]byte{}
	p.Dst = [16]byte{}
	p.SrcPort, p.DstPort = 0, 0
	p.HasPorts = false
	p.TCPFlags = 0
}

// quotedPorts reads the ports of a quoted transport header. TCP flags are
// not reported: quotes usually end after the first 8 transport bytes.
func (p *Packet) quotedPorts(b []byte) {
	if hasPorts(p.Proto) && len(b) >= portsLen {
		p.SrcPort = binary.BigEndian.Uint16(b[srcPortOffset:])
		p.DstPort = binary.BigEndian.Uint16(b[dstPortOffset:])
		p.HasPorts = true
	}
}
