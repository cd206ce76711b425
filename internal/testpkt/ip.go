package testpkt

import (
	"encoding/binary"
	"hash/crc32"
	"net/netip"
	"slices"
)

// Header lengths and field offsets.
const (
	ipv4HeaderLen  = 20
	ipv6HeaderLen  = 40
	tcpHeaderLen   = 20
	udpHeaderLen   = 8
	icmpHeaderLen  = 8
	sctpCommonLen  = 12
	sctpDataHdrLen = 16
	maxIPv4Len     = 0xffff
)

// Frame appends to dst the Ethernet frame described by s (MACs, VLAN tags,
// then the packet IPPacket builds) and returns the extended slice. The
// EtherType follows the IP version; a frame under 60 bytes is zero-padded.
func Frame(dst []byte, s Spec) []byte {
	et := uint16(EtherTypeIPv4)
	if s.is6() {
		et = EtherTypeIPv6
	}
	dst, off := appendEtherHeader(dst, s.SrcMAC, s.DstMAC, s.VLANs, s.QinQ, et)
	dst = appendIP(dst, &s, nil)
	return padEther(dst, off)
}

// IPPacket appends to dst the IPv4 or IPv6 packet described by s and
// returns the extended slice. The IPv4 header has no options and no
// fragment flags; the IPv6 header has no extension headers, traffic class
// or flow label. Lengths and checksums are computed. A payload too long for
// the 16-bit length fields yields a packet whose length fields are wrong
// (truncated to 16 bits); nothing else is affected.
func IPPacket(dst []byte, s Spec) []byte {
	return appendIP(dst, &s, nil)
}

// transportLen returns the length of the transport header (and, for SCTP,
// the DATA chunk header and padding) for a payload of n bytes.
func transportLen(proto uint8, n int) int {
	switch proto {
	case ProtoTCP:
		return tcpHeaderLen
	case ProtoUDP:
		return udpHeaderLen
	case ProtoSCTP:
		return sctpCommonLen + sctpDataHdrLen + (4-n%4)%4
	case ProtoICMP, ProtoICMPv6:
		return icmpHeaderLen
	}
	return 0
}

// appendIP appends the packet s describes, whose transport payload is pre
// followed by s.Payload.
func appendIP(dst []byte, s *Spec, pre []byte) []byte {
	v6 := s.is6()
	hl := ipv4HeaderLen
	if v6 {
		hl = ipv6HeaderLen
	}
	pl := len(pre) + len(s.Payload)
	tl := transportLen(s.Proto, pl)
	total := hl + tl + pl
	start := len(dst)
	dst = slices.Grow(dst, total)
	dst = dst[:start+total]
	b := dst[start:]
	b = b[:total:total]
	ttl := s.TTL
	if ttl == 0 {
		ttl = defaultTTL
	}
	if v6 {
		binary.BigEndian.PutUint32(b[0:], 6<<28)
		binary.BigEndian.PutUint16(b[4:], uint16(total-hl))
		b[6] = s.Proto
		b[7] = ttl
		putAddr16(b[8:24], s.Src.Addr)
		putAddr16(b[24:40], s.Dst.Addr)
	} else {
		b[0] = 0x45
		b[1] = 0
		binary.BigEndian.PutUint16(b[2:], uint16(total))
		binary.BigEndian.PutUint16(b[4:], s.IPID)
		binary.BigEndian.PutUint16(b[6:], 0)
		b[8] = ttl
		b[9] = s.Proto
		binary.BigEndian.PutUint16(b[10:], 0)
		putAddr4(b[12:16], s.Src.Addr)
		putAddr4(b[16:20], s.Dst.Addr)
		binary.BigEndian.PutUint16(b[10:], fold(sum(b[:ipv4HeaderLen], 0)))
	}
	t := b[hl:]
	p := t[tl-padLen(s.Proto, pl):]
	n := copy(p, pre)
	n += copy(p[n:], s.Payload)
	clear(p[n:])
	writeTransport(b, v6, s, t, pl)
	return dst
}

