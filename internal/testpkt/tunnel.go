package testpkt

import (
	"encoding/binary"
	"net/netip"
)

// Well-known tunnel ports and header constants.
const (
	PortVXLAN  = 4789
	PortGeneve = 6081
	PortGTPU   = 2152
	// tunnelSrcPort is the outer UDP source port used when the outer Spec
	// leaves it zero (VXLAN and Geneve).
	tunnelSrcPort = 49152

	greHeaderLen    = 4
	vxlanHeaderLen  = 8
	vxlanFlagVNI    = 0x08
	geneveHeaderLen = 8
	gtpuHeaderLen   = 8
	gtpuFlags       = 0x30 // version 1, protocol type GTP, no optional fields
	gtpuTypeGPDU    = 0xff
)

// GRE appends to dst an IP packet from outerSrc to outerDst carrying a
// basic GRE header (RFC 2784: no checksum, key or sequence number) with
// protocol type protoType (0x0800 IPv4, 0x86dd IPv6, 0x6558 Ethernet) and
// then inner, and returns the extended slice. The outer family is
// outerSrc's; TTL 64, IPv4 identification 0.
func GRE(dst []byte, outerSrc, outerDst netip.Addr, inner []byte, protoType uint16) []byte {
	var h [greHeaderLen]byte
	binary.BigEndian.PutUint16(h[2:], protoType)
	s := Spec{Src: Endpoint{Addr: outerSrc}, Dst: Endpoint{Addr: outerDst}, Proto: ProtoGRE, Payload: inner}
	return appendIP(dst, &s, h[:])
}

// IPinIP appends to dst an IP packet from outerSrc to outerDst whose
// payload is the IP packet inner (protocol 4 for an IPv4 inner packet, 41
// for IPv6: 4in4, 6in4, 4in6 or 6in6 by the two families), and returns the
// extended slice. dst is returned unchanged when inner does not start with
// IP version 4 or 6.
func IPinIP(dst []byte, outerSrc, outerDst netip.Addr, inner []byte) []byte {
	if len(inner) == 0 {
		return dst
	}
	s := Spec{Src: Endpoint{Addr: outerSrc}, Dst: Endpoint{Addr: outerDst}, Payload: inner}
	switch inner[0] >> 4 {
	case 4:
		s.Proto = ProtoIPIP
	case 6:
		s.Proto = ProtoIPv6
	default:
		return dst
	}
	return appendIP(dst, &s, nil)
}

// VXLAN appends to dst an IP/UDP packet built from outer (addresses, ports,
// TTL, IPID) carrying a VXLAN header with network identifier vni (24 bits)
// and the Ethernet frame innerFrame, and returns the extended slice. A zero
// outer.Dst.Port becomes 4789 and a zero outer.Src.Port 49152; outer's
// Proto, Payload and Ethernet fields are ignored.
func VXLAN(dst []byte, outer Spec, vni uint32, innerFrame []byte) []byte {
	var h [vxlanHeaderLen]byte
	h[0] = vxlanFlagVNI
	binary.BigEndian.PutUint32(h[4:], vni<<8)
	return appendUDPTunnel(dst, &outer, PortVXLAN, tunnelSrcPort, h[:], innerFrame)
}

// Geneve appends to dst an IP/UDP packet built from outer carrying a Geneve
// header (RFC 8926, no options, protocol type Ethernet) with network
// identifier vni (24 bits) and the Ethernet frame innerFrame, and returns
// the extended slice. A zero outer.Dst.Port becomes 6081 and a zero
// outer.Src.Port 49152; outer's Proto, Payload and Ethernet fields are
// ignored.
func Geneve(dst []byte, outer Spec, vni uint32, innerFrame []byte) []byte {
	var h [geneveHeaderLen]byte
	binary.BigEndian.PutUint16(h[2:], EtherTypeTEB)
	binary.BigEndian.PutUint32(h[4:], vni<<8)
	return appendUDPTunnel(dst, &outer, PortGeneve, tunnelSrcPort, h[:], innerFrame)
}

// GTPU appends to dst an IP/UDP packet built from outer carrying a GTPv1-U
// G-PDU header (no optional fields) with tunnel endpoint identifier teid
// and the IP packet innerIP, and returns the extended slice. Zero outer
// ports become 2152; outer's Proto, Payload and Ethernet fields are
// ignored.
func GTPU(dst []byte, outer Spec, teid uint32, innerIP []byte) []byte {
	var h [gtpuHeaderLen]byte
	h[0] = gtpuFlags
	h[1] = gtpuTypeGPDU
	binary.BigEndian.PutUint16(h[2:], uint16(len(innerIP)))
	binary.BigEndian.PutUint32(h[4:], teid)
	return appendUDPTunnel(dst, &outer, PortGTPU, PortGTPU, h[:], innerIP)
}

// appendUDPTunnel builds the outer UDP packet for a UDP-based tunnel with
// header h and payload inner, filling in default ports.
func appendUDPTunnel(dst []byte, outer *Spec, dport, sport uint16, h, inner []byte) []byte {
	outer.Proto = ProtoUDP
	outer.Payload = inner
	if outer.Dst.Port == 0 {
		outer.Dst.Port = dport
	}
	if outer.Src.Port == 0 {
		outer.Src.Port = sport
	}
	return appendIP(dst, outer, h)
}
