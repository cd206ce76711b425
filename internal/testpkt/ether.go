package testpkt

import (
	"encoding/binary"
	"slices"
)

// Ether appends to dst an Ethernet II frame from srcMAC to dstMAC with the
// given 802.1Q tags (outermost first, TPID 0x8100 each), EtherType and
// payload, and returns the extended slice. A frame shorter than 60 bytes is
// zero-padded to the Ethernet minimum, as a NIC pads it; no FCS is added.
func Ether(dst []byte, srcMAC, dstMAC [6]byte, vlans []uint16, ethertype uint16, payload []byte) []byte {
	dst, off := appendEtherHeader(dst, srcMAC, dstMAC, vlans, false, ethertype)
	dst = append(dst, payload...)
	return padEther(dst, off)
}

// FrameIP appends to dst an Ethernet frame with s's MACs, VLAN tags and
// QinQ setting that carries the ready-made IP packet ipPacket (its EtherType
// taken from the IP version nibble: 6 gives IPv6, anything else IPv4), and
// returns the extended slice. Like Frame, it pads to 60 bytes. s's other
// fields are ignored.
func FrameIP(dst []byte, s Spec, ipPacket []byte) []byte {
	et := uint16(EtherTypeIPv4)
	if len(ipPacket) > 0 && ipPacket[0]>>4 == 6 {
		et = EtherTypeIPv6
	}
	dst, off := appendEtherHeader(dst, s.SrcMAC, s.DstMAC, s.VLANs, s.QinQ, et)
	dst = append(dst, ipPacket...)
	return padEther(dst, off)
}

// etherHeaderSize is the length of an Ethernet header with n VLAN tags.
func etherHeaderSize(n int) int { return etherHeaderLen + n*vlanTagLen }

// appendEtherHeader appends the MAC addresses, tags and EtherType and
// returns the slice and the offset at which the frame starts.
func appendEtherHeader(dst []byte, srcMAC, dstMAC [6]byte, vlans []uint16, qinq bool, ethertype uint16) ([]byte, int) {
	start := len(dst)
	dst = slices.Grow(dst, etherHeaderSize(len(vlans)))
	dst = append(dst, dstMAC[:]...)
	dst = append(dst, srcMAC[:]...)
	for i, tci := range vlans {
		tpid := uint16(EtherTypeVLAN)
		if i == 0 && qinq {
			tpid = EtherTypeQinQ
		}
		dst = binary.BigEndian.AppendUint16(dst, tpid)
		dst = binary.BigEndian.AppendUint16(dst, tci)
	}
	dst = binary.BigEndian.AppendUint16(dst, ethertype)
	return dst, start
}

// padEther zero-pads the frame that starts at off to the Ethernet minimum.
func padEther(dst []byte, off int) []byte {
	for len(dst)-off < etherMinLen {
		dst = append(dst, 0)
	}
	return dst
}
