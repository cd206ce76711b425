package testpkt

import (
	"bytes"
	"net/netip"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

var (
	macA = [6]byte{0x02, 0, 0, 0, 0, 0x0a}
	macB = [6]byte{0x02, 0, 0, 0, 0, 0x0b}
	v4A  = netip.MustParseAddr("10.0.0.1")
	v4B  = netip.MustParseAddr("192.0.2.7")
	v6A  = netip.MustParseAddr("2001:db8::1")
	v6B  = netip.MustParseAddr("2001:db8:ff::2")
)

// TestIPPacketFixture pins the exact bytes of one small packet, with the
// checksums worked out by hand.
func TestIPPacketFixture(t *testing.T) {
	got := IPPacket(nil, Spec{
		Src: Endpoint{netip.MustParseAddr("10.0.0.1"), 1234}, Dst: Endpoint{netip.MustParseAddr("10.0.0.2"), 53},
		Proto: ProtoUDP, IPID: 1, Payload: []byte("hi"),
	})
	want := []byte{
		0x45, 0x00, // version 4, IHL 5, TOS 0
		0x00, 0x1e, // total length 30
		0x00, 0x01, // identification 1
		0x00, 0x00, // flags, fragment offset
		0x40, 0x11, // TTL 64 (default), protocol UDP
		0x66, 0xcc, // header checksum
		10, 0, 0, 1, // source
		10, 0, 0, 2, // destination
		0x04, 0xd2, // source port 1234
		0x00, 0x35, // destination port 53
		0x00, 0x0a, // UDP length 10
		0x7e, 0x67, // UDP checksum over the pseudo-header
		'h', 'i', // payload
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("got  % x\nwant % x", got, want)
	}
}

func TestFrame(t *testing.T) {
	payload := bytes.Repeat([]byte("0123456789abcdef"), 40)
	tests := []struct {
		name string
		s    Spec
	}{
		{"v4 tcp untagged", Spec{SrcMAC: macA, DstMAC: macB, Src: Endpoint{v4A, 40000}, Dst: Endpoint{v4B, 443}, Proto: ProtoTCP, TCPFlags: TCPPsh | TCPAck, Seq: 1000, Ack: 2000, IPID: 7, TTL: 3, Payload: payload}},
		{"v4 tcp syn padded", Spec{Src: Endpoint{v4A, 40000}, Dst: Endpoint{v4B, 443}, Proto: ProtoTCP, TCPFlags: TCPSyn, Seq: 1}},
		{"v4 udp vlan", Spec{VLANs: []uint16{100}, Src: Endpoint{v4A, 5353}, Dst: Endpoint{v4B, 4000}, Proto: ProtoUDP, Payload: payload[:33]}},
		{"v6 udp qinq", Spec{SrcMAC: macB, DstMAC: macA, VLANs: []uint16{200, 0x2000 | 300}, QinQ: true, Src: Endpoint{v6A, 5353}, Dst: Endpoint{v6B, 4000}, Proto: ProtoUDP, Payload: payload[:101]}},
		{"v6 tcp odd payload", Spec{Src: Endpoint{v6A, 1}, Dst: Endpoint{v6B, 2}, Proto: ProtoTCP, TCPFlags: TCPAck, Payload: payload[:3]}},
		{"v4 sctp", Spec{Src: Endpoint{v4A, 2905}, Dst: Endpoint{v4B, 2905}, Proto: ProtoSCTP, Seq: 9, Ack: 0xdeadbeef, Payload: payload[:13]}},
		{"v6 sctp", Spec{Src: Endpoint{v6A, 2905}, Dst: Endpoint{v6B, 2905}, Proto: ProtoSCTP, Seq: 9, Ack: 1, Payload: payload[:16]}},
		{"v4 icmp echo", Spec{Src: Endpoint{v4A, 77}, Dst: Endpoint{v4B, 0}, Proto: ProtoICMP, ICMPType: 8, Seq: 5, Payload: payload[:56]}},
		{"v6 icmp echo reply", Spec{Src: Endpoint{v6A, 77}, Dst: Endpoint{v6B, 0}, Proto: ProtoICMPv6, ICMPType: 129, Seq: 5, Payload: payload[:57]}},
		{"v4 other proto carries payload verbatim", Spec{Src: Endpoint{v4A, 0}, Dst: Endpoint{v4B, 0}, Proto: ProtoIPIP,
			Payload: IPPacket(nil, Spec{Src: Endpoint{v4B, 1}, Dst: Endpoint{v4A, 2}, Proto: ProtoUDP, Payload: payload[:10]})}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prefix := []byte("keep")
			b := Frame(append([]byte(nil), prefix...), tt.s)
			if !bytes.Equal(b[:4], prefix) {
				t.Fatalf("Frame overwrote dst's existing bytes")
			}
			b = b[4:]
			if len(b) < etherMinLen {
				t.Fatalf("frame length %d, want >= %d", len(b), etherMinLen)
			}
			p := decode(t, b, layers.LayerTypeEthernet)
			eth := p.Layer(layers.LayerTypeEthernet).(*layers.Ethernet)
			if [6]byte(eth.SrcMAC) != tt.s.SrcMAC || [6]byte(eth.DstMAC) != tt.s.DstMAC {
				t.Errorf("MACs %v %v", eth.SrcMAC, eth.DstMAC)
			}
			checkVLANs(t, b, tt.s.VLANs, tt.s.QinQ)
			hl := etherHeaderSize(len(tt.s.VLANs))
			ip := IPPacket(nil, tt.s)
			if !bytes.Equal(b[hl:hl+len(ip)], ip) {
				t.Fatalf("Frame's IP packet differs from IPPacket's")
			}
			if rest := b[hl+len(ip):]; len(rest) > 0 && (len(b) != etherMinLen || !bytes.Equal(rest, make([]byte, len(rest)))) {
				t.Errorf("trailing bytes % x after IP packet in %d-byte frame", rest, len(b))
			}
			checkIP(t, p, tt.s, len(ip))
			checkTransport(t, p, tt.s)
		})
	}
}

