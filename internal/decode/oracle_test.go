package decode

import (
	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// flowView is the part of a Packet the oracle comparison checks.
type flowView struct {
	Kind             Kind
	Src, Dst         [16]byte
	Proto            uint8
	SrcPort, DstPort uint16
	HasPorts         bool
}

func viewOf(p *Packet) flowView {
	return flowView{p.Kind, p.Src, p.Dst, p.Proto, p.SrcPort, p.DstPort, p.HasPorts}
}

// oracle decodes data with gopacket and returns the flow of its first
// (innermost=false) or last (innermost=true) IP layer. ok is false when
// gopacket found no IP layer.
func oracle(linkType uint16, data []byte, innermost bool) (v flowView, ok bool) {
	opts := gopacket.DecodeOptions{NoCopy: true}
	var pkt gopacket.Packet
	switch linkType {
	case 12, 14, 101, 228, 229:
		first := gopacket.Decoder(layers.LayerTypeIPv4)
		if len(data) > 0 && data[0]>>4 == 6 {
			first = layers.LayerTypeIPv6
		}
		pkt = gopacket.NewPacket(data, first, opts)
	default:
		pkt = gopacket.NewPacket(data, layers.LinkType(linkType), opts)
	}
	return oracleFlow(pkt.Layers(), innermost)
}

// oracleFlow picks an IP layer from ls and reads the flow from it and the
// layers after it.
func oracleFlow(ls []gopacket.Layer, innermost bool) (v flowView, ok bool) {
	at := -1
	for i, l := range ls {
		if t := l.LayerType(); t == layers.LayerTypeIPv4 || t == layers.LayerTypeIPv6 {
			at = i
			if !innermost {
				break
			}
		}
	}
	if at < 0 {
		return v, false
	}
	switch ip := ls[at].(type) {
	case *layers.IPv4:
		v.Kind = KindIPv4
		copy(v.Src[:], ip.SrcIP.To4())
		copy(v.Dst[:], ip.DstIP.To4())
		v.Proto = uint8(ip.Protocol)
	case *layers.IPv6:
		v.Kind = KindIPv6
		copy(v.Src[:], ip.SrcIP.To16())
		copy(v.Dst[:], ip.DstIP.To16())
		v.Proto = uint8(ip.NextHeader)
	}
	firstFragment := false
	if ip, isV4 := ls[at].(*layers.IPv4); isV4 {
		firstFragment = ip.Flags&layers.IPv4MoreFragments != 0 && ip.FragOffset == 0
	}
	for _, l := range ls[at+1:] {
		switch t := l.(type) {
		case *layers.IPv6HopByHop:
			v.Proto = uint8(t.NextHeader)
		case *layers.IPv6Routing:
			v.Proto = uint8(t.NextHeader)
		case *layers.IPv6Destination:
			v.Proto = uint8(t.NextHeader)
		case *layers.IPv6Fragment:
			v.Proto = uint8(t.NextHeader)
			firstFragment = t.FragmentOffset == 0
		case *layers.IPSecAH:
			v.Proto = uint8(t.NextHeader)
		case *layers.TCP:
			v.SrcPort, v.DstPort, v.HasPorts = uint16(t.SrcPort), uint16(t.DstPort), true
			return v, true
		case *layers.UDP:
			v.SrcPort, v.DstPort, v.HasPorts = uint16(t.SrcPort), uint16(t.DstPort), true
			return v, true
		case *layers.UDPLite:
			v.SrcPort, v.DstPort, v.HasPorts = uint16(t.SrcPort), uint16(t.DstPort), true
			return v, true
		case *layers.SCTP:
			v.SrcPort, v.DstPort, v.HasPorts = uint16(t.SrcPort), uint16(t.DstPort), true
			return v, true
		case *gopacket.Fragment:
			// gopacket does not look into a first fragment (nor an
			// atomic one): decode its payload as the transport header.
			if firstFragment {
				dec := layers.IPProtocol(v.Proto).LayerType()
				inner := gopacket.NewPacket(t.Payload(), dec, gopacket.DecodeOptions{NoCopy: true})
				if tl := inner.TransportLayer(); tl != nil {
					f := tl.TransportFlow()
					v.SrcPort = binaryPort(f.Src().Raw())
					v.DstPort = binaryPort(f.Dst().Raw())
					v.HasPorts = true
				}
			}
			return v, true
		default:
			return v, true
		}
	}
	return v, true
}

func binaryPort(b []byte) uint16 {
	if len(b) != 2 {
		return 0
	}
	return uint16(b[0])<<8 | uint16(b[1])
}

// oracleICMP is oracle for Options{ICMPErrors: true}: when the first IP
// layer carries an ICMP error, gopacket decodes the quoted packet on its
// own and its flow is returned.
func oracleICMP(linkType uint16, data []byte) (v flowView, ok bool) {
	v, ok = oracle(linkType, data, false)
	if !ok {
		return v, ok
	}
	pkt := gopacket.NewPacket(data, layers.LinkType(linkType), gopacket.DecodeOptions{NoCopy: true})
	var full []byte
	first := gopacket.Decoder(layers.LayerTypeIPv4)
	if l, isV4 := pkt.Layer(layers.LayerTypeICMPv4).(*layers.ICMPv4); isV4 {
		switch l.TypeCode.Type() {
		case 3, 4, 5, 11, 12:
			full = append(append([]byte{}, l.Contents...), l.Payload...)
		}
	}
	if l, isV6 := pkt.Layer(layers.LayerTypeICMPv6).(*layers.ICMPv6); isV6 {
		switch l.TypeCode.Type() {
		case 1, 2, 3, 4:
			full = append(append([]byte{}, l.Contents...), l.Payload...)
			first = layers.LayerTypeIPv6
		}
	}
	if len(full) < 8 {
		return v, ok
	}
	quote := gopacket.NewPacket(full[8:], first, gopacket.DecodeOptions{NoCopy: true})
	if q, qok := oracleFlow(quote.Layers(), false); qok {
		return q, true
	}
	return v, ok
}
