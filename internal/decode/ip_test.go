package decode

import "testing"

func ipCases() []decodeCase {
	tcp4 := wantTCP4(addrA, addrB)
	udp6 := wantUDP6(addrA6, addrB6)
	frag4 := func(p Packet, off uint32, more bool, ports bool) Packet {
		p.IsFragment, p.FragOffset, p.MoreFragments, p.FragID = true, off, more, 0x1234
		if !ports {
			p.SrcPort, p.DstPort, p.HasPorts, p.TCPFlags = 0, 0, false, 0
		}
		return p
	}
	udp4 := Packet{Kind: KindIPv4, Src: a16(addrA), Dst: a16(addrB), Proto: 17, SrcPort: 1000, DstPort: 2049, HasPorts: true}
	fragPayload := udpDatagram(1000, 2049, zeros(16))
	noPorts := func(p Packet, proto uint8) Packet {
		p.Proto, p.SrcPort, p.DstPort, p.HasPorts, p.TCPFlags = proto, 0, 0, false, 0
		return p
	}
	frag6 := func(p Packet, off uint32, more bool) Packet {
		p.IsFragment, p.FragOffset, p.MoreFragments, p.FragID = true, off, more, 0xcafe0001
		return p
	}
	chain := []byte{}
	for range 8 {
		chain = cat(chain, ip6ExtHeader(60))
	}
	return []decodeCase{
		{"ipv4 options", linkTypeRaw, Options{}, cat([]byte{
			0x46,       // version 4, IHL 6 (24 bytes)
			0x00,       // DSCP, ECN
			0x00, 0x2c, // total length 44
			0x00, 0x01, // identification
			0x40, 0x00, // flags DF, offset 0
			64,         // TTL
			6,          // protocol TCP
			0x00, 0x00, // checksum
			192, 0, 2, 1, // source
			198, 51, 100, 2, // destination
			0x94, 0x04, 0x00, 0x00, // option: router alert
		}, tcpHeader(40000, 80, flagSYN)), tcp4},
		{"ipv4 ihl 4", linkTypeRaw, Options{}, cat([]byte{0x44}, ip4TCP(addrA, addrB)[1:]), Packet{Kind: KindMalformed}},
		{"ipv4 ihl beyond capture", linkTypeRaw, Options{}, cat([]byte{0x4f}, ip4TCP(addrA, addrB)[1:]), Packet{Kind: KindMalformed}},
		{"ipv4 header cut short", linkTypeRaw, Options{}, ip4TCP(addrA, addrB)[:19], Packet{Kind: KindMalformed}},
		{"ipv4 header only", linkTypeRaw, Options{}, ip4TCP(addrA, addrB)[:20], noPorts(tcp4, 6)},
		{"ipv4 tcp ports only", linkTypeRaw, Options{}, ip4TCP(addrA, addrB)[:24], func() Packet { p := tcp4; p.TCPFlags = 0; return p }()},
		{"ipv4 tcp cut before flags", linkTypeRaw, Options{}, ip4TCP(addrA, addrB)[:33], func() Packet { p := tcp4; p.TCPFlags = 0; return p }()},
		{"ipv4 tcp flags captured", linkTypeRaw, Options{}, ip4TCP(addrA, addrB)[:34], tcp4},
		{"ipv4 udp cut in ports", linkTypeRaw, Options{}, ip4Packet(17, addrA, addrB, udpDatagram(1, 2, nil))[:23], noPorts(tcp4, 17)},
		{"ipv4 total length zero from offload", linkTypeRaw, Options{}, cat(ip4Header(6, 0, 0, 1, addrA, addrB), tcpHeader(40000, 80, flagSYN)), tcp4},
		{"ipv4 total length trims padding", linkTypeRaw, Options{Tunnels: true}, cat(ip4Packet(17, addrA, addrB, udpDatagram(1000, 2049, nil)), zeros(10)), udp4},
		{"ipv4 total length hides transport", linkTypeRaw, Options{}, cat(ip4Header(6, 20, 0, 1, addrA, addrB), tcpHeader(40000, 80, flagSYN)), noPorts(tcp4, 6)},
		{"ipv4 first fragment", linkTypeRaw, Options{}, cat(ip4Header(17, 20+24, 0x2000, 0x1234, addrA, addrB), fragPayload), frag4(udp4, 0, true, true)},
		{"ipv4 middle fragment", linkTypeRaw, Options{}, cat(ip4Header(17, 20+24, 0x2000|185, 0x1234, addrA, addrB), fragPayload), frag4(udp4, 1480, true, false)},
		{"ipv4 last fragment", linkTypeRaw, Options{}, cat(ip4Header(17, 20+24, 370, 0x1234, addrA, addrB), fragPayload), frag4(udp4, 2960, false, false)},
		{"sctp ports", linkTypeRaw, Options{}, ip4Packet(132, addrA, addrB, []byte{
			0x0b, 0x59, // source port 2905
			0x0b, 0x59, // destination port 2905
			0x00, 0x00, 0x00, 0x01, // verification tag
			0x00, 0x00, 0x00, 0x00, // checksum
		}), Packet{Kind: KindIPv4, Src: a16(addrA), Dst: a16(addrB), Proto: 132, SrcPort: 2905, DstPort: 2905, HasPorts: true}},
		{"udp-lite ports", linkTypeRaw, Options{}, ip6Packet(136, addrA6, addrB6, udpHeader(7, 9, 8)), Packet{Kind: KindIPv6, Src: addrA6, Dst: addrB6, Proto: 136, SrcPort: 7, DstPort: 9, HasPorts: true}},
		{"gre without tunnels", linkTypeRaw, Options{}, ip4Packet(47, addrA, addrB, cat([]byte{0, 0, 0x08, 0x00}, ip4TCP(addrC, addrD))), noPorts(tcp4, 47)},
		{"ipv6 header cut short", linkTypeRaw, Options{}, ip6UDP(addrA6, addrB6)[:39], Packet{Kind: KindMalformed}},
		{"ipv6 wrong version on 229", linkTypeIPv6, Options{}, ip4TCP(addrA, addrB), Packet{Kind: KindMalformed}},
		{"ipv6 udp cut in ports", linkTypeRaw, Options{}, ip6UDP(addrA6, addrB6)[:42], noPorts(udp6, 17)},
		{"ipv6 padding trimmed", linkTypeEthernet, Options{}, cat(ethHeader(0x86dd), ip6Packet(17, addrA6, addrB6, udpHeader(5353, 53, 8)), zeros(12)), onEther(udp6)},
		{"ipv6 hop-by-hop", linkTypeRaw, Options{}, ip6Packet(0, addrA6, addrB6, cat(ip6ExtHeader(17), udpDatagram(5353, 53, nil))), udp6},
		{"ipv6 routing", linkTypeRaw, Options{}, ip6Packet(43, addrA6, addrB6, cat(ip6ExtHeader(17), udpDatagram(5353, 53, nil))), udp6},
		{"ipv6 destination options", linkTypeRaw, Options{}, ip6Packet(60, addrA6, addrB6, cat(ip6ExtHeader(17), udpDatagram(5353, 53, nil))), udp6},
		{"ipv6 hop-by-hop routing destination", linkTypeRaw, Options{}, ip6Packet(0, addrA6, addrB6, cat(ip6ExtHeader(43), ip6ExtHeader(60), ip6ExtHeader(17), udpDatagram(5353, 53, nil))), udp6},
		{"ipv6 ah", linkTypeRaw, Options{}, ip6Packet(51, addrA6, addrB6, cat([]byte{
			17,         // next header UDP
			4,          // payload length: (4+2)*4 = 24 bytes
			0x00, 0x00, // reserved
			0x00, 0x00, 0x01, 0x00, // SPI
			0x00, 0x00, 0x00, 0x01, // sequence number
		}, zeros(12), udpDatagram(5353, 53, nil))), udp6},
		{"ipv6 esp", linkTypeRaw, Options{}, ip6Packet(50, addrA6, addrB6, zeros(16)), noPorts(udp6, 50)},
		{"ipv6 first fragment", linkTypeRaw, Options{}, ip6Packet(44, addrA6, addrB6, cat(ip6Frag(17, 0, true, 0xcafe0001), udpDatagram(5353, 53, zeros(4)))), frag6(udp6, 0, true)},
		{"ipv6 last fragment", linkTypeRaw, Options{}, ip6Packet(44, addrA6, addrB6, cat(ip6Frag(17, 1232, false, 0xcafe0001), udpDatagram(5353, 53, zeros(4)))), frag6(noPorts(udp6, 17), 1232, false)},
		{"ipv6 atomic fragment", linkTypeRaw, Options{}, ip6Packet(0, addrA6, addrB6, cat(ip6ExtHeader(44), ip6Frag(17, 0, false, 0xcafe0001), udpDatagram(5353, 53, zeros(4)))), udp6},
		{"ipv6 extension header cut short", linkTypeRaw, Options{}, ip6Packet(0, addrA6, addrB6, ip6ExtHeader(17)[:6]), noPorts(udp6, 0)},
		{"ipv6 extension length beyond capture", linkTypeRaw, Options{}, ip6Packet(43, addrA6, addrB6, []byte{17, 1, 0, 0, 0, 0, 0, 0}), noPorts(udp6, 43)},
		{"ipv6 fragment header cut short", linkTypeRaw, Options{}, ip6Packet(44, addrA6, addrB6, ip6Frag(17, 0, true, 1)[:7]), noPorts(udp6, 44)},
		{"ipv6 extension chain longer than bound", linkTypeRaw, Options{}, ip6Packet(60, addrA6, addrB6, cat(chain, ip6ExtHeader(17), udpDatagram(5353, 53, nil))), noPorts(udp6, 60)},
	}
}

func TestDecodeIP(t *testing.T) { runCases(t, ipCases()) }
