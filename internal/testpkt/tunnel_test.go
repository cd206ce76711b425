package testpkt

import (
	"bytes"
	"net/netip"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

var (
	tepA  = netip.MustParseAddr("172.16.0.1")
	tepB  = netip.MustParseAddr("172.31.0.2")
	tep6A = netip.MustParseAddr("2001:db8:aaaa::1")
	tep6B = netip.MustParseAddr("2001:db8:bbbb::2")
)

func TestTunnels(t *testing.T) {
	inner4 := IPPacket(nil, Spec{Src: Endpoint{v4A, 40000}, Dst: Endpoint{v4B, 80}, Proto: ProtoTCP, TCPFlags: TCPSyn, Seq: 1})
	inner6 := IPPacket(nil, Spec{Src: Endpoint{v6A, 40000}, Dst: Endpoint{v6B, 80}, Proto: ProtoTCP, TCPFlags: TCPSyn, Seq: 1})
	innerFrame := Frame(nil, Spec{SrcMAC: macA, DstMAC: macB, Src: Endpoint{v4A, 4000}, Dst: Endpoint{v4B, 4001}, Proto: ProtoUDP, Payload: []byte("inner")})
	outer4 := Spec{Src: Endpoint{Addr: tepA}, Dst: Endpoint{Addr: tepB}}
	outer6 := Spec{Src: Endpoint{Addr: tep6A, Port: 1111}, Dst: Endpoint{Addr: tep6B}}
	tests := []struct {
		name  string
		b     []byte
		first gopacket.LayerType
		check func(t *testing.T, p gopacket.Packet)
		inner []byte // the encapsulated bytes
	}{
		{"gre ipv4", GRE(nil, tepA, tepB, inner4, EtherTypeIPv4), layers.LayerTypeIPv4, func(t *testing.T, p gopacket.Packet) {
			if g := p.Layer(layers.LayerTypeGRE).(*layers.GRE); g.Protocol != layers.EthernetTypeIPv4 {
				t.Errorf("gre protocol %v", g.Protocol)
			}
		}, inner4},
		{"gre over ipv6 with ethernet", GRE(nil, tep6A, tep6B, innerFrame, EtherTypeTEB), layers.LayerTypeIPv6, func(t *testing.T, p gopacket.Packet) {
			if g := p.Layer(layers.LayerTypeGRE).(*layers.GRE); g.Protocol != layers.EthernetTypeTransparentEthernetBridging {
				t.Errorf("gre protocol %v", g.Protocol)
			}
		}, innerFrame},
		{"vxlan", VXLAN(nil, outer4, 0xabcdef, innerFrame), layers.LayerTypeIPv4, func(t *testing.T, p gopacket.Packet) {
			checkUDPPorts(t, p, tunnelSrcPort, PortVXLAN)
			if v := p.Layer(layers.LayerTypeVXLAN).(*layers.VXLAN); v.VNI != 0xabcdef || !v.ValidIDFlag {
				t.Errorf("vxlan vni %#x valid %v", v.VNI, v.ValidIDFlag)
			}
		}, innerFrame},
		{"geneve over ipv6", Geneve(nil, outer6, 0x123456, innerFrame), layers.LayerTypeIPv6, func(t *testing.T, p gopacket.Packet) {
			checkUDPPorts(t, p, 1111, PortGeneve)
			if g := p.Layer(layers.LayerTypeGeneve).(*layers.Geneve); g.VNI != 0x123456 || g.Protocol != layers.EthernetTypeTransparentEthernetBridging {
				t.Errorf("geneve vni %#x protocol %v", g.VNI, g.Protocol)
			}
		}, innerFrame},
		{"gtp-u", GTPU(nil, outer4, 0xfeedf00d, inner6), layers.LayerTypeIPv4, func(t *testing.T, p gopacket.Packet) {
			checkUDPPorts(t, p, PortGTPU, PortGTPU)
			g := p.Layer(layers.LayerTypeGTPv1U).(*layers.GTPv1U)
			if g.TEID != 0xfeedf00d || g.MessageType != gtpuTypeGPDU || int(g.MessageLength) != len(inner6) || g.Version != 1 {
				t.Errorf("gtp teid %#x type %d length %d version %d", g.TEID, g.MessageType, g.MessageLength, g.Version)
			}
		}, inner6},
		{"4in4", IPinIP(nil, tepA, tepB, inner4), layers.LayerTypeIPv4, outerProto(ProtoIPIP), inner4},
		{"6in4", IPinIP(nil, tepA, tepB, inner6), layers.LayerTypeIPv4, outerProto(ProtoIPv6), inner6},
		{"4in6", IPinIP(nil, tep6A, tep6B, inner4), layers.LayerTypeIPv6, outerProto(ProtoIPIP), inner4},
		{"6in6", IPinIP(nil, tep6A, tep6B, inner6), layers.LayerTypeIPv6, outerProto(ProtoIPv6), inner6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := decode(t, tt.b, tt.first)
			tt.check(t, p)
			if !bytes.HasSuffix(tt.b, tt.inner) {
				t.Errorf("packet does not end with the inner bytes")
			}
			// The inner packet must be decoded too: two network layers.
			var n int
			for _, l := range p.Layers() {
				if _, ok := l.(gopacket.NetworkLayer); ok {
					n++
				}
			}
			if n != 2 {
				t.Errorf("%d network layers decoded, want 2 (outer and inner)", n)
			}
		})
	}
	if got := IPinIP([]byte{7}, tepA, tepB, []byte{0x20, 0}); !bytes.Equal(got, []byte{7}) {
		t.Errorf("IPinIP with a non-IP inner packet: got % x, want dst unchanged", got)
	}
}

func checkUDPPorts(t *testing.T, p gopacket.Packet, src, dst uint16) {
	t.Helper()
	u := p.Layer(layers.LayerTypeUDP).(*layers.UDP)
	if uint16(u.SrcPort) != src || uint16(u.DstPort) != dst {
		t.Errorf("udp ports %d -> %d, want %d -> %d", u.SrcPort, u.DstPort, src, dst)
	}
}

func outerProto(proto uint8) func(t *testing.T, p gopacket.Packet) {
	return func(t *testing.T, p gopacket.Packet) {
		t.Helper()
		b := p.Data()
		got := b[9]
		if b[0]>>4 == 6 {
			got = b[6]
		}
		if got != proto {
			t.Errorf("outer protocol %d, want %d", got, proto)
		}
	}
}
