package decode

import "encoding/binary"

// IPv6 header (RFC 8200) and the extension headers walked past.
const (
	ip6HeaderLen         = 40
	ip6PayloadLenOffset  = 4
	ip6NextHeaderOffset  = 6
	ip6SrcOffset         = 8
	ip6DstOffset         = 24
	ip6AddrLen           = 16
	ip6ExtMinLen         = 8 // every extension header walked is at least 8 bytes
	ip6ExtLenOffset      = 1
	ip6ExtLenUnit        = 8 // hop-by-hop, routing, destination options: (n+1)*8
	ip6AHLenUnit         = 4 // AH: (n+2)*4
	ip6AHLenBias         = 2
	ip6FragOffsetOffset  = 2
	ip6FragOffsetMask    = 0xfff8 // offset in 8-byte units, already scaled by the mask
	ip6FragFlagM         = 0x0001
	ip6FragIDOffset      = 4
	maxIPv6ExtHeaders    = 8 // longest extension header chain followed
	ipProtoHopByHop      = 0
	ipProtoRouting       = 43
	ipProtoFragment      = 44
	ipProtoAH            = 51
	ipProtoDestOpts      = 60
	ip6ExtUnitBias       = 1
	ip6FragHeaderFullLen = 8
)

// ip6Ext is the result of walking an IPv6 extension header chain.
type ip6Ext struct {
	// proto is the first next-header value that is not a walked extension
	// header, or the extension header the walk stopped at.
	proto uint8
	// payload is what follows the chain; nil when complete is false.
	payload []byte
	// complete is false when an extension header was cut short or the
	// chain was longer than maxIPv6ExtHeaders.
	complete bool
	// Fragment header fields; frag is set for a non-atomic fragment.
	frag    bool
	more    bool
	fragOff uint32
	fragID  uint32
}

// isIPv6Ext reports whether next is an extension header walkIPv6Ext walks.
func isIPv6Ext(next uint8) bool {
	switch next {
	case ipProtoHopByHop, ipProtoRouting, ipProtoDestOpts, ipProtoAH, ipProtoFragment:
		return true
	}
	return false
}

// walkIPv6Ext walks the extension headers starting with next, in b.
func walkIPv6Ext(next uint8, b []byte) ip6Ext {
	var e ip6Ext
	for range maxIPv6ExtHeaders {
		var n int
		switch next {
		case ipProtoHopByHop, ipProtoRouting, ipProtoDestOpts:
			if len(b) < ip6ExtMinLen {
				e.proto = next
				return e
			}
			n = (int(b[ip6ExtLenOffset]) + ip6ExtUnitBias) * ip6ExtLenUnit
		case ipProtoAH:
			if len(b) < ip6ExtMinLen {
				e.proto = next
				return e
			}
			n = (int(b[ip6ExtLenOffset]) + ip6AHLenBias) * ip6AHLenUnit
		case ipProtoFragment:
			if len(b) < ip6FragHeaderFullLen {
				e.proto = next
				return e
			}
			fo := binary.BigEndian.Uint16(b[ip6FragOffsetOffset:])
			e.fragOff = uint32(fo & ip6FragOffsetMask)
			e.more = fo&ip6FragFlagM != 0
			if e.fragOff != 0 || e.more {
				e.frag = true
				e.fragID = binary.BigEndian.Uint32(b[ip6FragIDOffset:])
			}
			n = ip6FragHeaderFullLen
		default:
			e.proto = next
			e.payload = b
			e.complete = true
			return e
		}
		if n > len(b) {
			e.proto = next
			return e
		}
		next = b[0]
		b = b[n:]
	}
	e.proto = next
	return e
}

// decodeIPv6 decodes an IPv6 packet and its extension headers. A fixed
// header that is cut short or has the wrong version makes the packet
// KindMalformed. An extension header chain that is cut short leaves Proto
// at the extension header where the walk stopped and HasPorts false. The
// payload length bounds the packet, so that link-layer padding is ignored.
func (p *Packet) decodeIPv6(b []byte, opts Options, depth uint8) {
	p.clearNetwork()
	p.TunnelDepth = depth
	if len(b) < ip6HeaderLen || b[0]>>ipVersionShift != ipVersion6 {
		p.Kind = KindMalformed
		return
	}
	// A zero payload length is a jumbogram or TSO/GRO offload: then the
	// captured length is all there is to go by.
	if n := ip6HeaderLen + int(binary.BigEndian.Uint16(b[ip6PayloadLenOffset:])); n > ip6HeaderLen && n <= len(b) {
		b = b[:n:n]
	}
	p.Kind = KindIPv6
	copy(p.Src[:], b[ip6SrcOffset:ip6SrcOffset+ip6AddrLen])
	copy(p.Dst[:], b[ip6DstOffset:ip6DstOffset+ip6AddrLen])
	next := b[ip6NextHeaderOffset]
	if !isIPv6Ext(next) { // the common case: no extension headers
		p.Proto = next
		p.decodeTransport(b[ip6HeaderLen:], opts, depth)
		return
	}
	e := walkIPv6Ext(next, b[ip6HeaderLen:])
	p.Proto = e.proto
	if e.frag {
		p.IsFragment = true
		p.MoreFragments = e.more
		p.FragOffset = e.fragOff
		p.FragID = e.fragID
	}
	if e.complete && e.fragOff == 0 {
		p.decodeTransport(e.payload, opts, depth)
	}
}
