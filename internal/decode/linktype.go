package decode

import (
	"encoding/binary"
	"math/bits"
)

// LINKTYPE_ values (https://www.tcpdump.org/linktypes.html) that Decode
// understands.
const (
	linkTypeNull      = 0   // BSD loopback: 4-byte address family, host byte order
	linkTypeEthernet  = 1   // IEEE 802.3 Ethernet
	linkTypeRawBSD12  = 12  // DLT_RAW on most BSDs: raw IPv4 or IPv6
	linkTypeRawBSD14  = 14  // DLT_RAW on OpenBSD: raw IPv4 or IPv6
	linkTypeRaw       = 101 // LINKTYPE_RAW: raw IPv4 or IPv6
	linkTypeLoop      = 108 // OpenBSD loopback: 4-byte address family, network byte order
	linkTypeLinuxSLL  = 113 // Linux cooked capture v1
	linkTypeIPv4      = 228 // raw IPv4
	linkTypeIPv6      = 229 // raw IPv6
	linkTypeLinuxSLL2 = 276 // Linux cooked capture v2
)

// Linux cooked capture headers.
const (
	sllHeaderLen      = 16 // packet type, ARPHRD type, address length, 8-byte address, protocol
	sllProtocolOffset = 14
	// sll2HeaderLen is the SLL2 header: protocol, reserved, interface
	// index, ARPHRD type, packet type, address length, 8-byte address.
	sll2HeaderLen      = 20
	sll2ProtocolOffset = 0
	// sllProtocolLLC is the SLL protocol value for frames that start with
	// an 802.2 LLC header.
	sllProtocolLLC = 0x0004
)

// BSD loopback header and the address-family values it carries.
const (
	nullHeaderLen = 4
	afInet        = 2  // AF_INET everywhere
	afInet6Linux  = 10 // AF_INET6 on Linux
	afInet6BSD    = 24 // AF_INET6 on NetBSD, OpenBSD, BSD/OS
	afInet6BSD2   = 28 // AF_INET6 on FreeBSD, DragonFly
	afInet6Darwin = 30 // AF_INET6 on macOS
	// afMax bounds a plausible address family; a larger value read in one
	// byte order is read again in the other.
	afMax = 0xffff
)

// decodeSLL decodes a Linux cooked v1 frame.
func (p *Packet) decodeSLL(b []byte, opts Options) {
	if len(b) < sllHeaderLen {
		p.Kind = KindMalformed
		return
	}
	proto := binary.BigEndian.Uint16(b[sllProtocolOffset:])
	p.decodeSLLPayload(proto, b[sllHeaderLen:], opts)
}

// decodeSLL2 decodes a Linux cooked v2 frame.
func (p *Packet) decodeSLL2(b []byte, opts Options) {
	if len(b) < sll2HeaderLen {
		p.Kind = KindMalformed
		return
	}
	proto := binary.BigEndian.Uint16(b[sll2ProtocolOffset:])
	p.decodeSLLPayload(proto, b[sll2HeaderLen:], opts)
}

// decodeSLLPayload decodes what follows a cooked header: an EtherType
// payload, or an 802.2 LLC frame. Other protocol values (802.3 raw, CAN,
// netlink, ...) carry no IP.
func (p *Packet) decodeSLLPayload(proto uint16, b []byte, opts Options) {
	switch {
	case proto >= etherTypeMin:
		p.decodeEtherType(proto, b, opts, 0)
	case proto == sllProtocolLLC:
		p.decodeLLC(b, opts, 0)
	default:
		p.Kind = KindNonIP
	}
}

// decodeNull decodes a BSD loopback frame, whose address family is in the
// capturing host's byte order: both orders are accepted.
func (p *Packet) decodeNull(b []byte, opts Options) {
	if len(b) < nullHeaderLen {
		p.Kind = KindMalformed
		return
	}
	af := binary.LittleEndian.Uint32(b)
	if af > afMax {
		af = bits.ReverseBytes32(af)
	}
	p.decodeAddressFamily(af, b[nullHeaderLen:], opts)
}

// decodeLoop decodes an OpenBSD loopback frame (address family in network
// byte order).
func (p *Packet) decodeLoop(b []byte, opts Options) {
	if len(b) < nullHeaderLen {
		p.Kind = KindMalformed
		return
	}
	p.decodeAddressFamily(binary.BigEndian.Uint32(b), b[nullHeaderLen:], opts)
}

func (p *Packet) decodeAddressFamily(af uint32, b []byte, opts Options) {
	switch af {
	case afInet:
		p.decodeIPv4(b, opts, 0)
	case afInet6Linux, afInet6BSD, afInet6BSD2, afInet6Darwin:
		p.decodeIPv6(b, opts, 0)
	default:
		p.Kind = KindNonIP
	}
}
