package decode

import "testing"

func icmpCases() []decodeCase {
	on := Options{ICMPErrors: true}
	icmp4 := func(typ, code byte, quote []byte) []byte {
		return ip4Packet(1, addrB, addrA, cat([]byte{
			typ, code, // type, code
			0x00, 0x00, // checksum
			0x00, 0x00, 0x00, 0x00, // unused / gateway / pointer
		}, quote))
	}
	icmp6 := func(typ, code byte, quote []byte) []byte {
		return ip6Packet(58, addrB6, addrA6, cat([]byte{
			typ, code, // type, code
			0x00, 0x00, // checksum
			0x00, 0x00, 0x05, 0x00, // unused / MTU / pointer
		}, quote))
	}
	// The quoted packets: what A sent to C (v4) or to C6 (v6).
	quote4UDP := cat(ip4Header(17, 20+8+100, 0, 7, addrA, addrC), udpHeader(33434, 53, 108))
	quote4TCP := cat(ip4Header(6, 20+20, 0, 7, addrA, addrC), tcpHeader(40000, 443, flagACK)[:8])
	quote4Frag := cat(ip4Header(17, 20+8+100, 0x2000|10, 7, addrA, addrC), udpHeader(33434, 53, 108))
	quote6UDP := cat(ip6Header(17, 8+100, addrA6, addrC6), udpHeader(33434, 53, 108))
	quote6Frag := cat(ip6Header(44, 8+8+100, addrA6, addrC6), ip6Frag(17, 1232, true, 9), udpHeader(33434, 53, 108))

	outer4 := Packet{Kind: KindIPv4, Src: a16(addrB), Dst: a16(addrA), Proto: 1}
	outer6 := Packet{Kind: KindIPv6, Src: addrB6, Dst: addrA6, Proto: 58}
	quoted4 := func(proto uint8, sp, dp uint16, ports bool) Packet {
		return Packet{Kind: KindIPv4, Src: a16(addrA), Dst: a16(addrC), Proto: proto, SrcPort: sp, DstPort: dp, HasPorts: ports, ICMPError: true}
	}
	quoted6 := func(sp, dp uint16, ports bool) Packet {
		return Packet{Kind: KindIPv6, Src: addrA6, Dst: addrC6, Proto: 17, SrcPort: sp, DstPort: dp, HasPorts: ports, ICMPError: true}
	}
	return []decodeCase{
		{"icmp4 unreachable off", linkTypeRaw, Options{}, icmp4(3, 3, quote4UDP), outer4},
		{"icmp4 unreachable udp", linkTypeRaw, on, icmp4(3, 3, quote4UDP), quoted4(17, 33434, 53, true)},
		{"icmp4 source quench tcp", linkTypeRaw, on, icmp4(4, 0, quote4TCP), quoted4(6, 40000, 443, true)},
		{"icmp4 redirect", linkTypeRaw, on, icmp4(5, 1, quote4UDP), quoted4(17, 33434, 53, true)},
		{"icmp4 time exceeded", linkTypeRaw, on, icmp4(11, 0, quote4UDP), quoted4(17, 33434, 53, true)},
		{"icmp4 parameter problem", linkTypeRaw, on, icmp4(12, 0, quote4UDP), quoted4(17, 33434, 53, true)},
		{"icmp4 quote without ports", linkTypeRaw, on, icmp4(11, 0, quote4UDP[:22]), quoted4(17, 0, 0, false)},
		{"icmp4 quote non-first fragment", linkTypeRaw, on, icmp4(11, 0, quote4Frag), quoted4(17, 0, 0, false)},
		{"icmp4 quote cut in header", linkTypeRaw, on, icmp4(3, 1, quote4UDP[:19]), outer4},
		{"icmp4 quote not ipv4", linkTypeRaw, on, icmp4(3, 1, quote6UDP), outer4},
		{"icmp4 echo is not an error", linkTypeRaw, on, icmp4(8, 0, quote4UDP), outer4},
		{"icmp4 header cut short", linkTypeRaw, on, ip4Packet(1, addrB, addrA, []byte{3, 3, 0, 0}), outer4},
		{"icmp6 unreachable off", linkTypeRaw, Options{}, icmp6(1, 4, quote6UDP), outer6},
		{"icmp6 unreachable udp", linkTypeRaw, on, icmp6(1, 4, quote6UDP), quoted6(33434, 53, true)},
		{"icmp6 packet too big", linkTypeRaw, on, icmp6(2, 0, quote6UDP), quoted6(33434, 53, true)},
		{"icmp6 time exceeded", linkTypeRaw, on, icmp6(3, 0, quote6UDP), quoted6(33434, 53, true)},
		{"icmp6 parameter problem", linkTypeRaw, on, icmp6(4, 0, quote6UDP), quoted6(33434, 53, true)},
		{"icmp6 quote non-first fragment", linkTypeRaw, on, icmp6(3, 1, quote6Frag), quoted6(0, 0, false)},
		{"icmp6 quote cut in header", linkTypeRaw, on, icmp6(1, 0, quote6UDP[:39]), outer6},
		{"icmp6 echo request is not an error", linkTypeRaw, on, icmp6(128, 0, quote6UDP), outer6},
		{"icmp4 error in fragment not opened", linkTypeRaw, on, cat(ip4Header(1, 20+8+28, 0x2000, 0x1234, addrB, addrA), []byte{3, 3, 0, 0, 0, 0, 0, 0}, quote4UDP), func() Packet {
			p := outer4
			p.IsFragment, p.MoreFragments, p.FragID = true, true, 0x1234
			return p
		}()},
	}
}

func TestDecodeICMPErrors(t *testing.T) { runCases(t, icmpCases()) }
