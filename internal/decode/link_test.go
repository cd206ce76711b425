package decode

import "testing"

func linkCases() []decodeCase {
	tcp4 := wantTCP4(addrA, addrB)
	udp6 := wantUDP6(addrA6, addrB6)
	nonIPEther := onEther(Packet{Kind: KindNonIP})
	malformedEther := onEther(Packet{Kind: KindMalformed})
	vlan := func(p Packet, outer, inner uint16) Packet {
		p.VLAN, p.InnerVLAN = outer, inner
		return p
	}
	sll := func(proto uint16) []byte {
		return []byte{
			0x00, 0x00, // packet type: to us
			0x00, 0x01, // ARPHRD_ETHER
			0x00, 0x06, // link-layer address length
			0x02, 0x00, 0x5e, 0x00, 0x00, 0x01, 0x00, 0x00, // address, padded to 8
			byte(proto >> 8), byte(proto), // protocol
		}
	}
	sll2 := func(proto uint16) []byte {
		return []byte{
			byte(proto >> 8), byte(proto), // protocol
			0x00, 0x00, // reserved
			0x00, 0x00, 0x00, 0x02, // interface index
			0x00, 0x01, // ARPHRD_ETHER
			0x04,                                           // packet type: outgoing
			0x06,                                           // link-layer address length
			0x02, 0x00, 0x5e, 0x00, 0x00, 0x01, 0x00, 0x00, // address, padded to 8
		}
	}
	mplsLabel := func(label uint32, bottom bool) []byte {
		v := label<<12 | 64 // label, TC 0, TTL 64
		if bottom {
			v |= 1 << 8 // S: bottom of stack
		}
		return []byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)} // label entry
	}
	pppoe := func(pppProto uint16, payload []byte) []byte {
		n := 2 + len(payload)
		return cat([]byte{
			0x11,       // version 1, type 1
			0x00,       // code: session data
			0x12, 0x34, // session ID
			byte(n >> 8), byte(n), // length: PPP protocol and payload
			byte(pppProto >> 8), byte(pppProto), // PPP protocol
		}, payload)
	}
	arp := []byte{
		0x00, 0x01, // hardware type Ethernet
		0x08, 0x00, // protocol type IPv4
		6, 4, // address lengths
		0x00, 0x01, // request
		0x02, 0x00, 0x5e, 0x00, 0x00, 0x01, 192, 0, 2, 1, // sender
		0, 0, 0, 0, 0, 0, 198, 51, 100, 2, // target
	}
	tenTags := cat(ethHeader(0x8100))
	for i := range 9 {
		tenTags = cat(tenTags, vlanTag(uint16(i+1), 0x8100))
	}
	tenTags = cat(tenTags, vlanTag(10, 0x0800), ip4TCP(addrA, addrB))
	deepLabels := []byte{}
	for range 9 {
		deepLabels = cat(deepLabels, mplsLabel(16, false))
	}

	return []decodeCase{
		{"ethernet ipv4 tcp", linkTypeEthernet, Options{}, cat(ethHeader(0x0800), ip4TCP(addrA, addrB)), onEther(tcp4)},
		{"ethernet ipv6 udp", linkTypeEthernet, Options{}, cat(ethHeader(0x86dd), ip6UDP(addrA6, addrB6)), onEther(udp6)},
		{"ethernet cut short", linkTypeEthernet, Options{}, ethHeader(0x0800)[:13], Packet{Kind: KindMalformed}},
		{"ethernet no ip header", linkTypeEthernet, Options{}, ethHeader(0x0800), malformedEther},
		{"ethernet arp", linkTypeEthernet, Options{}, cat(ethHeader(0x0806), arp), nonIPEther},
		{"ethernet lldp", linkTypeEthernet, Options{}, cat(ethHeader(0x88cc), zeros(20)), nonIPEther},
		{"ethernet trailer after ipv4", linkTypeEthernet, Options{}, cat(ethHeader(0x0800), ip4TCP(addrA, addrB), []byte{0xde, 0xad, 0xbe, 0xef}), onEther(tcp4)},
		{"raw 101 ipv4", linkTypeRaw, Options{}, ip4TCP(addrA, addrB), tcp4},
		{"raw 101 ipv6", linkTypeRaw, Options{}, ip6UDP(addrA6, addrB6), udp6},
		{"raw 12 ipv6", linkTypeRawBSD12, Options{}, ip6UDP(addrA6, addrB6), udp6},
		{"raw 14 ipv4", linkTypeRawBSD14, Options{}, ip4TCP(addrA, addrB), tcp4},
		{"raw bad version", linkTypeRaw, Options{}, cat([]byte{0x55}, ip4TCP(addrA, addrB)[1:]), Packet{Kind: KindMalformed}},
		{"raw empty", linkTypeRaw, Options{}, nil, Packet{Kind: KindMalformed}},
		{"ipv4 228", linkTypeIPv4, Options{}, ip4TCP(addrA, addrB), tcp4},
		{"ipv4 228 carrying ipv6", linkTypeIPv4, Options{}, ip6UDP(addrA6, addrB6), Packet{Kind: KindMalformed}},
		{"ipv6 229", linkTypeIPv6, Options{}, ip6UDP(addrA6, addrB6), udp6},
		{"sll ipv4", linkTypeLinuxSLL, Options{}, cat(sll(0x0800), ip4TCP(addrA, addrB)), tcp4},
		{"sll vlan ipv6", linkTypeLinuxSLL, Options{}, cat(sll(0x8100), vlanTag(5, 0x86dd), ip6UDP(addrA6, addrB6)), vlan(udp6, 5, 0)},
		{"sll arp", linkTypeLinuxSLL, Options{}, cat(sll(0x0806), arp), Packet{Kind: KindNonIP}},
		{"sll llc snap ipv4", linkTypeLinuxSLL, Options{}, cat(sll(0x0004), []byte{
			0xaa, 0xaa, // DSAP, SSAP: SNAP
			0x03,             // control: UI
			0x00, 0x00, 0x00, // OUI: encapsulated Ethernet
			0x08, 0x00, // EtherType IPv4
		}, ip4TCP(addrA, addrB)), tcp4},
		{"sll can", linkTypeLinuxSLL, Options{}, cat(sll(0x000c), zeros(16)), Packet{Kind: KindNonIP}},
		{"sll cut short", linkTypeLinuxSLL, Options{}, sll(0x0800)[:15], Packet{Kind: KindMalformed}},
		{"sll2 ipv6", linkTypeLinuxSLL2, Options{}, cat(sll2(0x86dd), ip6UDP(addrA6, addrB6)), udp6},
		{"sll2 cut short", linkTypeLinuxSLL2, Options{}, sll2(0x86dd)[:19], Packet{Kind: KindMalformed}},
		{"null af 2 little endian", linkTypeNull, Options{}, cat([]byte{2, 0, 0, 0}, ip4TCP(addrA, addrB)), tcp4},
		{"null af 2 big endian", linkTypeNull, Options{}, cat([]byte{0, 0, 0, 2}, ip4TCP(addrA, addrB)), tcp4},
		{"null af 10 linux", linkTypeNull, Options{}, cat([]byte{10, 0, 0, 0}, ip6UDP(addrA6, addrB6)), udp6},
		{"null af 24 netbsd", linkTypeNull, Options{}, cat([]byte{0, 0, 0, 24}, ip6UDP(addrA6, addrB6)), udp6},
		{"null af 28 freebsd", linkTypeNull, Options{}, cat([]byte{28, 0, 0, 0}, ip6UDP(addrA6, addrB6)), udp6},
		{"null af 30 darwin", linkTypeNull, Options{}, cat([]byte{30, 0, 0, 0}, ip6UDP(addrA6, addrB6)), udp6},
		{"null af 7", linkTypeNull, Options{}, cat([]byte{7, 0, 0, 0}, zeros(20)), Packet{Kind: KindNonIP}},
		{"null cut short", linkTypeNull, Options{}, []byte{2, 0, 0}, Packet{Kind: KindMalformed}},
		{"loop af 2", linkTypeLoop, Options{}, cat([]byte{0, 0, 0, 2}, ip4TCP(addrA, addrB)), tcp4},
		{"loop host order is not loop", linkTypeLoop, Options{}, cat([]byte{2, 0, 0, 0}, ip4TCP(addrA, addrB)), Packet{Kind: KindNonIP}},
		{"unsupported 802.11", 105, Options{}, ip4TCP(addrA, addrB), Packet{Kind: KindUnsupportedLink}},
		{"vlan 802.1q", linkTypeEthernet, Options{}, cat(ethHeader(0x8100), vlanTag(42, 0x0800), ip4TCP(addrA, addrB)), vlan(onEther(tcp4), 42, 0)},
		{"qinq 88a8 8100", linkTypeEthernet, Options{}, cat(ethHeader(0x88a8), vlanTag(100, 0x8100), vlanTag(200, 0x0800), ip4TCP(addrA, addrB)), vlan(onEther(tcp4), 100, 200)},
		{"qinq 9100 9200 9300 three tags", linkTypeEthernet, Options{}, cat(ethHeader(0x9100), vlanTag(10, 0x9200), vlanTag(20, 0x9300), vlanTag(30, 0x86dd), ip6UDP(addrA6, addrB6)), vlan(onEther(udp6), 10, 20)},
		{"vlan priority bits ignored", linkTypeEthernet, Options{}, cat(ethHeader(0x8100), vlanTag(0xe000|42, 0x0800), ip4TCP(addrA, addrB)), vlan(onEther(tcp4), 42, 0)},
		{"vlan cut short", linkTypeEthernet, Options{}, cat(ethHeader(0x8100), []byte{0x00, 0x2a, 0x08}), malformedEther},
		{"vlan stack deeper than bound", linkTypeEthernet, Options{}, tenTags, vlan(malformedEther, 1, 2)},
		{"vntag then vlan", linkTypeEthernet, Options{}, cat(ethHeader(0x8926), []byte{
			0x80, 0x01, // direction, pointer, destination VIF
			0x00, 0x02, // looped, version, source VIF
			0x81, 0x00, // next EtherType 802.1Q
		}, vlanTag(11, 0x0800), ip4TCP(addrA, addrB)), vlan(onEther(tcp4), 11, 0)},
		{"vntag cut short", linkTypeEthernet, Options{}, cat(ethHeader(0x8926), zeros(5)), malformedEther},
		{"mpls ipv4", linkTypeEthernet, Options{}, cat(ethHeader(0x8847), mplsLabel(29, true), ip4TCP(addrA, addrB)), onEther(tcp4)},
		{"mpls multicast two labels ipv6", linkTypeEthernet, Options{}, cat(ethHeader(0x8848), mplsLabel(16, false), mplsLabel(17, true), ip6UDP(addrA6, addrB6)), onEther(udp6)},
		{"vlan mpls ipv4", linkTypeEthernet, Options{}, cat(ethHeader(0x8100), vlanTag(4093, 0x8847), mplsLabel(29, true), ip4TCP(addrA, addrB)), vlan(onEther(tcp4), 4093, 0)},
		{"mpls ethernet pseudowire", linkTypeEthernet, Options{}, cat(ethHeader(0x8847), mplsLabel(20, false), mplsLabel(21, true), []byte{
			0x00, 0x00, 0x00, 0x00, // pseudowire control word
		}, []byte{
			0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, // inner destination MAC (not recorded)
			0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, // inner source MAC (not recorded)
			0x81, 0x00, // inner EtherType 802.1Q
		}, vlanTag(1, 0x0800), ip4TCP(addrA, addrB)), vlan(onEther(tcp4), 1, 0)},
		{"mpls pseudowire cut short", linkTypeEthernet, Options{}, cat(ethHeader(0x8847), mplsLabel(20, true), zeros(17)), malformedEther},
		{"mpls unknown payload", linkTypeEthernet, Options{}, cat(ethHeader(0x8847), mplsLabel(20, true), []byte{0x50, 0, 0, 0}), nonIPEther},
		{"mpls no bottom within bound", linkTypeEthernet, Options{}, cat(ethHeader(0x8847), deepLabels, mplsLabel(17, true), ip4TCP(addrA, addrB)), malformedEther},
		{"mpls cut in label", linkTypeEthernet, Options{}, cat(ethHeader(0x8847), []byte{0x00, 0x01}), malformedEther},
		{"mpls nothing after bottom", linkTypeEthernet, Options{}, cat(ethHeader(0x8847), mplsLabel(20, true)), malformedEther},
		{"pppoe ipv4", linkTypeEthernet, Options{}, cat(ethHeader(0x8864), pppoe(0x0021, ip4TCP(addrA, addrB))), onEther(tcp4)},
		{"qinq pppoe ipv6 with padding", linkTypeEthernet, Options{}, cat(ethHeader(0x8100), vlanTag(2474, 0x8100), vlanTag(3704, 0x8864), pppoe(0x0057, ip6UDP(addrA6, addrB6)), zeros(6)), vlan(onEther(udp6), 2474, 3704)},
		{"pppoe lcp", linkTypeEthernet, Options{}, cat(ethHeader(0x8864), pppoe(0xc021, zeros(10))), nonIPEther},
		{"pppoe cut short", linkTypeEthernet, Options{}, cat(ethHeader(0x8864), []byte{0x11, 0x00, 0x12, 0x34, 0x00, 0x02, 0x00}), malformedEther},
		{"802.3 llc snap ipv4 with padding", linkTypeEthernet, Options{}, cat(ethHeader(48), []byte{
			0xaa, 0xaa, // DSAP, SSAP: SNAP
			0x03,             // control: UI
			0x00, 0x00, 0x00, // OUI
			0x08, 0x00, // EtherType IPv4
		}, ip4TCP(addrA, addrB), zeros(6)), onEther(tcp4)},
		{"802.3 stp", linkTypeEthernet, Options{}, cat(ethHeader(38), []byte{
			0x42, 0x42, // DSAP, SSAP: spanning tree
			0x03, // control: UI
		}, zeros(35)), nonIPEther},
		{"ethertype 1501 to 1535 invalid", linkTypeEthernet, Options{}, cat(ethHeader(1520), zeros(30)), nonIPEther},
	}
}

func TestDecodeLink(t *testing.T) { runCases(t, linkCases()) }
