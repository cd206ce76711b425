package decode

import "testing"

func TestDecodeNoAllocs(t *testing.T) {
	vxlan := cat(ethHeader(0x0800), ip4Packet(17, addrA, addrB, udpDatagram(50000, 4789, cat(
		[]byte{0x08, 0, 0, 0, 0, 0, 0x2a, 0}, // VXLAN flags I, VNI 42
		ethHeader(0x0800), ip4TCP(addrC, addrD)))))
	icmpErr := cat(ethHeader(0x0800), ip4Packet(1, addrB, addrA, cat(
		[]byte{3, 3, 0, 0, 0, 0, 0, 0}, // ICMP port unreachable
		ip4Header(17, 128, 0, 7, addrA, addrC), udpHeader(33434, 53, 108))))
	cases := []struct {
		name  string
		frame []byte
		opts  Options
	}{
		{"ipv4 tcp", cat(ethHeader(0x0800), ip4TCP(addrA, addrB)), Options{}},
		{"ipv6 extension headers", cat(ethHeader(0x86dd), ip6Packet(0, addrA6, addrB6, cat(ip6ExtHeader(43), ip6ExtHeader(44), ip6Frag(17, 0, true, 1), udpDatagram(1, 2, nil)))), Options{}},
		{"vxlan with tunnels", vxlan, Options{Tunnels: true}},
		{"icmp error", icmpErr, Options{ICMPErrors: true, Tunnels: true}},
	}
	var p Packet
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if n := testing.AllocsPerRun(1000, func() { p.Decode(linkTypeEthernet, tc.frame, tc.opts) }); n != 0 {
				t.Errorf("Decode allocates %v times per packet", n)
			}
			if p.Kind != KindIPv4 && p.Kind != KindIPv6 {
				t.Errorf("fixture decodes as kind %d, not IP", p.Kind)
			}
		})
	}
}
