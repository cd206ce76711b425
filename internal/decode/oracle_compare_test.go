package decode

import (
	"net/netip"
	"testing"
)

func TestRealCapturesAgainstGopacket(t *testing.T) {
	compareWithGopacket(t, Options{}, func(lt uint16, data []byte) (flowView, bool) { return oracle(lt, data, false) }, nil, nil)
}

// compareWithGopacket decodes every packet of every real capture with
// opts and compares its flow with want's (gopacket's decoding), or with
// the hand-checked flow of handChecked or extra where there is one; seen,
// when not nil, sees every decoded packet.
func compareWithGopacket(t *testing.T, opts Options, want func(lt uint16, data []byte) (flowView, bool), extra map[string]map[int]flowView, seen func(*Packet)) {
	t.Helper()
	for _, name := range captureFiles(t) {
		t.Run(name, func(t *testing.T) {
			var p Packet
			bad := 0
			for i, c := range readCapture(t, name) {
				if !decodableLinkTypes[c.linkType] {
					continue
				}
				p.Decode(c.linkType, c.data, opts)
				w, ok := want(c.linkType, c.data)
				for _, hand := range []map[string]map[int]flowView{handChecked, extra} {
					if hc, found := hand[name][i+1]; found {
						w, ok = hc, true
					}
				}
				if seen != nil {
					seen(&p)
				}
				got := viewOf(&p)
				if !ok {
					if p.Kind == KindIPv4 || p.Kind == KindIPv6 {
						t.Errorf("packet %d: gopacket finds no IP, got %+v", i+1, got)
						bad++
					}
					continue
				}
				if got != w {
					bad++
					if bad < 5 {
						t.Errorf("packet %d (lt %d, tunnel depth %d, icmp error %v):\n got %+v\nwant %+v", i+1, c.linkType, p.TunnelDepth, p.ICMPError, got, w)
					}
				}
			}
			if bad > 0 {
				t.Errorf("%d mismatches", bad)
			}
		})
	}
}

// handChecked holds the flows of packets gopacket cannot decode, checked
// by hand against tshark (frame numbers from 1).
var handChecked = map[string]map[int]flowView{
	// Cisco VN-Tag (0x8926), 802.1Q 11, IPv4 1.1.1.1 > 1.1.2.1 proto 253.
	"le-nsec-vntag.pcap": {1: vntagFlow, 2: vntagFlow, 3: vntagFlow},
	// MPLS, Ethernet pseudowire with control word, 802.1Q 1, IPv4 ICMP.
	"mixed-eompls-vlan-ipv6-icmp.pcap": {
		142: eomplsAB, 150: eomplsBA, 157: eomplsAB, 170: eomplsBA, 174: eomplsAB,
		175: eomplsBA, 176: eomplsAB, 177: eomplsBA, 178: eomplsAB, 179: eomplsBA,
	},
}

var (
	vntagFlow = flowView{Kind: KindIPv4, Src: v4(1, 1, 1, 1), Dst: v4(1, 1, 2, 1), Proto: 253}
	eomplsAB  = flowView{Kind: KindIPv4, Src: v4(192, 168, 1, 1), Dst: v4(192, 168, 1, 2), Proto: 1}
	eomplsBA  = flowView{Kind: KindIPv4, Src: v4(192, 168, 1, 2), Dst: v4(192, 168, 1, 1), Proto: 1}
)

// v4 returns an IPv4 address in Packet's 16-byte form.
func v4(a, b, c, d byte) [16]byte {
	return [16]byte{a, b, c, d}
}

func TestRealCapturesTunnelsAgainstGopacket(t *testing.T) {
	compareWithGopacket(t, Options{Tunnels: true}, func(lt uint16, data []byte) (flowView, bool) { return oracle(lt, data, true) }, handCheckedTunnels, nil)
}

// handCheckedTunnels holds the inner flows of tunnels gopacket does not
// open (ERSPAN III, Teredo), checked by hand against tshark.
var handCheckedTunnels = map[string]map[int]flowView{
	// GRE, ERSPAN III, Ethernet, 802.1Q 20, IPv4 ICMP; all in one direction.
	"erspan3-vlan-icmp.pcap": {
		1: erspan3Flow, 2: erspan3Flow, 3: erspan3Flow, 4: erspan3Flow, 5: erspan3Flow,
		6: erspan3Flow, 7: erspan3Flow, 8: erspan3Flow, 9: erspan3Flow,
	},
	// UDP 3797 <-> 3544, Teredo, IPv6 (tshark: udp:teredo:ipv6).
	"teredo.pcap": {
		6:  v6Flow("fe80::8000:ffff:ffff:fffd", "ff02::2", 58),
		7:  v6Flow("fe80::8000:f227:bec8:61af", "fe80::8000:ffff:ffff:fffd", 58),
		30: v6Flow("2001:0:4137:9e50:8000:f12a:b9c8:2815", "2001:4860:0:2001::68", 58),
		31: v6Flow("fe80::708d:fe83:4114:a512", "2001:0:4137:9e50:8000:f12a:b9c8:2815", 59),
	},
}

var erspan3Flow = flowView{Kind: KindIPv4, Src: v4(10, 29, 11, 1), Dst: v4(10, 29, 20, 21), Proto: 1}

// v6Flow returns the flow of an IPv6 packet without ports.
func v6Flow(src, dst string, proto uint8) flowView {
	return flowView{Kind: KindIPv6, Src: netip.MustParseAddr(src).As16(), Dst: netip.MustParseAddr(dst).As16(), Proto: proto}
}

func TestRealCapturesICMPErrorsAgainstGopacket(t *testing.T) {
	quoted := 0
	compareWithGopacket(t, Options{ICMPErrors: true}, oracleICMP, nil, func(p *Packet) {
		if p.ICMPError {
			quoted++
		}
	})
	if quoted == 0 {
		t.Error("no ICMP error decoded in the whole corpus")
	}
}
