package decode

// GTP-U header (3GPP TS 29.281): flags, message type, length, TEID, then,
// when any of E, S or PN is set, sequence number, N-PDU number and next
// extension header type, then the extension headers.
const (
	gtpHeaderLen     = 8
	gtpOptionalLen   = 4
	gtpVersionShift  = 5
	gtpVersion1      = 1
	gtpFlagPT        = 0x10 // protocol type: GTP (not GTP')
	gtpFlagE         = 0x04 // extension header present
	gtpFlagS         = 0x02 // sequence number present
	gtpFlagPN        = 0x01 // N-PDU number present
	gtpMsgTypeOffset = 1
	gtpMsgGPDU       = 0xff // G-PDU: carries a user packet
	gtpNextExtOffset = 11
	gtpExtLenUnit    = 4 // extension length counts 4-byte words
	maxGTPExtHeaders = 8 // longest extension header chain followed
	gtpExtNone       = 0 // next extension type: no more extensions
)

// decodeGTPU decapsulates the IP packet in a GTP-U G-PDU.
func (p *Packet) decodeGTPU(b []byte, opts Options, depth uint8) {
	if len(b) < gtpHeaderLen {
		return
	}
	flags := b[0]
	if flags>>gtpVersionShift != gtpVersion1 || flags&gtpFlagPT == 0 || b[gtpMsgTypeOffset] != gtpMsgGPDU {
		return
	}
	n := gtpHeaderLen
	if flags&(gtpFlagE|gtpFlagS|gtpFlagPN) != 0 {
		n += gtpOptionalLen
		if n > len(b) {
			return
		}
		if flags&gtpFlagE != 0 {
			var ok bool
			if n, ok = skipGTPExtensions(b, n, b[gtpNextExtOffset]); !ok {
				return
			}
		}
	}
	if n > len(b) {
		return
	}
	p.decapsulate(payloadIP, 0, b[n:], opts, depth)
}

// skipGTPExtensions skips the extension header chain that starts at b[n]
// with type next. Each extension is a length byte (in 4-byte words), its
// content, and the next type in its last byte.
func skipGTPExtensions(b []byte, n int, next byte) (end int, ok bool) {
	for range maxGTPExtHeaders {
		if next == gtpExtNone {
			return n, true
		}
		if n >= len(b) {
			return 0, false
		}
		l := int(b[n]) * gtpExtLenUnit
		if l == 0 || n+l > len(b) {
			return 0, false
		}
		next = b[n+l-1]
		n += l
	}
	return 0, false
}
