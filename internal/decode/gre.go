package decode

import "encoding/binary"

// GRE header (RFC 2784, RFC 2890; version 1 is PPTP's enhanced GRE,
// RFC 2637).
const (
	greHeaderLen      = 4 // flags and version, protocol type
	greProtoOffset    = 2
	greFlagChecksum   = 0x8000 // checksum and reserved word present
	greFlagRouting    = 0x4000 // RFC 1701 source routing: not decoded
	greFlagKey        = 0x2000 // key word present (version 1: always)
	greFlagSeq        = 0x1000 // sequence number word present
	greFlagAck        = 0x0080 // version 1: acknowledgment number present
	greVersionMask    = 0x0007
	greVersion0       = 0
	greVersion1       = 1
	greOptionalLen    = 4 // each optional word
	erspan2HeaderLen  = 8
	erspan3HeaderLen  = 12
	erspan3SubHdrLen  = 8    // platform-specific sub-header
	erspan3FlagsByte  = 11   // holds the O bit
	erspan3FlagO      = 0x01 // platform-specific sub-header present
	erspan3FTByte     = 10   // holds the 5-bit frame type
	erspan3FTShift    = 2
	erspan3FTMask     = 0x1f
	erspan3FTEthernet = 0
	erspan3FTIP       = 2
)

// decodeGRE decapsulates the payload of a GRE packet. Unknown versions,
// source routing and non-IP PPP leave p as the outer packet.
func (p *Packet) decodeGRE(b []byte, opts Options, depth uint8) {
	if len(b) < greHeaderLen {
		return
	}
	flags := binary.BigEndian.Uint16(b)
	proto := binary.BigEndian.Uint16(b[greProtoOffset:])
	n := greHeaderLen
	switch flags & greVersionMask {
	case greVersion0:
		if flags&greFlagRouting != 0 {
			return
		}
		if flags&greFlagChecksum != 0 {
			n += greOptionalLen
		}
		if flags&greFlagKey != 0 {
			n += greOptionalLen
		}
		if flags&greFlagSeq != 0 {
			n += greOptionalLen
		}
	case greVersion1:
		if flags&greFlagKey == 0 || proto != etherTypePPP {
			return
		}
		n += greOptionalLen
		if flags&greFlagSeq != 0 {
			n += greOptionalLen
		}
		if flags&greFlagAck != 0 {
			n += greOptionalLen
		}
	default:
		return
	}
	if n > len(b) {
		return
	}
	b = b[n:]
	switch proto {
	case etherTypeTEB:
		p.decapsulate(payloadEthernet, 0, b, opts, depth)
	case etherTypeERSPAN:
		// Type I has no ERSPAN header and no GRE sequence number; type II
		// always sets the sequence number flag.
		if flags&greFlagSeq != 0 {
			if len(b) < erspan2HeaderLen {
				return
			}
			b = b[erspan2HeaderLen:]
		}
		p.decapsulate(payloadEthernet, 0, b, opts, depth)
	case etherTypeERSPAN3:
		p.decodeERSPAN3(b, opts, depth)
	case etherTypePPP:
		if et, rest, ok := pppPayload(b); ok {
			p.decapsulate(payloadEtherType, et, rest, opts, depth)
		}
	default:
		p.decapsulate(payloadEtherType, proto, b, opts, depth)
	}
}

// decodeERSPAN3 decapsulates an ERSPAN type III frame: a 12-byte header,
// an optional 8-byte platform sub-header, then an Ethernet frame (frame
// type 0) or an IP packet (frame type 2).
func (p *Packet) decodeERSPAN3(b []byte, opts Options, depth uint8) {
	if len(b) < erspan3HeaderLen {
		return
	}
	n := erspan3HeaderLen
	if b[erspan3FlagsByte]&erspan3FlagO != 0 {
		n += erspan3SubHdrLen
	}
	if n > len(b) {
		return
	}
	switch (b[erspan3FTByte] >> erspan3FTShift) & erspan3FTMask {
	case erspan3FTEthernet:
		p.decapsulate(payloadEthernet, 0, b[n:], opts, depth)
	case erspan3FTIP:
		p.decapsulate(payloadIP, 0, b[n:], opts, depth)
	}
}
