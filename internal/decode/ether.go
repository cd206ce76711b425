package decode

import "encoding/binary"

// Ethernet II header.
const (
	etherHeaderLen     = 14
	etherDstOffset     = 0
	etherSrcOffset     = 6
	etherTypeOffset    = 12
	etherAddrLen       = 6
	etherTypeMin       = 0x0600 // smaller values are 802.3 length fields
	etherMaxLengthType = 1500   // largest 802.3 length field
)

// EtherTypes that Decode follows.
const (
	etherTypeIPv4      = 0x0800
	etherTypeIPv6      = 0x86dd
	etherTypeVLAN      = 0x8100 // 802.1Q C-tag
	etherTypeQinQ      = 0x88a8 // 802.1ad S-tag
	etherTypeQinQ9100  = 0x9100 // pre-standard QinQ
	etherTypeQinQ9200  = 0x9200
	etherTypeQinQ9300  = 0x9300
	etherTypeVNTag     = 0x8926 // Cisco VN-Tag
	etherTypeMPLS      = 0x8847
	etherTypeMPLSMcast = 0x8848
	etherTypePPPoE     = 0x8864 // PPPoE session stage
	etherTypeTEB       = 0x6558 // transparent Ethernet bridging (GRE, Geneve)
	etherTypeERSPAN    = 0x88be // ERSPAN type I and II
	etherTypeERSPAN3   = 0x22eb // ERSPAN type III
	etherTypePPP       = 0x880b // PPP (GRE, PPTP)
)

// decodeEthernet decodes an Ethernet II or 802.3 frame. At depth 0 (the
// capture's own link) it records the MAC addresses; an Ethernet frame
// inside a tunnel leaves them alone.
func (p *Packet) decodeEthernet(b []byte, opts Options, depth uint8) {
	if len(b) < etherHeaderLen {
		p.Kind = KindMalformed
		return
	}
	if depth == 0 {
		copy(p.DstMAC[:], b[etherDstOffset:etherDstOffset+etherAddrLen])
		copy(p.SrcMAC[:], b[etherSrcOffset:etherSrcOffset+etherAddrLen])
		p.HasMAC = true
	}
	et := binary.BigEndian.Uint16(b[etherTypeOffset:])
	p.decodeEtherType(et, b[etherHeaderLen:], opts, depth)
}