// checkVLANs compares the tag stack in frame b with want.
func checkVLANs(t *testing.T, b []byte, want []uint16, qinq bool) {
	t.Helper()
	for i, tci := range want {
		tpid := uint16(b[12+4*i])<<8 | uint16(b[13+4*i])
		wantTPID := uint16(EtherTypeVLAN)
		if i == 0 && qinq {
			wantTPID = EtherTypeQinQ
		}
		got := uint16(b[14+4*i])<<8 | uint16(b[15+4*i])
		if tpid != wantTPID || got != tci {
			t.Errorf("tag %d: tpid %#04x tci %#04x, want %#04x %#04x", i, tpid, got, wantTPID, tci)
		}
	}
}

// checkIP compares the decoded IP header with s; n is the packet length.
func checkIP(t *testing.T, p gopacket.Packet, s Spec, n int) {
	t.Helper()
	ttl := s.TTL
	if ttl == 0 {
		ttl = defaultTTL
	}
	if s.Src.Addr.Is6() {
		ip, ok := p.Layer(layers.LayerTypeIPv6).(*layers.IPv6)
		if !ok {
			t.Fatalf("no IPv6 layer")
		}
		if ip.SrcIP.String() != s.Src.Addr.String() || ip.DstIP.String() != s.Dst.Addr.String() {
			t.Errorf("addresses %v -> %v", ip.SrcIP, ip.DstIP)
		}
		if int(ip.Length) != n-ipv6HeaderLen || ip.HopLimit != ttl || uint8(ip.NextHeader) != s.Proto {
			t.Errorf("payload length %d hop limit %d next header %d, want %d %d %d", ip.Length, ip.HopLimit, ip.NextHeader, n-ipv6HeaderLen, ttl, s.Proto)
		}
		return
	}
	ip, ok := p.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
	if !ok {
		t.Fatalf("no IPv4 layer")
	}
	if ip.SrcIP.String() != s.Src.Addr.String() || ip.DstIP.String() != s.Dst.Addr.String() {
		t.Errorf("addresses %v -> %v", ip.SrcIP, ip.DstIP)
	}
	if int(ip.Length) != n || ip.TTL != ttl || uint8(ip.Protocol) != s.Proto || ip.Id != s.IPID || ip.Flags != 0 || ip.FragOffset != 0 {
		t.Errorf("length %d ttl %d proto %d id %d flags %v offset %d", ip.Length, ip.TTL, ip.Protocol, ip.Id, ip.Flags, ip.FragOffset)
	}
}

