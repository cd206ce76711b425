package hashing

import (
	"encoding/binary"
	"math/rand/v2"
	"net/netip"
	"testing"

	"github.com/cespare/xxhash/v2"
)

// TestHashEqualsKeyHash: the fast path gives exactly Key(t).Hash() for
// random tuples in every mode, family, prefix and VLAN setting, including
// equal addresses (ports decide the order).
func TestHashEqualsKeyHash(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	local := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.168.7.128/25"),
		netip.MustParsePrefix("2001:db8::/32"), netip.MustParsePrefix("fd00::1:0/112")}
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
		switch i % 11 {
		case 1:
			copy(tu.Src[:], []byte{192, 168, 7, 200})
		case 2:
			copy(tu.Dst[:], []byte{0x20, 0x01, 0x0d, 0xb8})
		case 3:
			copy(tu.Src[:], []byte{0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1})
		}
		compile := i%6 < 3 // the hot path's form of LocalNets; else the fallback
		if i%13 == 0 {
			c.Side = SideRemote
		}
		k := c.Key(&tu) // the reference: netip prefixes, not compiled
		if compile {
			c.Compile()
		}
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

// TestXXHWords: the word-wise XXH64 of both key layouts equals
// xxhash.Sum64 of the same bytes.
func TestXXHWords(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	be := binary.BigEndian
	for range 100000 {
		w := [5]uint64{r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64()}
		var k4 [keyLen4]byte
		be.PutUint64(k4[0:], w[0])
		be.PutUint64(k4[8:], w[1])
		if got, want := xxh16(w[0], w[1]), xxhash.Sum64(k4[:]); got != want {
			t.Fatalf("xxh16(%x) = %x, want %x", w[0:2], got, want)
		}
		var k6 [keyLen]byte
		for i, x := range w {
			be.PutUint64(k6[8*i:], x)
		}
		if got, want := xxh40(w[0], w[1], w[2], w[3], w[4]), xxhash.Sum64(k6[:]); got != want {
			t.Fatalf("xxh40(%x) = %x, want %x", w, got, want)
		}
	}
}
