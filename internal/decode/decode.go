package decode

// Decode decodes b, captured on an interface of the given LINKTYPE_ value,
// into p. It overwrites every field of p, never allocates, never reads past
// len(b), and never panics. b is only read, and p keeps no reference to it.
//
// Decode never fails: a packet it cannot parse gets a Kind that says why
// (KindMalformed, KindNonIP, KindUnsupportedLink).
func (p *Packet) Decode(linkType uint16, b []byte, opts Options) {
	*p = Packet{}
	b = b[:len(b):len(b)]
	switch linkType {
	case linkTypeEthernet:
		p.decodeEthernet(b, opts, 0)
	case linkTypeRaw, linkTypeRawBSD12, linkTypeRawBSD14:
		p.decodeIPByVersion(b, opts, 0)
	case linkTypeIPv4:
		p.decodeIPv4(b, opts, 0)
	case linkTypeIPv6:
		p.decodeIPv6(b, opts, 0)
	case linkTypeLinuxSLL:
		p.decodeSLL(b, opts)
	case linkTypeLinuxSLL2:
		p.decodeSLL2(b, opts)
	case linkTypeNull:
		p.decodeNull(b, opts)
	case linkTypeLoop:
		p.decodeLoop(b, opts)
	default:
		p.Kind = KindUnsupportedLink
	}
}

// decodeIPByVersion decodes an IP packet whose version is given by the
// first nibble, as on raw-IP links and after an MPLS label stack.
func (p *Packet) decodeIPByVersion(b []byte, opts Options, depth uint8) {
	if len(b) == 0 {
		p.Kind = KindMalformed
		return
	}
	switch b[0] >> ipVersionShift {
	case ipVersion4:
		p.decodeIPv4(b, opts, depth)
	case ipVersion6:
		p.decodeIPv6(b, opts, depth)
	default:
		p.Kind = KindMalformed
	}
}

// clearNetwork zeroes the fields that describe the network and transport
// layers, keeping the outer link's VLAN and MAC fields. It runs before an
// IP header is decoded, so that an inner header fully replaces an outer one.
func (p *Packet) clearNetwork() {
	p.Src = [16]byte{}
	p.Dst = [16]byte{}
	p.Proto = 0
	p.SrcPort, p.DstPort = 0, 0
	p.HasPorts = false
	p.TCPFlags = 0
	p.IsFragment = false
	p.FragOffset = 0
	p.MoreFragments = false
	p.FragID = 0
	p.ICMPError = false
}

// isIP reports whether p holds a decoded IP header.
func (p *Packet) isIP() bool {
	return p.Kind == KindIPv4 || p.Kind == KindIPv6
}
