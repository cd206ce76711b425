package testpkt

import (
	"bytes"
	"net/netip"
	"testing"

	"github.com/gopacket/gopacket/layers"
)

func TestICMPError(t *testing.T) {
	small4 := IPPacket(nil, Spec{Src: Endpoint{v4A, 5000}, Dst: Endpoint{v4B, 53}, Proto: ProtoUDP, Payload: []byte("query")})
	big4 := bigUDP(Endpoint{v4A, 5000}, Endpoint{v4B, 9}, 1400)
	big6 := bigUDP(Endpoint{v6A, 5000}, Endpoint{v6B, 9}, 1400)
	router4 := netip.MustParseAddr("198.51.100.1")
	router6 := netip.MustParseAddr("2001:db8:ffff::1")
	tests := []struct {
		name      string
		orig      []byte
		reporter  netip.Addr
		typ, code uint8
		quoted    int    // bytes of orig quoted
		rest      uint32 // the 4 bytes after the checksum
	}{
		{"v4 port unreachable", small4, v4B, 3, 3, len(small4), 0},
		{"v4 ttl exceeded truncated to 576", big4, router4, 11, 0, 576 - 28, 0},
		{"v4 frag needed", big4, router4, 3, 4, 576 - 28, errorMTU},
		{"v6 port unreachable truncated to 1280", big6, v6B, 1, 4, 1280 - 48, 0},
		{"v6 packet too big", big6, router6, 2, 0, 1280 - 48, errorMTU},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := ICMPError(nil, tt.orig, tt.reporter, tt.typ, tt.code)
			var quote []byte
			var rest uint32
			if tt.reporter.Is4() {
				p := decode(t, b, layers.LayerTypeIPv4)
				ip := p.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
				if ip.SrcIP.String() != tt.reporter.String() || ip.DstIP.String() != v4A.String() || int(ip.Length) != len(b) {
					t.Errorf("ip %v -> %v length %d", ip.SrcIP, ip.DstIP, ip.Length)
				}
				if len(b) > icmpv4MaxError {
					t.Errorf("error is %d bytes, over 576", len(b))
				}
				icmp := p.Layer(layers.LayerTypeICMPv4).(*layers.ICMPv4)
				if icmp.TypeCode != layers.CreateICMPv4TypeCode(tt.typ, tt.code) {
					t.Errorf("type/code %v", icmp.TypeCode)
				}
				quote, rest = b[ipv4HeaderLen+icmpHeaderLen:], uint32(icmp.Id)<<16|uint32(icmp.Seq)
			} else {
				p := decode(t, b, layers.LayerTypeIPv6)
				ip := p.Layer(layers.LayerTypeIPv6).(*layers.IPv6)
				if ip.SrcIP.String() != tt.reporter.String() || ip.DstIP.String() != v6A.String() {
					t.Errorf("ip %v -> %v", ip.SrcIP, ip.DstIP)
				}
				if len(b) > icmpv6MaxError {
					t.Errorf("error is %d bytes, over 1280", len(b))
				}
				icmp := p.Layer(layers.LayerTypeICMPv6).(*layers.ICMPv6)
				if icmp.TypeCode != layers.CreateICMPv6TypeCode(tt.typ, tt.code) {
					t.Errorf("type/code %v", icmp.TypeCode)
				}
				quote = b[ipv6HeaderLen+icmpHeaderLen:]
				rest = uint32(b[44])<<24 | uint32(b[45])<<16 | uint32(b[46])<<8 | uint32(b[47])
			}
			if len(quote) != tt.quoted || !bytes.Equal(quote, tt.orig[:tt.quoted]) {
				t.Errorf("quoted %d bytes, want the first %d of orig", len(quote), tt.quoted)
			}
			if rest != tt.rest {
				t.Errorf("bytes 4-7 %#x, want %#x", rest, tt.rest)
			}
		})
	}
}

func TestICMPErrorRejects(t *testing.T) {
	v4 := IPPacket(nil, Spec{Src: Endpoint{v4A, 1}, Dst: Endpoint{v4B, 2}, Proto: ProtoUDP})
	v6 := IPPacket(nil, Spec{Src: Endpoint{v6A, 1}, Dst: Endpoint{v6B, 2}, Proto: ProtoUDP})
	for name, tc := range map[string]struct {
		orig     []byte
		reporter netip.Addr
	}{
		"v6 reporter, v4 packet": {v4, v6B},
		"v4 reporter, v6 packet": {v6, v4B},
		"short":                  {v4[:19], v4B},
		"no reporter":            {v4, netip.Addr{}},
	} {
		if got := ICMPError([]byte{9}, tc.orig, tc.reporter, 3, 3); !bytes.Equal(got, []byte{9}) {
			t.Errorf("%s: got % x, want dst unchanged", name, got)
		}
	}
}
