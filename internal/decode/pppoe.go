package decode

import "encoding/binary"

// PPPoE session header (RFC 2516) and the PPP protocol numbers of IP.
const (
	pppoeHeaderLen    = 6 // version/type, code, session ID, length
	pppoeLengthOffset = 4
	pppProtoLen       = 2
	pppProtoIPv4      = 0x0021
	pppProtoIPv6      = 0x0057
	// pppAddress and pppControl are the HDLC-like framing bytes that PPP
	// over GRE may keep (RFC 1662); PPPoE omits them.
	pppAddress = 0xff
	pppControl = 0x03
	// pppProtoCompressed marks a one-byte protocol field (protocol-field
	// compression, RFC 1661): the low bit of the first byte is set.
	pppProtoCompressed = 0x01
)

// decodePPPoE decodes a PPPoE session header and the PPP protocol field
// after it. The PPPoE length bounds the payload, so that Ethernet padding
// is dropped. When it returns ok=false it has set p.Kind.
func (p *Packet) decodePPPoE(b []byte) (et uint16, rest []byte, ok bool) {
	if len(b) < pppoeHeaderLen+pppProtoLen {
		p.Kind = KindMalformed
		return 0, nil, false
	}
	if n := pppoeHeaderLen + int(binary.BigEndian.Uint16(b[pppoeLengthOffset:])); n <= len(b) && n >= pppoeHeaderLen+pppProtoLen {
		b = b[:n]
	}
	switch binary.BigEndian.Uint16(b[pppoeHeaderLen:]) {
	case pppProtoIPv4:
		return etherTypeIPv4, b[pppoeHeaderLen+pppProtoLen:], true
	case pppProtoIPv6:
		return etherTypeIPv6, b[pppoeHeaderLen+pppProtoLen:], true
	}
	p.Kind = KindNonIP
	return 0, nil, false
}

// pppPayload decodes a PPP frame as carried by GRE: optional address and
// control bytes, then a one- or two-byte protocol field. It reports the
// EtherType of the payload, or ok=false when it is not IP.
func pppPayload(b []byte) (et uint16, rest []byte, ok bool) {
	if len(b) >= 2 && b[0] == pppAddress && b[1] == pppControl {
		b = b[2:]
	}
	if len(b) == 0 {
		return 0, nil, false
	}
	var proto uint16
	if b[0]&pppProtoCompressed != 0 {
		proto, b = uint16(b[0]), b[1:]
	} else {
		if len(b) < pppProtoLen {
			return 0, nil, false
		}
		proto, b = binary.BigEndian.Uint16(b), b[pppProtoLen:]
	}
	switch proto {
	case pppProtoIPv4:
		return etherTypeIPv4, b, true
	case pppProtoIPv6:
		return etherTypeIPv6, b, true
	}
	return 0, nil, false
}
