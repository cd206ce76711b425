package decode

// maxTunnelDepth bounds the tunnel layers decapsulated: a packet nested
// deeper reports the fields of the layer at this depth.
const maxTunnelDepth = 4

// payloadKind says how a tunnel's payload starts.
type payloadKind uint8

const (
	payloadIPv4      payloadKind = iota + 1
	payloadIPv6                  // an IPv6 header
	payloadIP                    // IPv4 or IPv6 by the first nibble
	payloadEthernet              // an Ethernet frame
	payloadEtherType             // the payload of a header with the given EtherType
)

// decapsulate decodes b, the payload of a tunnel found at depth, as the
// packet at depth+1. The inner fields replace the outer ones, except the
// outer link's MACs and VLANs. When the inner packet is not IP or its IP
// header is unreadable, p is restored to the outer packet.
func (p *Packet) decapsulate(kind payloadKind, et uint16, b []byte, opts Options, depth uint8) {
	outer := *p
	depth++
	switch kind {
	case payloadIPv4:
		p.decodeIPv4(b, opts, depth)
	case payloadIPv6:
		p.decodeIPv6(b, opts, depth)
	case payloadIP:
		p.decodeIPByVersion(b, opts, depth)
	case payloadEthernet:
		p.decodeEthernet(b, opts, depth)
	case payloadEtherType:
		p.decodeEtherType(et, b, opts, depth)
	}
	if !p.isIP() {
		*p = outer
	}
}
