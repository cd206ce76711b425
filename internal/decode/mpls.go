package decode

import "encoding/binary"

// MPLS label stack entries and what may follow the bottom of the stack.
const (
	mplsLabelLen      = 4
	mplsBottomOffset  = 2    // byte holding the bottom-of-stack bit
	mplsBottomOfStack = 0x01 // S bit
	maxMPLSLabels     = 8    // longest label stack followed
	mplsNibblePW      = 0    // first nibble of a pseudowire control word
	pwControlWordLen  = 4    // RFC 4385 pseudowire control word
)

// decodeMPLS skips an MPLS label stack and reports the EtherType-like type
// of what follows it, chosen by the first nibble after the bottom of the
// stack: 4 is IPv4, 6 is IPv6 and 0 is an Ethernet pseudowire (control
// word, then a whole Ethernet frame whose addresses are not recorded).
// When it returns ok=false it has set p.Kind.
func (p *Packet) decodeMPLS(b []byte) (et uint16, rest []byte, ok bool) {
	for range maxMPLSLabels {
		if len(b) < mplsLabelLen {
			p.Kind = KindMalformed
			return 0, nil, false
		}
		bottom := b[mplsBottomOffset]&mplsBottomOfStack != 0
		b = b[mplsLabelLen:]
		if !bottom {
			continue
		}
		if len(b) == 0 {
			p.Kind = KindMalformed
			return 0, nil, false
		}
		switch b[0] >> ipVersionShift {
		case ipVersion4:
			return etherTypeIPv4, b, true
		case ipVersion6:
			return etherTypeIPv6, b, true
		case mplsNibblePW:
			if len(b) < pwControlWordLen+etherHeaderLen {
				p.Kind = KindMalformed
				return 0, nil, false
			}
			b = b[pwControlWordLen:]
			return binary.BigEndian.Uint16(b[etherTypeOffset:]), b[etherHeaderLen:], true
		default:
			p.Kind = KindNonIP
			return 0, nil, false
		}
	}
	p.Kind = KindMalformed
	return 0, nil, false
}
