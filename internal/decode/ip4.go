package decode

import "encoding/binary"

// IPv4 header (RFC 791).
const (
	ipVersionShift    = 4 // the version is the first byte's high nibble
	ipVersion4        = 4
	ipVersion6        = 6
	ip4MinHeaderLen   = 20
	ip4IHLMask        = 0x0f
	ip4IHLUnit        = 4 // IHL counts 32-bit words
	ip4TotalLenOffset = 2
	ip4IDOffset       = 4
	ip4FlagsOffset    = 6
	ip4FlagMF         = 0x2000
	ip4FragOffsetMask = 0x1fff
	ip4FragOffsetUnit = 8 // the fragment offset counts 8-byte units
	ip4ProtoOffset    = 9
	ip4SrcOffset      = 12
	ip4DstOffset      = 16
	ip4AddrLen        = 4
)

// decodeIPv4 decodes an IPv4 packet. A header that is cut short or invalid
// makes the packet KindMalformed; a cut transport header only leaves
// HasPorts false. The total length bounds the packet, so that link-layer
// padding and trailers are ignored.
func (p *Packet) decodeIPv4(b []byte, opts Options, depth uint8) {
	p.clearNetwork()
	p.TunnelDepth = depth
	if len(b) < ip4MinHeaderLen || b[0]>>ipVersionShift != ipVersion4 {
		p.Kind = KindMalformed
		return
	}
	ihl := int(b[0]&ip4IHLMask) * ip4IHLUnit
	if ihl < ip4MinHeaderLen || ihl > len(b) {
		p.Kind = KindMalformed
		return
	}
	// A total length below the header length is invalid or, from TSO/GRO
	// offload, zero: then the captured length is all there is to go by.
	if n := int(binary.BigEndian.Uint16(b[ip4TotalLenOffset:])); n >= ihl && n <= len(b) {
		b = b[:n:n]
	}
	p.Kind = KindIPv4
	copy(p.Src[:ip4AddrLen], b[ip4SrcOffset:ip4SrcOffset+ip4AddrLen])
	copy(p.Dst[:ip4AddrLen], b[ip4DstOffset:ip4DstOffset+ip4AddrLen])
	p.Proto = b[ip4ProtoOffset]
	flags := binary.BigEndian.Uint16(b[ip4FlagsOffset:])
	off := uint32(flags&ip4FragOffsetMask) * ip4FragOffsetUnit
	if flags&ip4FlagMF != 0 || off != 0 {
		p.IsFragment = true
		p.MoreFragments = flags&ip4FlagMF != 0
		p.FragOffset = off
		p.FragID = uint32(binary.BigEndian.Uint16(b[ip4IDOffset:]))
	}
	if off == 0 {
		p.decodeTransport(b[ihl:], opts, depth)
	}
}
