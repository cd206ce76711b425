package decode

import "encoding/binary"

// UDP ports of the UDP-based tunnels Decode opens.
const (
	portVXLAN    = 4789
	portVXLANGPE = 4790
	portGeneve   = 6081
	portGTPU     = 2152
	portTeredo   = 3544
)

// decodeUDPTunnel decapsulates b, a UDP datagram (header included) whose
// ports are in p, when a port says it is Geneve (destination port), or
// VXLAN, VXLAN-GPE, GTP-U or Teredo (either port: some encapsulators set the
// well-known port on both sides). The UDP length bounds the payload.
func (p *Packet) decodeUDPTunnel(b []byte, opts Options, depth uint8) {
	if len(b) < udpHeaderLen {
		return
	}
	udpLen := int(binary.BigEndian.Uint16(b[udpLengthOffset:]))
	if udpLen >= udpHeaderLen && udpLen <= len(b) {
		b = b[:udpLen]
	}
	payload := b[udpHeaderLen:]
	switch {
	case p.DstPort == portVXLAN || p.SrcPort == portVXLAN || p.DstPort == portVXLANGPE || p.SrcPort == portVXLANGPE:
		p.decodeVXLAN(payload, opts, depth)
	case p.DstPort == portGeneve:
		p.decodeGeneve(payload, opts, depth)
	case p.DstPort == portGTPU || p.SrcPort == portGTPU:
		p.decodeGTPU(payload, opts, depth)
	case p.DstPort == portTeredo || p.SrcPort == portTeredo:
		p.decodeTeredo(payload, udpLen-udpHeaderLen, opts, depth)
	}
}
