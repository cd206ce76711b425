package hashing

import (
	"math/rand/v2"
	"net/netip"
	"testing"
)

// TestHashEqualsKeyHash: the fast path gives exactly Key(t).Hash() for
// random tuples in every mode, family, prefix and VLAN setting, including
// equal addresses (ports decide the order).
func TestHashEqualsKeyHash(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	local := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	modes := append(append([]Mode{}, Modes...), ModeHost)
	for i := range 20000 {
		var tu Tuple
		tu.IPv6 = i%3 == 0
		n := 4
		if tu.IPv6 {
			n = 16
		}
		for j := range n {
			tu.Src[j], tu.Dst[j] = byte(r.UintN(256)), byte(r.UintN(256))
		}
		if i%7 == 0 {
			tu.Dst = tu.Src
		}
		if i%5 == 0 {
			tu.Src[0] = 10
		}
		tu.SrcPort, tu.DstPort = uint16(r.UintN(65536)), uint16(r.UintN(65536))
		tu.Proto, tu.VLAN, tu.InnerVLAN = uint8(r.UintN(256)), uint16(r.UintN(4096)), uint16(r.UintN(4096))
		c := Config{Mode: modes[i%len(modes)], VLAN: i%2 == 0, LocalNets: local}
		if i%4 == 0 {
			c.Prefix4, c.Prefix6 = int(r.UintN(33)), int(r.UintN(129))
		}
		k := c.Key(&tu)
		if got, want := c.Hash(&tu), k.Hash(); got != want {
			t.Fatalf("%+v %+v: Hash %#x, Key().Hash() %#x", c, tu, got, want)
		}
	}
}

func BenchmarkHash(b *testing.B) {
	c := Config{Mode: Mode5Tuple}
	tu := tuple("10.0.0.1", 1234, "10.0.0.2", 80, 6)
	b.ReportAllocs()
	var s uint64
	for b.Loop() {
		s += c.Hash(&tu)
	}
	_ = s
}
