package gen

import (
	"net/netip"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// frameInfo is what the tests learn from one frame through gopacket, the
// independent oracle.
type frameInfo struct {
	v6       bool
	proto    layers.IPProtocol // innermost transport protocol
	key      flowKey           // innermost TCP/UDP flow (zero for others)
	tcpFlags uint8
	vlans    int
	frag     bool // an IP fragment
	fragHead bool // the fragment at offset 0
	icmpErr  bool
	quoted   flowKey // the flow an ICMP error quotes
	tunnel   gopacket.LayerType
}

// flowKey is a directional 5-tuple.
type flowKey struct {
	src, dst     netip.Addr
	sport, dport uint16
	proto        layers.IPProtocol
}

// canon returns the key with the lower endpoint first, so that both
// directions of a flow map to one key.
func (k flowKey) canon() flowKey {
	if k.dst.Less(k.src) || k.dst == k.src && k.dport < k.sport {
		k.src, k.dst, k.sport, k.dport = k.dst, k.src, k.dport, k.sport
	}
	return k
}

type verifier interface {
	VerifyChecksum() (error, gopacket.ChecksumVerificationResult)
}

type pseudoHeaderUser interface {
	SetNetworkLayerForChecksum(gopacket.NetworkLayer) error
}

// inspect decodes frame with gopacket, fails on decoding errors and bad
// checksums (each transport layer against the IP header before it), and
// returns what it found.
func inspect(t *testing.T, frame []byte) frameInfo {
	t.Helper()
	p := gopacket.NewPacket(frame, layers.LayerTypeEthernet, gopacket.Default)
	if el := p.ErrorLayer(); el != nil {
		t.Fatalf("gopacket: %v\n%s", el.Error(), p.Dump())
	}
	var fi frameInfo
	var net gopacket.NetworkLayer
	var nets int
	for _, l := range p.Layers() {
		switch l := l.(type) {
		case *layers.Dot1Q:
			fi.vlans++
		case *layers.IPv4:
			net, fi.v6 = l, false
			nets++
			fi.proto = l.Protocol
			fi.key = flowKey{src: addr(l.SrcIP), dst: addr(l.DstIP), proto: l.Protocol}
			if l.Flags&layers.IPv4MoreFragments != 0 || l.FragOffset != 0 {
				fi.frag, fi.fragHead = true, l.FragOffset == 0
			}
		case *layers.IPv6:
			net, fi.v6 = l, true
			nets++
			fi.proto = l.NextHeader
			fi.key = flowKey{src: addr(l.SrcIP), dst: addr(l.DstIP), proto: l.NextHeader}
		case *layers.IPv6Fragment:
			fi.frag, fi.fragHead = true, l.FragmentOffset == 0
			fi.proto, fi.key.proto = l.NextHeader, l.NextHeader
		case *layers.TCP:
			fi.key.sport, fi.key.dport = uint16(l.SrcPort), uint16(l.DstPort)
			fi.tcpFlags = l.Contents[13]
		case *layers.UDP:
			fi.key.sport, fi.key.dport = uint16(l.SrcPort), uint16(l.DstPort)
		case *layers.ICMPv4:
			if typ := l.TypeCode.Type(); typ == 3 || typ == 11 {
				fi.icmpErr = true
				fi.quoted = quotedKey(l.Payload)
			}
		case *layers.ICMPv6:
			if l.TypeCode.Type() < 128 && len(l.Payload) >= 4 {
				fi.icmpErr = true
				fi.quoted = quotedKey(l.Payload[4:])
			}
		case *layers.GRE, *layers.VXLAN, *layers.Geneve, *layers.GTPv1U:
			fi.tunnel = l.LayerType()
		}
		if ph, ok := l.(pseudoHeaderUser); ok && net != nil {
			if err := ph.SetNetworkLayerForChecksum(net); err != nil {
				t.Fatal(err)
			}
		}
		if v, ok := l.(verifier); ok && !fi.frag {
			if err, r := v.VerifyChecksum(); err != nil || !r.Valid {
				t.Fatalf("%v checksum: %v %+v\n%s", l.LayerType(), err, r, p.Dump())
			}
		}
	}
	if nets == 2 && fi.tunnel == 0 {
		fi.tunnel = layers.LayerTypeIPv4 // IP-in-IP
	}
	if fi.frag && !fi.fragHead {
		fi.key.sport, fi.key.dport = 0, 0
	}
	return fi
}

// quotedKey decodes the packet quoted in an ICMP error's payload.
func quotedKey(b []byte) flowKey {
	first := layers.LayerTypeIPv4
	if len(b) > 0 && b[0]>>4 == 6 {
		first = layers.LayerTypeIPv6
	}
	p := gopacket.NewPacket(b, first, gopacket.Lazy)
	var k flowKey
	if n := p.NetworkLayer(); n != nil {
		k.src = addr(n.NetworkFlow().Src().Raw())
		k.dst = addr(n.NetworkFlow().Dst().Raw())
	}
	switch l := p.TransportLayer().(type) {
	case *layers.TCP:
		k.sport, k.dport, k.proto = uint16(l.SrcPort), uint16(l.DstPort), layers.IPProtocolTCP
	case *layers.UDP:
		k.sport, k.dport, k.proto = uint16(l.SrcPort), uint16(l.DstPort), layers.IPProtocolUDP
	}
	return k
}

func addr(b []byte) netip.Addr {
	a, _ := netip.AddrFromSlice(b)
	return a.Unmap()
}
