package hashing

import (
	"github.com/cespare/xxhash/v2"
	"math/rand/v2"
	"net/netip"
	"testing"
)

func addr(s string) (a [16]byte, v6 bool) {
	ip := netip.MustParseAddr(s)
	if ip.Is4() {
		b := ip.As4()
		copy(a[:], b[:])
		return a, false
	}
	return ip.As16(), true
}

func tuple(src string, sport uint16, dst string, dport uint16, proto uint8) Tuple {
	s, v6 := addr(src)
	d, _ := addr(dst)
	return Tuple{Src: s, Dst: d, SrcPort: sport, DstPort: dport, Proto: proto, IPv6: v6}
}

func reverse(t Tuple) Tuple {
	t.Src, t.Dst = t.Dst, t.Src
	t.SrcPort, t.DstPort = t.DstPort, t.SrcPort
	return t
}

func TestKeySymmetric(t *testing.T) {
	tuples := []Tuple{
		tuple("10.0.0.1", 1234, "10.0.0.2", 80, 6),
		tuple("10.0.0.2", 80, "10.0.0.1", 1234, 6),
		tuple("192.168.1.1", 53, "192.168.1.1", 5353, 17), // same address, ports decide
		tuple("2001:db8::1", 443, "2001:db8::2", 50000, 6),
		tuple("8.8.8.8", 0, "1.1.1.1", 0, 1),
	}
	for _, m := range Modes {
		for _, vlan := range []bool{false, true} {
			c := Config{Mode: m, VLAN: vlan, Prefix4: 24, Prefix6: 64}
			for _, tu := range tuples {
				tu.VLAN, tu.InnerVLAN = 10, 20
				k1, k2 := c.Key(&tu), c.Key(ptr(reverse(tu)))
				if k1 != k2 {
					t.Errorf("%v vlan=%v: key(%v) != key(reverse): %+v vs %+v", m, vlan, tu, k1, k2)
				}
				if k1.Hash() != k2.Hash() {
					t.Errorf("%v: hash not symmetric", m)
				}
			}
		}
	}
}

func ptr[T any](v T) *T { return &v }

func TestKeyFields(t *testing.T) {
	base := tuple("10.1.2.3", 1000, "10.9.8.7", 80, 6)
	other := map[string]Tuple{}
	o := base
	o.SrcPort = 1001
	other["port"] = o
	o = base
	o.Proto = 17
	other["proto"] = o
	o = base
	o.VLAN = 7
	other["vlan"] = o
	o = base
	o.Src[3] = 99 // same /24
	other["host in /24"] = o

	// differs[mode][field] says whether the key must change.
	differs := map[Mode]map[string]bool{
		Mode2Tuple: {"port": false, "proto": false, "vlan": false},
		Mode3Tuple: {"port": false, "proto": true, "vlan": false},
		Mode4Tuple: {"port": true, "proto": false, "vlan": false},
		Mode5Tuple: {"port": true, "proto": true, "vlan": false},
	}
	for m, fields := range differs {
		c := Config{Mode: m}
		for f, want := range fields {
			ot := other[f]
			got := c.Key(&base) != c.Key(&ot)
			if got != want {
				t.Errorf("%v: changing %s changes key = %v, want %v", m, f, got, want)
			}
		}
	}
	ov := other["vlan"]
	c := Config{Mode: Mode5Tuple, VLAN: true}
	if c.Key(&base) == c.Key(&ov) {
		t.Error("--vlan: VLAN ID not in the key")
	}
	oh := other["host in /24"]
	c = Config{Mode: Mode2Tuple}
	if c.Key(&base) == c.Key(&oh) {
		t.Error("no prefix: different hosts share a key")
	}
	c = Config{Mode: Mode2Tuple, Prefix4: 24}
	if c.Key(&base) != c.Key(&oh) {
		t.Error("prefix4 24: hosts in one /24 have different keys")
	}
	c = Config{Mode: Mode2Tuple, Prefix4: 25}
	oh.Src[3] = 200 // other /25
	if c.Key(&base) == c.Key(&oh) {
		t.Error("prefix4 25: hosts in different /25 share a key")
	}
}

func TestMaskAddr(t *testing.T) {
	cases := []struct {
		in   string
		bits int
		want string
	}{
		{"10.1.2.3", 24, "10.1.2.0"},
		{"10.1.2.255", 25, "10.1.2.128"},
		{"10.255.2.3", 9, "10.128.0.0"},
		{"2001:db8:1:2:3:4:5:6", 64, "2001:db8:1:2::"},
		{"2001:db8:1:2:3:4:5:6", 33, "2001:db8::"},
	}
	for _, c := range cases {
		a, _ := addr(c.in)
		maskAddr(&a, c.bits)
		w, _ := addr(c.want)
		if a != w {
			t.Errorf("mask(%s, %d) = %v, want %s", c.in, c.bits, a, c.want)
		}
	}
}

