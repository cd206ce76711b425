package testpkt

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/gopacket/gopacket/layers"
)

// bigUDP returns a UDP packet with an n-byte payload of a counting pattern.
func bigUDP(src, dst Endpoint, n int) []byte {
	p := make([]byte, n)
	for i := range p {
		p[i] = byte(i * 7)
	}
	return IPPacket(nil, Spec{Src: src, Dst: dst, Proto: ProtoUDP, IPID: 0x4242, Payload: p})
}

// withHopByHop inserts an 8-byte Hop-by-Hop header (PadN) after the IPv6
// header of p.
func withHopByHop(p []byte) []byte {
	out := append([]byte(nil), p[:ipv6HeaderLen]...)
	out = append(out,
		p[6],             // next header: the original one
		0,                // header extension length: 8 bytes
		1, 4, 0, 0, 0, 0, // PadN option, 4 bytes
	)
	out = append(out, p[ipv6HeaderLen:]...)
	out[6] = protoHopByHop
	binary.BigEndian.PutUint16(out[4:], uint16(len(out)-ipv6HeaderLen))
	return out
}

func TestFragment(t *testing.T) {
	tests := []struct {
		name string
		pkt  []byte
		mtu  int
		want int // number of fragments
	}{
		{"v4 3000 mtu 1500", bigUDP(Endpoint{v4A, 1}, Endpoint{v4B, 2}, 3000), 1500, 3},
		{"v4 fits", bigUDP(Endpoint{v4A, 1}, Endpoint{v4B, 2}, 100), 1500, 1},
		{"v4 tiny mtu", bigUDP(Endpoint{v4A, 1}, Endpoint{v4B, 2}, 100), 28, 14},
		{"v6 3000 mtu 1280", bigUDP(Endpoint{v6A, 1}, Endpoint{v6B, 2}, 3000), 1280, 3},
		{"v6 hop-by-hop", withHopByHop(bigUDP(Endpoint{v6A, 1}, Endpoint{v6B, 2}, 2000)), 1280, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			frags := Fragment(tt.pkt, tt.mtu, 0xabcdef01)
			if len(frags) != tt.want {
				t.Fatalf("%d fragments, want %d", len(frags), tt.want)
			}
			if tt.want == 1 {
				if !bytes.Equal(frags[0], tt.pkt) {
					t.Fatalf("unfragmented packet changed")
				}
				return
			}
			l, _ := parseLayout(tt.pkt)
			got := reassemble(t, frags, tt.mtu, l.v6)
			if !bytes.Equal(got, l.body) {
				t.Fatalf("reassembled %d bytes differ from the original %d", len(got), len(l.body))
			}
		})
	}
}

// reassemble decodes every fragment with gopacket, checks its header
// fields and returns the fragmentable part put back together by offset.
func reassemble(t *testing.T, frags [][]byte, mtu int, v6 bool) []byte {
	t.Helper()
	var out []byte
	for i, f := range frags {
		if len(f) > mtu {
			t.Errorf("fragment %d: %d bytes, over mtu %d", i, len(f), mtu)
		}
		first := layers.LayerTypeIPv4
		if v6 {
			first = layers.LayerTypeIPv6
		}
		p := decode(t, f, first)
		var off int
		var more bool
		var data []byte
		if v6 {
			fh, ok := p.Layer(layers.LayerTypeIPv6Fragment).(*layers.IPv6Fragment)
			if !ok {
				t.Fatalf("fragment %d: no fragment header", i)
			}
			if fh.Identification != 0xabcdef01 || fh.NextHeader != layers.IPProtocolUDP {
				t.Errorf("fragment %d: id %#x next header %v", i, fh.Identification, fh.NextHeader)
			}
			ip := p.Layer(layers.LayerTypeIPv6).(*layers.IPv6)
			if int(ip.Length) != len(f)-ipv6HeaderLen {
				t.Errorf("fragment %d: payload length %d, packet %d", i, ip.Length, len(f))
			}
			off, more, data = int(fh.FragmentOffset)*8, fh.MoreFragments, fh.Payload
		} else {
			ip := p.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
			if ip.Id != 0x4242 || int(ip.Length) != len(f) {
				t.Errorf("fragment %d: id %#x length %d, packet %d", i, ip.Id, ip.Length, len(f))
			}
			off, more, data = int(ip.FragOffset)*8, ip.Flags&layers.IPv4MoreFragments != 0, ip.Payload
		}
		if more != (i < len(frags)-1) {
			t.Errorf("fragment %d of %d: more fragments %v", i, len(frags), more)
		}
		// gopacket does not decode transport headers in fragments: read
		// the UDP ports (1 -> 2) by hand.
		if i == 0 && (len(data) < udpHeaderLen || binary.BigEndian.Uint32(data) != 1<<16|2) {
			t.Errorf("first fragment lacks the UDP header")
		}
		if off != len(out) {
			t.Fatalf("fragment %d at offset %d, want %d", i, off, len(out))
		}
		out = append(out, data...)
	}
	return out
}

func TestAppendFragmentRejects(t *testing.T) {
	v4 := bigUDP(Endpoint{v4A, 1}, Endpoint{v4B, 2}, 100)
	v6 := bigUDP(Endpoint{v6A, 1}, Endpoint{v6B, 2}, 100)
	v6frag := AppendFragment(nil, v6, 1, 0, 16)
	tests := []struct {
		name   string
		pkt    []byte
		off, n int
	}{
		{"empty", nil, 0, 8},
		{"not ip", []byte("this is not an ip packet at all"), 0, 8},
		{"offset not multiple of 8", v4, 4, 8},
		{"short non-last piece", v4, 0, 12},
		{"past the end", v4, 104, 8},
		{"zero length", v4, 0, 0},
		{"v4 total length over buffer", v4[:50], 0, 8},
		{"v6 already a fragment", v6frag, 0, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := []byte{1, 2, 3}
			if got := AppendFragment(dst, tt.pkt, 1, tt.off, tt.n); !bytes.Equal(got, dst) {
				t.Errorf("got % x, want dst unchanged", got)
			}
		})
	}
	if Fragment(v4, 27, 1) != nil {
		t.Errorf("Fragment with no room for 8 bytes returned fragments")
	}
}

// TestFragmentRefragment splits a non-last IPv4 fragment again: the pieces
// must keep MF set and their offsets relative to the original datagram.
func TestFragmentRefragment(t *testing.T) {
	pkt := bigUDP(Endpoint{v4A, 1}, Endpoint{v4B, 2}, 3000)
	first := Fragment(pkt, 1500, 0)[1] // offset 1480, MF set
	parts := Fragment(first, 600, 0)
	if len(parts) != 3 {
		t.Fatalf("%d parts, want 3", len(parts))
	}
	for i, p := range parts {
		ip := decode(t, p, layers.LayerTypeIPv4).Layer(layers.LayerTypeIPv4).(*layers.IPv4)
		if wantOff := 1480 + i*576; int(ip.FragOffset)*8 != wantOff || ip.Flags&layers.IPv4MoreFragments == 0 {
			t.Errorf("part %d: offset %d MF %v, want %d MF", i, ip.FragOffset*8, ip.Flags, wantOff)
		}
	}
}