// checkTransport compares the decoded transport header and payload with s.
func checkTransport(t *testing.T, p gopacket.Packet, s Spec) {
	t.Helper()
	var payload []byte
	switch s.Proto {
	case ProtoTCP:
		tcp := p.Layer(layers.LayerTypeTCP).(*layers.TCP)
		if uint16(tcp.SrcPort) != s.Src.Port || uint16(tcp.DstPort) != s.Dst.Port || tcp.Seq != s.Seq || tcp.Ack != s.Ack {
			t.Errorf("tcp %d -> %d seq %d ack %d", tcp.SrcPort, tcp.DstPort, tcp.Seq, tcp.Ack)
		}
		if tcp.Contents[13] != s.TCPFlags || tcp.DataOffset != 5 {
			t.Errorf("tcp flags %#02x data offset %d", tcp.Contents[13], tcp.DataOffset)
		}
		payload = tcp.Payload
	case ProtoUDP:
		udp := p.Layer(layers.LayerTypeUDP).(*layers.UDP)
		if uint16(udp.SrcPort) != s.Src.Port || uint16(udp.DstPort) != s.Dst.Port || int(udp.Length) != udpHeaderLen+len(s.Payload) {
			t.Errorf("udp %d -> %d length %d", udp.SrcPort, udp.DstPort, udp.Length)
		}
		payload = udp.Payload
	case ProtoSCTP:
		sctp := p.Layer(layers.LayerTypeSCTP).(*layers.SCTP)
		if uint16(sctp.SrcPort) != s.Src.Port || uint16(sctp.DstPort) != s.Dst.Port || sctp.VerificationTag != s.Ack {
			t.Errorf("sctp %d -> %d vtag %#x", sctp.SrcPort, sctp.DstPort, sctp.VerificationTag)
		}
		data, ok := p.Layer(layers.LayerTypeSCTPData).(*layers.SCTPData)
		if !ok {
			t.Fatalf("no SCTP DATA chunk")
		}
		if data.TSN != s.Seq || !data.BeginFragment || !data.EndFragment {
			t.Errorf("sctp data tsn %d B %v E %v", data.TSN, data.BeginFragment, data.EndFragment)
		}
		payload = data.Payload
	case ProtoICMP:
		icmp := p.Layer(layers.LayerTypeICMPv4).(*layers.ICMPv4)
		if icmp.TypeCode.Type() != s.ICMPType || icmp.Id != s.Src.Port || icmp.Seq != uint16(s.Seq) {
			t.Errorf("icmp %v id %d seq %d", icmp.TypeCode, icmp.Id, icmp.Seq)
		}
		payload = icmp.Payload
	case ProtoICMPv6:
		icmp := p.Layer(layers.LayerTypeICMPv6).(*layers.ICMPv6)
		if icmp.TypeCode.Type() != s.ICMPType {
			t.Errorf("icmpv6 %v", icmp.TypeCode)
		}
		payload = p.Layer(layers.LayerTypeICMPv6Echo).(*layers.ICMPv6Echo).Payload
	default:
		payload = p.NetworkLayer().LayerPayload()
	}
	if !bytes.Equal(payload, s.Payload) {
		t.Errorf("payload: got %d bytes % x..., want %d bytes", len(payload), payload[:min(8, len(payload))], len(s.Payload))
	}
}

func TestFrameIPMatchesFrame(t *testing.T) {
	for _, s := range []Spec{
		{SrcMAC: macA, DstMAC: macB, VLANs: []uint16{5, 6}, QinQ: true, Src: Endpoint{v6A, 1}, Dst: Endpoint{v6B, 2}, Proto: ProtoUDP, Payload: []byte("x")},
		{SrcMAC: macB, DstMAC: macA, VLANs: []uint16{7}, Src: Endpoint{v4A, 1}, Dst: Endpoint{v4B, 2}, Proto: ProtoTCP},
	} {
		want := Frame(nil, s)
		if got := FrameIP(nil, s, IPPacket(nil, s)); !bytes.Equal(got, want) {
			t.Errorf("FrameIP\n got % x\nwant % x", got, want)
		}
	}
	eth := Ether(nil, macA, macB, []uint16{9}, 0x88cc, []byte("lldp"))
	want := []byte{
		0x02, 0, 0, 0, 0, 0x0b, // destination
		0x02, 0, 0, 0, 0, 0x0a, // source
		0x81, 0x00, 0x00, 0x09, // 802.1Q, VLAN 9
		0x88, 0xcc, // EtherType LLDP
		'l', 'l', 'd', 'p',
	}
	want = append(want, make([]byte, etherMinLen-len(want))...) // padding
	if !bytes.Equal(eth, want) {
		t.Errorf("Ether\n got % x\nwant % x", eth, want)
	}
}
