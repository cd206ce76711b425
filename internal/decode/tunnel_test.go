package decode

import "testing"

func tunnelCases() []decodeCase {
	on := Options{Tunnels: true}
	inner4 := ip4TCP(addrC, addrD)
	innerEth := cat(ethHeader(0x0800), inner4)
	wantInner := func(d uint8) Packet { return onEther(depth(wantTCP4(addrC, addrD), d)) }
	outerGRE := onEther(Packet{Kind: KindIPv4, Src: a16(addrA), Dst: a16(addrB), Proto: 47})
	gre4 := func(greHdr []byte, payload []byte) []byte {
		return cat(ethHeader(0x0800), ip4Packet(47, addrA, addrB, cat(greHdr, payload)))
	}
	udp4 := func(sport, dport uint16, payload []byte) []byte {
		return cat(ethHeader(0x0800), ip4Packet(17, addrA, addrB, udpDatagram(sport, dport, payload)))
	}
	outerUDP := func(sport, dport uint16) Packet {
		return onEther(Packet{Kind: KindIPv4, Src: a16(addrA), Dst: a16(addrB), Proto: 17, SrcPort: sport, DstPort: dport, HasPorts: true})
	}
	vxlanHdr := []byte{
		0x08,             // flags: I (VNI valid)
		0x00, 0x00, 0x00, // reserved
		0x00, 0x00, 0x2a, // VNI 42
		0x00, // reserved
	}
	teredoOrigin := []byte{
		0x00, 0x00, // origin indication
		0xf1, 0x2a, // obfuscated port
		0x3f, 0xff, 0xfd, 0xfe, // obfuscated address
	}
	teredoAuth := []byte{
		0x00, 0x01, // authentication indication
		0x00,                                           // client identifier length
		0x00,                                           // authentication value length
		0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, // nonce
		0x00, // confirmation
	}
	ip6BadLen := ip6UDP(addrC6, addrD6)
	ip6BadLen[5]++ // payload length one more than the datagram holds
	nested := inner4
	for range 6 {
		nested = ip4Packet(4, addrA, addrB, nested)
	}
	ipip := func(d uint8) Packet {
		return Packet{Kind: KindIPv4, Src: a16(addrA), Dst: a16(addrB), Proto: 4, TunnelDepth: d}
	}
	arp := cat(ethHeader(0x0806), zeros(28))

	return []decodeCase{
		{"gre ipv4 off", linkTypeEthernet, Options{}, gre4([]byte{
			0x00, 0x00, // flags none, version 0
			0x08, 0x00, // protocol IPv4
		}, inner4), outerGRE},
		{"gre ipv4", linkTypeEthernet, on, gre4([]byte{
			0x00, 0x00, // flags none, version 0
			0x08, 0x00, // protocol IPv4
		}, inner4), wantInner(1)},
		{"gre checksum key sequence ipv6", linkTypeEthernet, on, gre4([]byte{
			0xb0, 0x00, // flags C, K, S; version 0
			0x86, 0xdd, // protocol IPv6
			0x00, 0x00, 0x00, 0x00, // checksum, reserved
			0x00, 0x00, 0x00, 0x07, // key
			0x00, 0x00, 0x00, 0x01, // sequence number
		}, ip6UDP(addrC6, addrD6)), onEther(depth(wantUDP6(addrC6, addrD6), 1))},
		{"gre source routing not opened", linkTypeEthernet, on, gre4([]byte{
			0x40, 0x00, // flags R, version 0
			0x08, 0x00, // protocol IPv4
		}, inner4), outerGRE},
		{"gre cut in options", linkTypeEthernet, on, gre4([]byte{
			0x20, 0x00, // flags K
			0x08, 0x00, // protocol IPv4
			0x00, 0x00, // half a key
		}, nil), outerGRE},
		{"gre transparent ethernet bridging", linkTypeEthernet, on, gre4([]byte{
			0x00, 0x00, // flags none
			0x65, 0x58, // protocol transparent Ethernet bridging
		}, cat(ethHeader(0x8100), vlanTag(99, 0x0800), inner4)), wantInner(1)},
		{"gre mpls", linkTypeEthernet, on, gre4([]byte{
			0x00, 0x00, // flags none
			0x88, 0x47, // protocol MPLS
		}, cat([]byte{0x00, 0x01, 0x01, 0x40}, inner4)), wantInner(1)},
		{"erspan type I", linkTypeEthernet, on, gre4([]byte{
			0x00, 0x00, // flags none: no sequence number means type I
			0x88, 0xbe, // protocol ERSPAN
		}, innerEth), wantInner(1)},
		{"erspan type II", linkTypeEthernet, on, gre4([]byte{
			0x10, 0x00, // flags S
			0x88, 0xbe, // protocol ERSPAN
			0x00, 0x00, 0x00, 0x01, // sequence number
			0x10, 0x64, // ERSPAN version 1, VLAN 100
			0x00, 0x01, // COS, encapsulation, truncated, session 1
			0x00, 0x00, 0x00, 0x00, // reserved, index
		}, innerEth), wantInner(1)},
		{"erspan type II cut short", linkTypeEthernet, on, gre4([]byte{
			0x10, 0x00, // flags S
			0x88, 0xbe, // protocol ERSPAN
			0x00, 0x00, 0x00, 0x01, // sequence number
			0x10, 0x64, 0x00, // part of the ERSPAN header
		}, nil), outerGRE},
		{"erspan type III", linkTypeEthernet, on, gre4([]byte{
			0x10, 0x00, // flags S
			0x22, 0xeb, // protocol ERSPAN III
			0x00, 0x00, 0x00, 0x01, // sequence number
			0x20, 0x14, // ERSPAN version 2, VLAN 20
			0x00, 0x01, // COS, BSO, T, session 1
			0x00, 0x00, 0x10, 0x00, // timestamp
			0x00, 0x00, // SGT
			0x00, // P 0, frame type 0 (Ethernet), hardware ID
			0x00, // hardware ID, D, granularity, O 0
		}, innerEth), wantInner(1)},
		{"erspan type III platform sub-header", linkTypeEthernet, on, gre4([]byte{
			0x10, 0x00, // flags S
			0x22, 0xeb, // protocol ERSPAN III
			0x00, 0x00, 0x00, 0x01, // sequence number
			0x20, 0x14, // ERSPAN version 2, VLAN 20
			0x00, 0x01, // COS, BSO, T, session 1
			0x00, 0x00, 0x10, 0x00, // timestamp
			0x00, 0x00, // SGT
			0x00,                                           // P 0, frame type 0 (Ethernet), hardware ID
			0x01,                                           // hardware ID, D, granularity, O 1
			0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // platform-specific sub-header
		}, innerEth), wantInner(1)},
		{"gre ppp", linkTypeEthernet, on, gre4([]byte{
			0x00, 0x00, // flags none
			0x88, 0x0b, // protocol PPP
			0xff, 0x03, // PPP address, control
			0x00, 0x21, // PPP protocol IPv4
		}, inner4), wantInner(1)},
		{"pptp enhanced gre", linkTypeEthernet, on, gre4([]byte{
			0x30, 0x81, // flags K, S, A; version 1
			0x88, 0x0b, // protocol PPP
			0x00, 0x2c, // payload length
			0x00, 0x05, // call ID
			0x00, 0x00, 0x00, 0x02, // sequence number
			0x00, 0x00, 0x00, 0x01, // acknowledgment number
			0xff, 0x03, // PPP address, control
			0x00, 0x21, // PPP protocol IPv4
		}, inner4), wantInner(1)},
		{"pptp compressed ppp protocol", linkTypeEthernet, on, gre4([]byte{
			0x20, 0x01, // flags K; version 1
			0x88, 0x0b, // protocol PPP
			0x00, 0x29, // payload length
			0x00, 0x05, // call ID
			0x21, // PPP protocol IPv4, compressed
		}, inner4), wantInner(1)},
		{"pptp lcp stays outer", linkTypeEthernet, on, gre4([]byte{
			0x30, 0x01, // flags K, S; version 1
			0x88, 0x0b, // protocol PPP
			0x00, 0x08, // payload length
			0x00, 0x05, // call ID
			0x00, 0x00, 0x00, 0x02, // sequence number
			0xff, 0x03, // PPP address, control
			0xc0, 0x21, // PPP protocol LCP
		}, zeros(4)), outerGRE},
		{"gre version 1 without key", linkTypeEthernet, on, gre4([]byte{
			0x00, 0x01, // flags none; version 1
			0x88, 0x0b, // protocol PPP
		}, inner4), outerGRE},
		{"ip-in-ip off", linkTypeEthernet, Options{}, cat(ethHeader(0x0800), ip4Packet(4, addrA, addrB, inner4)), onEther(ipip(0))},
		{"ip-in-ip", linkTypeEthernet, on, cat(ethHeader(0x0800), ip4Packet(4, addrA, addrB, inner4)), wantInner(1)},
		{"6in4", linkTypeEthernet, on, cat(ethHeader(0x0800), ip4Packet(41, addrA, addrB, ip6UDP(addrC6, addrD6))), onEther(depth(wantUDP6(addrC6, addrD6), 1))},
		{"4in6", linkTypeEthernet, on, cat(ethHeader(0x86dd), ip6Packet(4, addrA6, addrB6, inner4)), wantInner(1)},
		{"ip-in-ip inner cut short", linkTypeEthernet, on, cat(ethHeader(0x0800), ip4Header(4, 20+10, 0, 1, addrA, addrB), inner4[:10]), onEther(ipip(0))},
		{"ip-in-ip in a fragment not opened", linkTypeEthernet, on, cat(ethHeader(0x0800), ip4Header(4, 20+40, 0x2000, 0x1234, addrA, addrB), inner4), func() Packet {
			p := onEther(ipip(0))
			p.IsFragment, p.MoreFragments, p.FragID = true, true, 0x1234
			return p
		}()},
		{"nesting stops at the depth limit", linkTypeRaw, on, nested, ipip(4)},
		{"vxlan off", linkTypeEthernet, Options{}, udp4(50000, 4789, cat(vxlanHdr, innerEth)), outerUDP(50000, 4789)},
		{"vxlan", linkTypeEthernet, on, udp4(50000, 4789, cat(vxlanHdr, innerEth)), wantInner(1)},
		{"vxlan source port", linkTypeEthernet, on, udp4(4789, 50000, cat(vxlanHdr, innerEth)), wantInner(1)},
		{"vxlan without I flag", linkTypeEthernet, on, udp4(50000, 4789, cat([]byte{0, 0, 0, 0, 0, 0, 0x2a, 0}, innerEth)), outerUDP(50000, 4789)},
		{"vxlan carrying arp stays outer", linkTypeEthernet, on, udp4(50000, 4789, cat(vxlanHdr, arp)), outerUDP(50000, 4789)},
		{"vxlan-gpe ipv6", linkTypeEthernet, on, udp4(50000, 4790, cat([]byte{
			0x0c,       // flags: I, P
			0x00, 0x00, // reserved
			0x02,             // next protocol IPv6
			0x00, 0x00, 0x2a, // VNI 42
			0x00, // reserved
		}, ip6UDP(addrC6, addrD6))), onEther(depth(wantUDP6(addrC6, addrD6), 1))},
		{"vxlan inside gre", linkTypeEthernet, on, gre4([]byte{
			0x00, 0x00, // flags none
			0x08, 0x00, // protocol IPv4
		}, ip4Packet(17, addrC, addrD, udpDatagram(50000, 4789, cat(vxlanHdr, ethHeader(0x86dd), ip6UDP(addrC6, addrD6))))), onEther(depth(wantUDP6(addrC6, addrD6), 2))},
		{"geneve ipv4 with option", linkTypeEthernet, on, udp4(50000, 6081, cat([]byte{
			0x01,       // version 0, option length 1 (4 bytes)
			0x00,       // flags
			0x08, 0x00, // protocol type IPv4
			0x00, 0x00, 0x2a, // VNI
			0x00,       // reserved
			0x01, 0x02, // option class
			0x03, // option type
			0x00, // option length 0
		}, inner4)), onEther(depth(wantTCP4(addrC, addrD), 1))},
		{"geneve ethernet", linkTypeEthernet, on, udp4(50000, 6081, cat([]byte{
			0x00,       // version 0, no options
			0x00,       // flags
			0x65, 0x58, // protocol type transparent Ethernet bridging
			0x00, 0x00, 0x2a, // VNI
			0x00, // reserved
		}, innerEth)), wantInner(1)},
		{"geneve version 1 not opened", linkTypeEthernet, on, udp4(50000, 6081, cat([]byte{0x40, 0, 0x08, 0, 0, 0, 0x2a, 0}, inner4)), outerUDP(50000, 6081)},
		{"gtp-u ipv6", linkTypeEthernet, on, udp4(2152, 2152, cat([]byte{
			0x30,       // version 1, PT 1, no E/S/PN
			0xff,       // message type G-PDU
			0x00, 0x3c, // length
			0x00, 0x00, 0x00, 0x01, // TEID
		}, ip6UDP(addrC6, addrD6))), onEther(depth(wantUDP6(addrC6, addrD6), 1))},
		{"gtp-u extension header", linkTypeEthernet, on, udp4(40000, 2152, cat([]byte{
			0x34,       // version 1, PT 1, E
			0xff,       // message type G-PDU
			0x00, 0x34, // length
			0x00, 0x00, 0x00, 0x01, // TEID
			0x00, 0x00, // sequence number
			0x00,       // N-PDU number
			0x85,       // next extension: PDU session container
			0x01,       // extension length 1 (4 bytes)
			0x00, 0x09, // PDU session container content
			0x00, // next extension: none
		}, inner4)), onEther(depth(wantTCP4(addrC, addrD), 1))},
		{"gtp-u echo not opened", linkTypeEthernet, on, udp4(2152, 2152, cat([]byte{0x32, 0x01, 0x00, 0x04, 0, 0, 0, 0, 0, 1, 0, 0}, inner4)), outerUDP(2152, 2152)},
		{"teredo", linkTypeEthernet, on, udp4(3797, 3544, ip6UDP(addrC6, addrD6)), onEther(depth(wantUDP6(addrC6, addrD6), 1))},
		{"teredo origin indication", linkTypeEthernet, on, udp4(3544, 3797, cat(teredoOrigin, ip6UDP(addrC6, addrD6))), onEther(depth(wantUDP6(addrC6, addrD6), 1))},
		{"teredo authentication and origin", linkTypeEthernet, on, udp4(3544, 3797, cat(teredoAuth, teredoOrigin, ip6UDP(addrC6, addrD6))), onEther(depth(wantUDP6(addrC6, addrD6), 1))},
		{"teredo inconsistent length", linkTypeEthernet, on, udp4(3544, 3797, ip6BadLen), outerUDP(3544, 3797)},
		{"teredo not ipv6", linkTypeEthernet, on, udp4(3544, 3797, zeros(48)), outerUDP(3544, 3797)},
	}
}

func TestDecodeTunnels(t *testing.T) { runCases(t, tunnelCases()) }
