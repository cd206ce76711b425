package decode

import "encoding/binary"

// Tags between the Ethernet header and the network layer.
const (
	vlanTagLen      = 4 // TCI, then the next EtherType
	vlanTypeOffset  = 2
	vlanIDMask      = 0x0fff
	vntagLen        = 6 // Cisco VN-Tag: 4-byte tag, then the next EtherType
	vntagTypeOffset = 4
	// maxVLANTags is the longest VLAN tag stack followed.
	maxVLANTags = 8
	// maxLinkHeaders bounds the headers (tags, label stacks, PPPoE, LLC,
	// pseudowires) followed between a link header and the network layer.
	maxLinkHeaders = 16
)

// decodeEtherType decodes b, the payload of a header whose EtherType (or
// 802.3 length) field is et, following VLAN tags, VN-Tags, MPLS label
// stacks, PPPoE sessions and LLC/SNAP headers down to IP. VLAN IDs are
// recorded only at depth 0.
func (p *Packet) decodeEtherType(et uint16, b []byte, opts Options, depth uint8) {
	tags := 0
	for range maxLinkHeaders {
		switch et {
		case etherTypeIPv4:
			p.decodeIPv4(b, opts, depth)
			return
		case etherTypeIPv6:
			p.decodeIPv6(b, opts, depth)
			return
		case etherTypeVLAN, etherTypeQinQ, etherTypeQinQ9100, etherTypeQinQ9200, etherTypeQinQ9300:
			if len(b) < vlanTagLen || tags == maxVLANTags {
				p.Kind = KindMalformed
				return
			}
			if depth == 0 {
				id := binary.BigEndian.Uint16(b) & vlanIDMask
				switch tags {
				case 0:
					p.VLAN = id
				case 1:
					p.InnerVLAN = id
				}
			}
			tags++
			et = binary.BigEndian.Uint16(b[vlanTypeOffset:])
			b = b[vlanTagLen:]
		case etherTypeVNTag:
			if len(b) < vntagLen {
				p.Kind = KindMalformed
				return
			}
			et = binary.BigEndian.Uint16(b[vntagTypeOffset:])
			b = b[vntagLen:]
		case etherTypeMPLS, etherTypeMPLSMcast:
			var ok bool
			if et, b, ok = p.decodeMPLS(b); !ok {
				return
			}
		case etherTypePPPoE:
			var ok bool
			if et, b, ok = p.decodePPPoE(b); !ok {
				return
			}
		default:
			if et > etherMaxLengthType {
				p.Kind = KindNonIP
				return
			}
			var ok bool
			if et, b, ok = p.decodeLLCSNAP(et, b); !ok {
				return
			}
		}
	}
	p.Kind = KindMalformed
}
