package oracle

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"sort"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// KeyOptions mirror flowsplit's hash options, implemented independently.
// The zero value of every field added after Prefix6 keeps the original
// behaviour.
type KeyOptions struct {
	Mode             string // 2tuple, 3tuple, 4tuple, 5tuple, lfu (keyed as 5tuple), host
	VLAN             bool
	Prefix4, Prefix6 int

	// Tunnels keys a packet by the last IP header gopacket decodes (GRE,
	// ERSPAN II, IP-in-IP, 6in4, 4in6, VXLAN, Geneve, GTP-U), plus Teredo
	// (UDP 3544, parsed here); VLAN tags inside tunnels are ignored.
	Tunnels bool
	// ICMPErrors keys an ICMP or ICMPv6 error (that is not a fragment) by
	// the header it quotes, decoded with gopacket.
	ICMPErrors bool
	// StrictPorts reads ports only from the transport header that follows
	// the deciding IP header, and only for TCP, UDP, SCTP and UDP-Lite (the
	// original scheme takes the first TCP, else UDP, else SCTP layer of the
	// whole packet, e.g. an inner TCP port with outer addresses).
	StrictPorts bool
	// LocalNets and RemoteSide are the host mode's local networks and side.
	LocalNets  []netip.Prefix
	RemoteSide bool

	// Datagrams (CheckSplit only) judges every IP fragment by the flow of
	// its datagram: the flow (with ports) of the first fragment with the
	// same addresses, protocol and ID nearest to it in the input; a
	// datagram whose first fragment is not in the input keeps its own key.
	Datagrams bool
	// FlowOrder (CheckSplit only) checks input order per flow instead of
	// per output: a router that holds early fragments may write them after
	// packets of other flows.
	FlowOrder bool
}

// info is what the oracle knows of one packet.
type info struct {
	key string // the flow key FlowKey returns
	// dg is the datagram key of an IP fragment ("" otherwise); first is
	// set for the first fragment, and flow is then its flow's key.
	dg, flow string
	first    bool
}

// FlowKey returns the flow a packet belongs to under o, as a string, and
// ok=false for packets without an IP layer. Fragments (IPv4 MF/offset, IPv6
// Fragment header) are keyed by addresses, protocol and identification, so
// the caller can check that a datagram's fragments stay together.
func FlowKey(rec Record, o KeyOptions) (key string, ok bool) {
	in, ok := inspect(rec, o)
	return in.key, ok
}

