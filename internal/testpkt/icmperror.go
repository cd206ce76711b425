package testpkt

import "net/netip"

// ICMP error constants.
const (
	// icmpv4MaxError is the largest ICMPv4 error RFC 1812 4.3.2.3 allows
	// (576 bytes); icmpv6MaxError is the IPv6 minimum MTU (RFC 4443 2.4).
	icmpv4MaxError = 576
	icmpv6MaxError = 1280
	// errorMTU is the MTU reported by "fragmentation needed" and "packet
	// too big" errors.
	errorMTU = 1280

	icmpv4DestUnreach  = 3
	icmpv4FragNeeded   = 4 // code of icmpv4DestUnreach
	icmpv6PacketTooBig = 2
)

// ICMPError appends to dst an ICMP error IP packet from reporter to the
// source of orig that quotes orig (an IP packet), and returns the extended
// slice. reporter's family selects ICMPv4 (type and code used verbatim,
// e.g. 3/3 port unreachable, 11/0 TTL exceeded) or ICMPv6 (e.g. 1/4, 3/0),
// and must match orig's IP version.
//
// The quote is as much of orig as RFC 1812 (576-byte error) or RFC 4443
// (1280-byte error) allows. A "fragmentation needed" (ICMPv4 3/4) or
// "packet too big" (ICMPv6 2) error reports an MTU of 1280; other errors
// have zeros in the 4 bytes after the checksum. dst is returned unchanged
// when orig is shorter than an IP header or its version does not match
// reporter's family.
func ICMPError(dst, orig []byte, reporter netip.Addr, typ, code uint8) []byte {
	s := Spec{Src: Endpoint{Addr: reporter}, ICMPType: typ, ICMPCode: code}
	limit := 0
	switch {
	case reporter.Is4() && len(orig) >= ipv4HeaderLen && orig[0]>>4 == 4:
		s.Proto = ProtoICMP
		s.Dst.Addr = netip.AddrFrom4([4]byte(orig[12:16]))
		limit = icmpv4MaxError - ipv4HeaderLen - icmpHeaderLen
		if typ == icmpv4DestUnreach && code == icmpv4FragNeeded {
			s.Seq = errorMTU
		}
	case reporter.Is6() && len(orig) >= ipv6HeaderLen && orig[0]>>4 == 6:
		s.Proto = ProtoICMPv6
		s.Dst.Addr = netip.AddrFrom16([16]byte(orig[8:24]))
		limit = icmpv6MaxError - ipv6HeaderLen - icmpHeaderLen
		if typ == icmpv6PacketTooBig {
			s.Seq = errorMTU
		}
	default:
		return dst
	}
	s.Payload = orig[:min(len(orig), limit)]
	return appendIP(dst, &s, nil)
}