// TestBalance: over 10,000 random flows no output gets more than 1.10x the
// mean number of flows with 8 outputs, in every mode.
func TestBalance(t *testing.T) {
	const flows, n = 10000, 8
	r := rand.New(rand.NewPCG(1, 2))
	for _, m := range Modes {
		c := Config{Mode: m}
		counts := make([]int, n)
		for range flows {
			var tu Tuple
			for i := 0; i < 4; i++ {
				tu.Src[i], tu.Dst[i] = byte(r.UintN(256)), byte(r.UintN(256))
			}
			tu.SrcPort, tu.DstPort, tu.Proto = uint16(r.UintN(65536)), uint16(r.UintN(65536)), 6
			k := c.Key(&tu)
			counts[Bucket(k.Hash(), n)]++
		}
		mean := float64(flows) / n
		for i, got := range counts {
			if float64(got) > 1.10*mean {
				t.Errorf("%v: output %d has %d flows, > 1.10 x mean %.0f (all: %v)", m, i, got, mean, counts)
			}
		}
	}
}

func TestBucketRange(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7, 1024} {
		for _, h := range []uint64{0, 1, 1 << 63, ^uint64(0)} {
			if b := Bucket(h, n); b < 0 || b >= n {
				t.Errorf("Bucket(%#x, %d) = %d", h, n, b)
			}
		}
	}
}

// TestStable pins hash values so that a change to the key packing, which
// would move flows between workers across versions, is noticed.
func TestStable(t *testing.T) {
	c := Config{Mode: Mode5Tuple, VLAN: true}
	tu := tuple("10.0.0.1", 1234, "10.0.0.2", 80, 6)
	tu.VLAN, tu.InnerVLAN = 100, 200
	k := c.Key(&tu)
	const want = uint64(0x558ceb29ac7d6292)
	if got := k.Hash(); got != want {
		t.Errorf("hash of 10.0.0.1:1234 <-> 10.0.0.2:80/tcp, VLANs 100, 200 = %#x, want %#x", got, want)
	}
	if got := c.Hash(&tu); got != want {
		t.Errorf("fast path: %#x, want %#x", got, want)
	}
	// The documented packing of an IPv4 key, written out by hand: A, B
	// (4 bytes each), ports big-endian, proto, the two 12-bit VLAN IDs.
	packed := []byte{
		10, 0, 0, 1, // A = 10.0.0.1
		10, 0, 0, 2, // B = 10.0.0.2
		0x04, 0xd2, // port A 1234
		0x00, 0x50, // port B 80
		6,                // TCP
		0x06, 0x40, 0xc8, // VLANs 100 (0x064) and 200 (0x0c8)
	}
	if got := xxhash.Sum64(packed); got != want {
		t.Errorf("xxhash of the documented packing = %#x, want %#x", got, want)
	}
}

func TestNoAllocs(t *testing.T) {
	c := Config{Mode: Mode5Tuple, VLAN: true, Prefix4: 24, Prefix6: 64}
	tu := tuple("2001:db8::1", 443, "2001:db8::2", 50000, 6)
	var sink int
	n := testing.AllocsPerRun(1000, func() {
		k := c.Key(&tu)
		sink += Bucket(k.Hash(), 8)
		sink += int(MACPairHash([6]byte{1}, [6]byte{2}) & 1)
	})
	if n != 0 {
		t.Errorf("Key+Hash+Bucket allocates %v times per run", n)
	}
	_ = sink
}

func TestParseMode(t *testing.T) {
	for _, m := range Modes {
		got, err := ParseMode(m.String())
		if err != nil || got != m {
			t.Errorf("ParseMode(%q) = %v, %v", m.String(), got, err)
		}
	}
	if _, err := ParseMode("6tuple"); err == nil {
		t.Error("ParseMode(6tuple) succeeded")
	}
}

func BenchmarkKeyHash(b *testing.B) {
	c := Config{Mode: Mode5Tuple}
	tu := tuple("10.0.0.1", 1234, "10.0.0.2", 80, 6)
	b.ReportAllocs()
	var s int
	for b.Loop() {
		k := c.Key(&tu)
		s += Bucket(k.Hash(), 8)
	}
	_ = s
}
