package oracle

import (
	"encoding/binary"
	"fmt"
	"net"
	"sort"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// KeyOptions mirror flowsplit's hash options, implemented independently.
type KeyOptions struct {
	Mode             string // 2tuple, 3tuple, 4tuple, 5tuple
	VLAN             bool
	Prefix4, Prefix6 int
}

// FlowKey returns the flow a packet belongs to under o, as a string, and
// ok=false for packets without an IP layer. Fragments (IPv4 MF/offset, IPv6
// Fragment header) are keyed by addresses, protocol and identification, so
// the caller can check that a datagram's fragments stay together.
func FlowKey(rec Record, o KeyOptions) (key string, ok bool) {
	pkt := gopacket.NewPacket(rec.Data, rec.LinkType, gopacket.DecodeOptions{Lazy: true, NoCopy: true})
	var src, dst net.IP
	var proto uint8
	frag := ""
	var vlans []uint16
	var l4 []byte // payload of the last IP or extension header
	for _, l := range pkt.Layers() {
		switch l.(type) {
		case *layers.IPv4, *layers.IPv6, *layers.IPv6Fragment, *layers.IPv6HopByHop, *layers.IPv6Destination, *layers.IPv6Routing:
			if src == nil || l.LayerType() != layers.LayerTypeIPv4 && l.LayerType() != layers.LayerTypeIPv6 {
				l4 = l.LayerPayload()
			}
		}
		switch v := l.(type) {
		case *layers.Dot1Q:
			vlans = append(vlans, v.VLANIdentifier)
		case *layers.IPv4:
			if src != nil {
				continue // outer header decides
			}
			src, dst, proto = v.SrcIP.To4(), v.DstIP.To4(), uint8(v.Protocol)
			if v.Flags&layers.IPv4MoreFragments != 0 || v.FragOffset != 0 {
				frag = fmt.Sprintf("frag4 id=%d", v.Id)
			}
		case *layers.IPv6:
			if src != nil {
				continue
			}
			src, dst, proto = v.SrcIP, v.DstIP, uint8(v.NextHeader)
		case *layers.IPv6Fragment:
			proto = uint8(v.NextHeader)
			if !(v.FragmentOffset == 0 && !v.MoreFragments) {
				frag = fmt.Sprintf("frag6 id=%d", v.Identification)
			}
		case *layers.IPv6HopByHop:
			proto = uint8(v.NextHeader)
		case *layers.IPv6Destination:
			proto = uint8(v.NextHeader)
		case *layers.IPv6Routing:
			proto = uint8(v.NextHeader)
		}
	}
	if src == nil {
		return "", false
	}
	src, dst = mask(src, o), mask(dst, o)
	var sp, dp uint16
	if frag == "" && (o.Mode == "4tuple" || o.Mode == "5tuple") {
		if t, ok := pkt.Layer(layers.LayerTypeTCP).(*layers.TCP); ok {
			sp, dp = uint16(t.SrcPort), uint16(t.DstPort)
		} else if u, ok := pkt.Layer(layers.LayerTypeUDP).(*layers.UDP); ok {
			sp, dp = uint16(u.SrcPort), uint16(u.DstPort)
		} else if s, ok := pkt.Layer(layers.LayerTypeSCTP).(*layers.SCTP); ok {
			sp, dp = uint16(s.SrcPort), uint16(s.DstPort)
		} else if (proto == 6 || proto == 17 || proto == 132 || proto == 136) && len(l4) >= 4 {
			// gopacket leaves e.g. IPv6 atomic fragments undecoded.
			sp, dp = binary.BigEndian.Uint16(l4), binary.BigEndian.Uint16(l4[2:])
		}
	}
	a := fmt.Sprintf("%s/%d", src, sp)
	b := fmt.Sprintf("%s/%d", dst, dp)
	ends := []string{a, b}
	sort.Strings(ends)
	key = ends[0] + " " + ends[1]
	if o.Mode == "3tuple" || o.Mode == "5tuple" || frag != "" {
		key += fmt.Sprintf(" proto=%d", proto)
	}
	if frag != "" {
		key += " " + frag
	}
	if o.VLAN && len(vlans) > 0 {
		key += fmt.Sprintf(" vlan=%v", vlans[:min(2, len(vlans))])
	}
	return key, true
}

func mask(ip net.IP, o KeyOptions) net.IP {
	bits, total := o.Prefix4, 32
	if ip.To4() == nil {
		bits, total = o.Prefix6, 128
	}
	if bits == 0 {
		return ip
	}
	return ip.Mask(net.CIDRMask(bits, total))
}
