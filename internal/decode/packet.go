package decode

// Kind classifies a decoded packet. Decode never fails: a packet that cannot
// be parsed gets a Kind that says why, and the router decides what to do.
type Kind uint8

const (
	// KindUnknown is the zero value; Decode never returns it.
	KindUnknown Kind = iota
	// KindIPv4 is an IPv4 packet whose addresses (and, when present, ports)
	// were read.
	KindIPv4
	// KindIPv6 is an IPv6 packet whose addresses (and, when present, ports)
	// were read.
	KindIPv6
	// KindNonIP is a frame whose link layer was parsed but that carries no
	// IP (ARP, LLDP, STP, ...). SrcMAC/DstMAC are valid when HasMAC is set.
	KindNonIP
	// KindMalformed is a packet whose IP header is cut short or invalid
	// (bad version, IHL < 5, caplen too short for the header), or whose
	// link-layer headers are cut short or nested deeper than the decoder's
	// bounds (VLAN tags, MPLS labels). SrcMAC/DstMAC are valid when HasMAC
	// is set.
	KindMalformed
	// KindUnsupportedLink is a packet of a link type the decoder does not
	// know. Nothing else is set.
	KindUnsupportedLink
)

// Packet is the decoded view of one packet that routing needs. It is a plain
// value, owned by the caller and reused across calls: Decode overwrites every
// field and never allocates.
type Packet struct {
	Kind Kind

	// Src and Dst are the IP addresses. IPv4 addresses occupy the first four
	// bytes; the other twelve are zero.
	Src, Dst [16]byte
	// Proto is the transport protocol number after IPv6 extension headers
	// (6 TCP, 17 UDP, 132 SCTP, 136 UDP-Lite, 1 ICMP, 58 ICMPv6, ...).
	// When the extension header chain is cut short or too long to walk,
	// Proto is the extension header where the walk stopped.
	Proto uint8
	// SrcPort and DstPort are set when HasPorts is true: TCP, UDP, UDP-Lite
	// and SCTP with at least the first four transport bytes captured, in a
	// packet that is not a non-first fragment.
	SrcPort, DstPort uint16
	HasPorts         bool
	// TCPFlags is the TCP flags byte when Proto is TCP and it was captured.
	TCPFlags uint8

	// VLAN is the outermost 802.1Q/802.1ad VLAN ID, InnerVLAN the second
	// one (0 when absent), like Zeek's vlan and inner_vlan. Tags are counted
	// on the capture's own link, including inside an MPLS Ethernet
	// pseudowire, but not inside a tunnel.
	VLAN, InnerVLAN uint16

	// SrcMAC and DstMAC are the outermost Ethernet addresses when HasMAC
	// (Ethernet link type only).
	SrcMAC, DstMAC [6]byte
	HasMAC         bool

	// Fragment fields. IsFragment is set for any IPv4 packet with MF set or
	// a non-zero offset, and for any IPv6 packet with a Fragment header that
	// is not atomic (offset 0 and M=0 is atomic and not a fragment). The
	// other fragment fields are zero unless IsFragment.
	IsFragment bool
	// FragOffset is the fragment offset in bytes.
	FragOffset uint32
	// MoreFragments is the MF / M flag.
	MoreFragments bool
	// FragID is the IPv4 identification or the IPv6 fragment identification.
	FragID uint32

	// ICMPError is set when the packet is an ICMP or ICMPv6 error (dest
	// unreachable, time exceeded, parameter problem, packet too big, and
	// ICMPv4 source quench / redirect) whose quoted header was decoded and
	// the fields above (Src, Dst, Proto, ports) were replaced by the quoted
	// packet's, so the error routes with the flow it reports on. TCPFlags
	// is then zero. Only when Options.ICMPErrors is set, and never for an
	// error that is itself an IP fragment.
	ICMPError bool

	// TunnelDepth is the number of tunnel layers decapsulated to reach the
	// fields above (0 = outer header). Only when Options.Tunnels is set.
	// A tunnel whose inner packet is not readable IP is not counted: the
	// fields are those of the deepest readable layer.
	TunnelDepth uint8
}

// Options select how deep Decode looks.
type Options struct {
	// Tunnels decapsulates GRE (incl. transparent Ethernet bridging,
	// ERSPAN I/II/III, PPP and PPTP's enhanced GRE), IP-in-IP, 6in4, 4in6,
	// VXLAN (UDP 4789 either port) and VXLAN-GPE (4790), Geneve (UDP
	// destination 6081), GTP-U (UDP 2152 either port) and Teredo (UDP 3544
	// either port) and reports the inner header, to a bounded depth (4).
	// Tunnels inside IP fragments are not opened.
	Tunnels bool
	// ICMPErrors makes ICMP errors report the quoted packet's flow.
	ICMPErrors bool
}
