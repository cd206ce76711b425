package oracle

import (
	"encoding/binary"
	"net"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// quotes reports whether an IP payload of protocol proto is an ICMP or
// ICMPv6 error that quotes a packet.
func quotes(proto uint8, l4 []byte) bool {
	if len(l4) < 8 {
		return false
	}
	switch proto {
	case 1: // dest unreachable, source quench, redirect, time exceeded, parameter problem
		t := l4[0]
		return t == 3 || t == 4 || t == 5 || t == 11 || t == 12
	case 58: // dest unreachable, packet too big, time exceeded, parameter problem
		return l4[0] >= 1 && l4[0] <= 4
	}
	return false
}

// quoted decodes the packet quoted by an ICMP error with gopacket and
// returns its addresses, protocol and (unless it is a non-first fragment)
// ports.
func quoted(q []byte) (src, dst net.IP, proto uint8, sp, dp uint16, ok bool) {
	if len(q) < 20 {
		return nil, nil, 0, 0, 0, false
	}
	first := layers.LayerTypeIPv4
	switch q[0] >> 4 {
	case 4:
		if ihl := int(q[0]&0xf) * 4; ihl < 20 || ihl > len(q) {
			return nil, nil, 0, 0, 0, false
		}
	case 6:
		if len(q) < 40 {
			return nil, nil, 0, 0, 0, false
		}
		first = layers.LayerTypeIPv6
	default:
		return nil, nil, 0, 0, 0, false
	}
	pkt := gopacket.NewPacket(q, first, gopacket.DecodeOptions{Lazy: true, NoCopy: true})
	var l4 []byte
	later := false
	for _, l := range pkt.Layers() {
		switch v := l.(type) {
		case *layers.IPv4:
			if src != nil {
				continue
			}
			src, dst, proto, l4 = v.SrcIP.To4(), v.DstIP.To4(), uint8(v.Protocol), v.LayerPayload()
			later = v.FragOffset != 0
			if int(v.IHL)*4 <= len(q) && (len(l4) == 0 || v.Length > uint16(len(q))) {
				l4 = q[int(v.IHL)*4:] // gopacket trims to the total length; a quote is cut
			}
		case *layers.IPv6:
			if src != nil {
				continue
			}
			src, dst, proto, l4 = v.SrcIP, v.DstIP, uint8(v.NextHeader), v.LayerPayload()
		case *layers.IPv6Fragment:
			proto, l4, later = uint8(v.NextHeader), v.LayerPayload(), v.FragmentOffset != 0
		case *layers.IPv6HopByHop:
			proto, l4 = uint8(v.NextHeader), v.LayerPayload()
		case *layers.IPv6Destination:
			proto, l4 = uint8(v.NextHeader), v.LayerPayload()
		case *layers.IPv6Routing:
			proto, l4 = uint8(v.NextHeader), v.LayerPayload()
		}
	}
	if src == nil {
		// gopacket refused the header (e.g. a cut IPv4 quote): read it.
		if first != layers.LayerTypeIPv4 {
			return nil, nil, 0, 0, 0, false
		}
		ihl := int(q[0]&0xf) * 4
		src, dst, proto, l4 = net.IP(q[12:16]), net.IP(q[16:20]), q[9], q[ihl:]
		later = binary.BigEndian.Uint16(q[6:])&0x1fff != 0
	}
	if !later && transport(proto) && len(l4) >= 4 {
		sp, dp = binary.BigEndian.Uint16(l4), binary.BigEndian.Uint16(l4[2:])
	}
	return src, dst, proto, sp, dp, true
}
