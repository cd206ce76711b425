package decode

import "encoding/binary"

// 802.2 LLC with a SNAP header: DSAP 0xAA, SSAP 0xAA, control 0x03 (UI),
// a 3-byte OUI, then an EtherType.
const (
	llcSNAPHeaderLen  = 8
	llcSAPSNAP        = 0xaa
	llcControlUI      = 0x03
	llcSNAPTypeOffset = 6
)

// decodeLLCSNAP decodes the payload of an 802.3 frame whose length field
// is n: the length bounds the frame (dropping padding) and an LLC/SNAP
// header yields the next EtherType. Other LLC frames (STP, IS-IS, ...) are
// KindNonIP. When it returns ok=false it has set p.Kind.
func (p *Packet) decodeLLCSNAP(n uint16, b []byte) (et uint16, rest []byte, ok bool) {
	if int(n) <= len(b) {
		b = b[:n]
	}
	return p.llcSNAP(b)
}

// decodeLLC decodes an LLC frame whose length is not known (Linux cooked
// captures with protocol 0x0004).
func (p *Packet) decodeLLC(b []byte, opts Options, depth uint8) {
	et, b, ok := p.llcSNAP(b)
	if ok {
		p.decodeEtherType(et, b, opts, depth)
	}
}

func (p *Packet) llcSNAP(b []byte) (et uint16, rest []byte, ok bool) {
	if len(b) < llcSNAPHeaderLen || b[0] != llcSAPSNAP || b[1] != llcSAPSNAP || b[2] != llcControlUI {
		p.Kind = KindNonIP
		return 0, nil, false
	}
	return binary.BigEndian.Uint16(b[llcSNAPTypeOffset:]), b[llcSNAPHeaderLen:], true
}