// padLen is the SCTP chunk padding that follows a payload of n bytes (it
// is counted in transportLen but written after the payload).
func padLen(proto uint8, n int) int {
	if proto == ProtoSCTP {
		return (4 - n%4) % 4
	}
	return 0
}

// writeTransport fills the transport header at the start of t (whose
// payload of pl bytes is already in place) and its checksum. ip is the
// whole IP packet.
func writeTransport(ip []byte, v6 bool, s *Spec, t []byte, pl int) {
	switch s.Proto {
	case ProtoTCP:
		binary.BigEndian.PutUint16(t[0:], s.Src.Port)
		binary.BigEndian.PutUint16(t[2:], s.Dst.Port)
		binary.BigEndian.PutUint32(t[4:], s.Seq)
		binary.BigEndian.PutUint32(t[8:], s.Ack)
		t[12] = tcpHeaderLen / 4 << 4
		t[13] = s.TCPFlags
		binary.BigEndian.PutUint16(t[14:], 64240) // window
		binary.BigEndian.PutUint16(t[16:], 0)     // checksum
		binary.BigEndian.PutUint16(t[18:], 0)     // urgent pointer
		binary.BigEndian.PutUint16(t[16:], fold(sum(t, pseudoSum(ip, v6, ProtoTCP, len(t)))))
	case ProtoUDP:
		binary.BigEndian.PutUint16(t[0:], s.Src.Port)
		binary.BigEndian.PutUint16(t[2:], s.Dst.Port)
		binary.BigEndian.PutUint16(t[4:], uint16(len(t)))
		binary.BigEndian.PutUint16(t[6:], 0)
		c := fold(sum(t, pseudoSum(ip, v6, ProtoUDP, len(t))))
		if c == 0 {
			c = 0xffff // 0 means "no checksum" in UDP
		}
		binary.BigEndian.PutUint16(t[6:], c)
	case ProtoSCTP:
		binary.BigEndian.PutUint16(t[0:], s.Src.Port)
		binary.BigEndian.PutUint16(t[2:], s.Dst.Port)
		binary.BigEndian.PutUint32(t[4:], s.Ack) // verification tag
		binary.BigEndian.PutUint32(t[8:], 0)     // checksum
		c := t[sctpCommonLen:]
		c[0] = 0    // DATA
		c[1] = 0x03 // B and E: an unfragmented user message
		binary.BigEndian.PutUint16(c[2:], uint16(sctpDataHdrLen+pl))
		binary.BigEndian.PutUint32(c[4:], s.Seq) // TSN
		binary.BigEndian.PutUint16(c[8:], 0)     // stream id
		binary.BigEndian.PutUint16(c[10:], 0)    // stream sequence
		binary.BigEndian.PutUint32(c[12:], 0)    // payload protocol id
		binary.LittleEndian.PutUint32(t[8:], crc32.Checksum(t, castagnoli))
	case ProtoICMP, ProtoICMPv6:
		t[0] = s.ICMPType
		t[1] = s.ICMPCode
		binary.BigEndian.PutUint16(t[2:], 0)
		binary.BigEndian.PutUint16(t[4:], s.Src.Port)
		binary.BigEndian.PutUint16(t[6:], uint16(s.Seq))
		var acc uint64
		if s.Proto == ProtoICMPv6 {
			acc = pseudoSum(ip, v6, ProtoICMPv6, len(t))
		}
		binary.BigEndian.PutUint16(t[2:], fold(sum(t, acc)))
	}
}

// putAddr4 writes a as four bytes, or zeros when a is not IPv4.
func putAddr4(b []byte, a netip.Addr) {
	if a.Is4() {
		v := a.As4()
		copy(b, v[:])
		return
	}
	clear(b[:4])
}

// putAddr16 writes a as sixteen bytes, or zeros when a is not IPv6.
func putAddr16(b []byte, a netip.Addr) {
	if a.Is6() {
		v := a.As16()
		copy(b, v[:])
		return
	}
	clear(b[:16])
}
