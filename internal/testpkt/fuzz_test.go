package testpkt

import (
	"bytes"
	"net/netip"
	"testing"
)

// FuzzFragment checks that Fragment and AppendFragment never panic, that
// each fragment fits the MTU, and that the fragments of an accepted packet
// put back together give its fragmentable part.
func FuzzFragment(f *testing.F) {
	f.Add(bigUDP(Endpoint{v4A, 1}, Endpoint{v4B, 2}, 300), 100)
	f.Add(bigUDP(Endpoint{v6A, 1}, Endpoint{v6B, 2}, 300), 100)
	f.Add(withHopByHop(bigUDP(Endpoint{v6A, 1}, Endpoint{v6B, 2}, 300)), 120)
	f.Add([]byte{0x4f, 0, 0, 0}, 8)
	f.Fuzz(func(t *testing.T, pkt []byte, mtu int) {
		mtu %= 4096
		frags := Fragment(pkt, mtu, 7)
		l, ok := parseLayout(pkt)
		if !ok || len(frags) <= 1 {
			return
		}
		var body []byte
		for _, fr := range frags {
			if len(fr) > mtu {
				t.Fatalf("fragment of %d bytes over mtu %d", len(fr), mtu)
			}
			fl, ok := parseLayout(fr)
			if !ok && !l.v6 {
				t.Fatalf("fragment does not parse")
			}
			if l.v6 {
				body = append(body, fr[l.hl+ipv6FragHeaderLen:]...)
			} else {
				body = append(body, fl.body...)
			}
		}
		if !bytes.Equal(body, l.body) {
			t.Fatalf("fragments do not add up to the original")
		}
	})
}

// FuzzICMPError checks that ICMPError never panics and always quotes a
// prefix of its input.
func FuzzICMPError(f *testing.F) {
	f.Add(bigUDP(Endpoint{v4A, 1}, Endpoint{v4B, 2}, 30), true)
	f.Add(bigUDP(Endpoint{v6A, 1}, Endpoint{v6B, 2}, 30), false)
	f.Fuzz(func(t *testing.T, orig []byte, v4 bool) {
		r := netip.MustParseAddr("2001:db8::9")
		if v4 {
			r = netip.MustParseAddr("192.0.2.9")
		}
		b := ICMPError(nil, orig, r, 3, 0)
		if len(b) == 0 {
			return
		}
		hl := ipv6HeaderLen + icmpHeaderLen
		if v4 {
			hl = ipv4HeaderLen + icmpHeaderLen
		}
		if len(b) < hl || !bytes.HasPrefix(orig, b[hl:]) {
			t.Fatalf("quote is not a prefix of the original packet")
		}
	})
}