// inspect decodes rec with gopacket and computes its keys under o.
func inspect(rec Record, o KeyOptions) (info, bool) {
	pkt := gopacket.NewPacket(rec.Data, rec.LinkType, gopacket.DecodeOptions{Lazy: true, NoCopy: true})
	ls := pkt.Layers()
	if o.Tunnels {
		ls = withTeredo(ls)
	}
	var src, dst net.IP
	var proto uint8
	frag, id := "", ""
	first := false
	var vlans []uint16
	var l4 []byte // payload of the last IP or extension header
	ipAt := -1    // index of the IP layer that decides
	for i, l := range ls {
		switch l.(type) {
		case *layers.IPv4, *layers.IPv6, *layers.IPv6Fragment, *layers.IPv6HopByHop, *layers.IPv6Destination, *layers.IPv6Routing:
			if src == nil || o.Tunnels || l.LayerType() != layers.LayerTypeIPv4 && l.LayerType() != layers.LayerTypeIPv6 {
				l4 = l.LayerPayload()
			}
		}
		switch v := l.(type) {
		case *layers.Dot1Q:
			if src == nil || !o.Tunnels {
				vlans = append(vlans, v.VLANIdentifier)
			}
		case *layers.IPv4:
			if src != nil && !o.Tunnels {
				continue // outer header decides
			}
			src, dst, proto, ipAt, frag, first = v.SrcIP.To4(), v.DstIP.To4(), uint8(v.Protocol), i, "", false
			if v.Flags&layers.IPv4MoreFragments != 0 || v.FragOffset != 0 {
				frag, id, first = fmt.Sprintf("frag4 id=%d", v.Id), fmt.Sprint(v.Id), v.FragOffset == 0
			}
		case *layers.IPv6:
			if src != nil && !o.Tunnels {
				continue
			}
			src, dst, proto, ipAt, frag, first = v.SrcIP, v.DstIP, uint8(v.NextHeader), i, "", false
		case *layers.IPv6Fragment:
			proto = uint8(v.NextHeader)
			if !(v.FragmentOffset == 0 && !v.MoreFragments) {
				frag, id, first = fmt.Sprintf("frag6 id=%d", v.Identification), fmt.Sprint(v.Identification), v.FragmentOffset == 0
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
		return info{}, false
	}
	var in info
	hasPorts := o.Mode == "4tuple" || o.Mode == "5tuple" || o.Mode == "lfu"
	var sp, dp uint16
	switch {
	case frag == "" && o.ICMPErrors && quotes(proto, l4):
		if qs, qd, qp, qsp, qdp, ok := quoted(l4[8:]); ok {
			src, dst, proto, sp, dp = qs, qd, qp, qsp, qdp
			break
		}
		if hasPorts {
			sp, dp = ports(pkt, ls, ipAt, proto, l4, o.Tunnels || o.StrictPorts)
		}
	case frag == "" && hasPorts:
		sp, dp = ports(pkt, ls, ipAt, proto, l4, o.Tunnels || o.StrictPorts)
	}
	vk := ""
	if o.VLAN && len(vlans) > 0 {
		vk = fmt.Sprintf(" vlan=%v", vlans[:min(2, len(vlans))])
	}
	in.key = flowString(src, dst, sp, dp, proto, frag, o) + vk
	if frag != "" {
		in.dg = fmt.Sprintf("%s>%s proto=%d id=%s%s", src, dst, proto, id, vk)
		in.first = first
		if first {
			if hasPorts && len(l4) >= 4 && transport(proto) {
				sp, dp = binary.BigEndian.Uint16(l4), binary.BigEndian.Uint16(l4[2:])
			}
			in.flow = flowString(src, dst, sp, dp, proto, "", o) + vk
		}
	}
	return in, true
}

// flowString formats the canonical key of a flow under o (frag: the
// fragment key suffix of the original scheme).
func flowString(src, dst net.IP, sp, dp uint16, proto uint8, frag string, o KeyOptions) string {
	if o.Mode == "host" && frag == "" {
		sl, dl := o.local(src), o.local(dst)
		if sl != dl {
			h := src
			if sl == o.RemoteSide {
				h = dst
			}
			return "host " + mask(h, o).String()
		}
	}
	src, dst = mask(src, o), mask(dst, o)
	a := fmt.Sprintf("%s/%d", src, sp)
	b := fmt.Sprintf("%s/%d", dst, dp)
	ends := []string{a, b}
	sort.Strings(ends)
	key := ends[0] + " " + ends[1]
	if o.Mode == "3tuple" || o.Mode == "5tuple" || o.Mode == "lfu" || frag != "" {
		key += fmt.Sprintf(" proto=%d", proto)
	}
	if frag != "" {
		key += " " + frag
	}
	return key
}

// local reports whether ip is in o.LocalNets.
func (o *KeyOptions) local(ip net.IP) bool {
	a, ok := netip.AddrFromSlice(ip)
	if !ok {
		return false
	}
	a = a.Unmap()
	for _, p := range o.LocalNets {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// transport reports whether proto carries 16-bit ports first.
func transport(proto uint8) bool {
	return proto == 6 || proto == 17 || proto == 132 || proto == 136
}

// ports returns the transport ports of a whole packet: when strict, from
// the transport header after the deciding IP header (at ipAt); else from
// the first TCP, UDP or SCTP layer, as the original scheme did.
func ports(pkt gopacket.Packet, ls []gopacket.Layer, ipAt int, proto uint8, l4 []byte, strict bool) (sp, dp uint16) {
	var t gopacket.Layer
	if strict && !transport(proto) {
		return 0, 0
	}
	if strict {
		for _, l := range ls[ipAt+1:] {
			switch l.(type) {
			case *layers.TCP, *layers.UDP, *layers.SCTP:
				t = l
			}
			if t != nil {
				break
			}
		}
	} else {
		for _, lt := range []gopacket.LayerType{layers.LayerTypeTCP, layers.LayerTypeUDP, layers.LayerTypeSCTP} {
			if t = pkt.Layer(lt); t != nil {
				break
			}
		}
	}
	switch v := t.(type) {
	case *layers.TCP:
		return uint16(v.SrcPort), uint16(v.DstPort)
	case *layers.UDP:
		return uint16(v.SrcPort), uint16(v.DstPort)
	case *layers.SCTP:
		return uint16(v.SrcPort), uint16(v.DstPort)
	}
	if transport(proto) && len(l4) >= 4 {
		// gopacket leaves e.g. IPv6 atomic fragments undecoded.
		return binary.BigEndian.Uint16(l4), binary.BigEndian.Uint16(l4[2:])
	}
	return 0, 0
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
