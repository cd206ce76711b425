package decode

// Header builders for the table tests. Each returns the bytes of one
// header, annotated field by field; fixtures are joined with cat.

var (
	macDst = [6]byte{0x02, 0x00, 0x5e, 0x00, 0x00, 0x02}
	macSrc = [6]byte{0x02, 0x00, 0x5e, 0x00, 0x00, 0x01}

	addrA  = [4]byte{192, 0, 2, 1}
	addrB  = [4]byte{198, 51, 100, 2}
	addrC  = [4]byte{10, 0, 0, 1}
	addrD  = [4]byte{10, 0, 0, 2}
	addrA6 = [16]byte{0x20, 0x01, 0x0d, 0xb8, 15: 0x01}
	addrB6 = [16]byte{0x20, 0x01, 0x0d, 0xb8, 15: 0x02}
	addrC6 = [16]byte{0xfd, 0x00, 15: 0x03}
	addrD6 = [16]byte{0xfd, 0x00, 15: 0x04}
)

// cat joins headers into one frame.
func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

// zeros returns n zero bytes of payload.
func zeros(n int) []byte { return make([]byte, n) }

// a16 widens an IPv4 address to Packet's 16-byte form.
func a16(a [4]byte) [16]byte { return [16]byte{a[0], a[1], a[2], a[3]} }

func ethHeader(etherType uint16) []byte {
	return cat(
		macDst[:], // destination MAC
		macSrc[:], // source MAC
		[]byte{byte(etherType >> 8), byte(etherType)}, // EtherType
	)
}

func vlanTag(id, next uint16) []byte {
	return []byte{
		byte(id >> 8), byte(id), // PCP 0, DEI 0, VLAN ID
		byte(next >> 8), byte(next), // next EtherType
	}
}

func ip4Header(proto byte, totalLen, fragField, id uint16, src, dst [4]byte) []byte {
	return []byte{
		0x45,                                // version 4, IHL 5 (20 bytes)
		0x00,                                // DSCP, ECN
		byte(totalLen >> 8), byte(totalLen), // total length
		byte(id >> 8), byte(id), // identification
		byte(fragField >> 8), byte(fragField), // flags (0x2000 MF), offset in 8-byte units
		64,         // TTL
		proto,      // protocol
		0x00, 0x00, // header checksum (not verified)
		src[0], src[1], src[2], src[3], // source address
		dst[0], dst[1], dst[2], dst[3], // destination address
	}
}

func ip6Header(next byte, payloadLen uint16, src, dst [16]byte) []byte {
	return cat(
		[]byte{
			0x60, 0x00, 0x00, 0x00, // version 6, traffic class, flow label
			byte(payloadLen >> 8), byte(payloadLen), // payload length
			next, // next header
			64,   // hop limit
		},
		src[:], // source address
		dst[:], // destination address
	)
}

// ip6ExtHeader returns an 8-byte hop-by-hop, routing or destination options
// header (length field 0: 8 bytes).
func ip6ExtHeader(next byte) []byte {
	return []byte{
		next,                               // next header
		0,                                  // header extension length: (0+1)*8 bytes
		0x01, 0x04, 0x00, 0x00, 0x00, 0x00, // PadN option (or routing type/segments left + data)
	}
}

func ip6Frag(next byte, offsetBytes uint16, more bool, id uint32) []byte {
	f := offsetBytes &^ 7
	if more {
		f |= 1
	}
	return []byte{
		next,                  // next header
		0,                     // reserved
		byte(f >> 8), byte(f), // offset (8-byte units << 3), M flag
		byte(id >> 24), byte(id >> 16), byte(id >> 8), byte(id), // identification
	}
}

func udpHeader(sport, dport, length uint16) []byte {
	return []byte{
		byte(sport >> 8), byte(sport), // source port
		byte(dport >> 8), byte(dport), // destination port
		byte(length >> 8), byte(length), // length (header and payload)
		0x00, 0x00, // checksum (not verified)
	}
}

func tcpHeader(sport, dport uint16, flags byte) []byte {
	return []byte{
		byte(sport >> 8), byte(sport), // source port
		byte(dport >> 8), byte(dport), // destination port
		0x00, 0x00, 0x00, 0x01, // sequence number
		0x00, 0x00, 0x00, 0x00, // acknowledgment number
		0x50,       // data offset 5 (20 bytes)
		flags,      // flags
		0xff, 0xff, // window
		0x00, 0x00, // checksum (not verified)
		0x00, 0x00, // urgent pointer
	}
}

// TCP flags used in fixtures.
const (
	flagSYN = 0x02
	flagACK = 0x10
)

// ip4Packet returns an IPv4 header (identification 1, no fragmentation)
// with payload; the total length is computed.
func ip4Packet(proto byte, src, dst [4]byte, payload []byte) []byte {
	return cat(ip4Header(proto, uint16(20+len(payload)), 0, 1, src, dst), payload)
}

// ip6Packet returns an IPv6 header with payload; the payload length is
// computed.
func ip6Packet(next byte, src, dst [16]byte, payload []byte) []byte {
	return cat(ip6Header(next, uint16(len(payload)), src, dst), payload)
}

// udpDatagram returns a UDP header with payload; the length is computed.
func udpDatagram(sport, dport uint16, payload []byte) []byte {
	return cat(udpHeader(sport, dport, uint16(8+len(payload))), payload)
}

// ip4TCP is a 40-byte IPv4 TCP SYN from src:40000 to dst:80.
func ip4TCP(src, dst [4]byte) []byte {
	return ip4Packet(6, src, dst, tcpHeader(40000, 80, flagSYN))
}

// ip6UDP is an IPv6 UDP datagram from src:5353 to dst:53 with 4 bytes of
// payload.
func ip6UDP(src, dst [16]byte) []byte {
	return ip6Packet(17, src, dst, udpDatagram(5353, 53, zeros(4)))
}

// wantTCP4 and wantUDP6 are the decoded forms of ip4TCP and ip6UDP.
func wantTCP4(src, dst [4]byte) Packet {
	return Packet{Kind: KindIPv4, Src: a16(src), Dst: a16(dst), Proto: 6, SrcPort: 40000, DstPort: 80, HasPorts: true, TCPFlags: flagSYN}
}

func wantUDP6(src, dst [16]byte) Packet {
	return Packet{Kind: KindIPv6, Src: src, Dst: dst, Proto: 17, SrcPort: 5353, DstPort: 53, HasPorts: true}
}

// onEther sets the outer Ethernet addresses of the ethHeader fixtures.
func onEther(p Packet) Packet {
	p.SrcMAC, p.DstMAC, p.HasMAC = macSrc, macDst, true
	return p
}

// depth sets TunnelDepth.
func depth(p Packet, d uint8) Packet {
	p.TunnelDepth = d
	return p
}
