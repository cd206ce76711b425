package testpkt

import "net/netip"

// IP protocol numbers the builders treat specially.
const (
	ProtoICMP   = 1
	ProtoIPIP   = 4
	ProtoTCP    = 6
	ProtoUDP    = 17
	ProtoIPv6   = 41
	ProtoGRE    = 47
	ProtoICMPv6 = 58
	ProtoSCTP   = 132
)

// EtherTypes used by the builders.
const (
	EtherTypeIPv4  = 0x0800
	EtherTypeIPv6  = 0x86dd
	EtherTypeVLAN  = 0x8100
	EtherTypeQinQ  = 0x88a8
	EtherTypeTEB   = 0x6558 // transparent Ethernet bridging (GRE, Geneve)
	etherHeaderLen = 14
	vlanTagLen     = 4
	etherMinLen    = 60 // minimum frame length without the FCS
)

// TCP flag bits for Spec.TCPFlags.
const (
	TCPFin = 0x01
	TCPSyn = 0x02
	TCPRst = 0x04
	TCPPsh = 0x08
	TCPAck = 0x10
)

// defaultTTL is the TTL or hop limit used when Spec.TTL is zero.
const defaultTTL = 64

// Endpoint is one end of a flow: an address and, for TCP, UDP and SCTP, a
// port. For ICMP echo packets the source port is the echo identifier.
type Endpoint struct {
	Addr netip.Addr
	Port uint16
}

// Spec describes one packet for IPPacket and Frame.
//
// The IP version is the family of Src.Addr: an IPv6 address (including an
// IPv4-mapped one) gives IPv6, anything else IPv4 (the zero Addr gives
// 0.0.0.0). A Dst.Addr of the other family is written as all zeros.
type Spec struct {
	// SrcMAC and DstMAC are the Ethernet addresses (Frame only).
	SrcMAC, DstMAC [6]byte
	// VLANs are the 802.1Q tag control fields (PCP, DEI and VLAN ID; a
	// plain VLAN ID is a valid value), outermost first; none means an
	// untagged frame (Frame only).
	VLANs []uint16
	// QinQ gives the outermost tag the 802.1ad TPID 0x88a8 instead of
	// 0x8100 (Frame only).
	QinQ bool

	Src, Dst Endpoint

	// Proto is the IP protocol. TCP, UDP, SCTP, ICMP and ICMPv6 get a
	// transport header built from the fields below; any other protocol
	// carries Payload verbatim after the IP header.
	Proto uint8
	// TCPFlags, Seq and Ack fill the TCP header. For SCTP, Seq is the DATA
	// chunk's TSN and Ack the verification tag. For ICMP echo, the low 16
	// bits of Seq are the echo sequence number.
	TCPFlags uint8
	Seq, Ack uint32
	// ICMPType and ICMPCode fill an ICMP or ICMPv6 header verbatim (8 and
	// 0 echo request, 0 echo reply; 128 and 129 for ICMPv6). The 4 bytes
	// after the checksum are the echo identifier (Src.Port) and sequence.
	ICMPType, ICMPCode uint8
	// IPID is the IPv4 identification (ignored for IPv6).
	IPID uint16
	// TTL is the IPv4 TTL or IPv6 hop limit; 0 means 64.
	TTL uint8
	// Payload is the transport payload. For SCTP it is wrapped in one DATA
	// chunk (padded to four bytes).
	Payload []byte
}

// is6 reports whether s builds an IPv6 packet.
func (s *Spec) is6() bool { return s.Src.Addr.Is6() }
