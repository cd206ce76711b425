package decode

import "encoding/binary"

// Geneve header (RFC 8926): version and option length, flags, protocol
// type, 24-bit VNI, reserved, then options.
const (
	geneveHeaderLen     = 8
	geneveVersionShift  = 6
	geneveOptLenMask    = 0x3f
	geneveOptLenUnit    = 4 // the option length counts 4-byte words
	geneveProtoOffset   = 2
	geneveVersionSingle = 0
)

// decodeGeneve decapsulates a Geneve payload: an Ethernet frame for
// protocol type 0x6558, or the payload of that EtherType otherwise.
func (p *Packet) decodeGeneve(b []byte, opts Options, depth uint8) {
	if len(b) < geneveHeaderLen || b[0]>>geneveVersionShift != geneveVersionSingle {
		return
	}
	n := geneveHeaderLen + int(b[0]&geneveOptLenMask)*geneveOptLenUnit
	if n > len(b) {
		return
	}
	proto := binary.BigEndian.Uint16(b[geneveProtoOffset:])
	if proto == etherTypeTEB {
		p.decapsulate(payloadEthernet, 0, b[n:], opts, depth)
		return
	}
	p.decapsulate(payloadEtherType, proto, b[n:], opts, depth)
}
