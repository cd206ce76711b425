package decode

// VXLAN header (RFC 7348): flags, reserved, 24-bit VNI, reserved. VXLAN-GPE
// (draft-ietf-nvo3-vxlan-gpe) sets the P flag and names the payload in the
// last byte of the first word.
const (
	vxlanHeaderLen   = 8
	vxlanFlagI       = 0x08 // the VNI is valid; must be set
	vxlanFlagP       = 0x04 // VXLAN-GPE: next protocol present
	vxlanNextProto   = 3    // offset of the GPE next protocol
	vxlanGPEIPv4     = 1
	vxlanGPEIPv6     = 2
	vxlanGPEEthernet = 3
)

// decodeVXLAN decapsulates a VXLAN payload: an Ethernet frame, or for
// VXLAN-GPE the packet its next protocol names.
func (p *Packet) decodeVXLAN(b []byte, opts Options, depth uint8) {
	if len(b) < vxlanHeaderLen || b[0]&vxlanFlagI == 0 {
		return
	}
	kind := payloadEthernet
	if b[0]&vxlanFlagP != 0 {
		switch b[vxlanNextProto] {
		case vxlanGPEIPv4:
			kind = payloadIPv4
		case vxlanGPEIPv6:
			kind = payloadIPv6
		case vxlanGPEEthernet:
		default:
			return
		}
	}
	p.decapsulate(kind, 0, b[vxlanHeaderLen:], opts, depth)
}
