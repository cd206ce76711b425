package hashing

import (
	"net/netip"
	"testing"
)

func TestHostKey(t *testing.T) {
	nets, err := ParseLocalNets([]string{"10.0.0.0/8", "2001:db8::/32", "192.0.2.7", ""})
	if err != nil {
		t.Fatal(err)
	}
	local := Config{Mode: ModeHost, LocalNets: nets}
	remote := Config{Mode: ModeHost, LocalNets: nets, Side: SideRemote}
	hostKey := func(a string) Key {
		ad, v6 := addr(a)
		k := Key{A: ad, Family: 4}
		if v6 {
			k.Family = 6
		}
		return k
	}
	pair := func(a, b string) Key {
		tu := tuple(a, 0, b, 0, 0)
		c := Config{Mode: Mode2Tuple}
		return c.Key(&tu)
	}
	cases := []struct {
		name string
		tu   Tuple
		c    Config
		want Key
	}{
		{"local src", tuple("10.1.2.3", 1000, "8.8.8.8", 53, 17), local, hostKey("10.1.2.3")},
		{"local dst", tuple("8.8.8.8", 53, "10.1.2.3", 1000, 17), local, hostKey("10.1.2.3")},
		{"remote side", tuple("8.8.8.8", 53, "10.1.2.3", 1000, 17), remote, hostKey("8.8.8.8")},
		{"single host net", tuple("192.0.2.7", 1, "192.0.2.8", 2, 6), local, hostKey("192.0.2.7")},
		{"ipv6", tuple("2001:db8::5", 1, "2600::1", 443, 6), local, hostKey("2001:db8::5")},
		{"local-local: 2tuple", tuple("10.0.0.1", 1, "10.0.0.2", 2, 6), local, pair("10.0.0.1", "10.0.0.2")},
		{"remote-remote: 2tuple", tuple("8.8.8.8", 1, "1.1.1.1", 2, 6), remote, pair("8.8.8.8", "1.1.1.1")},
	}
	for _, c := range cases {
		if got := c.c.Key(&c.tu); got != c.want {
			t.Errorf("%s: key %+v, want %+v", c.name, got, c.want)
		}
		r := reverse(c.tu)
		if c.c.Key(&r) != c.want {
			t.Errorf("%s: reverse direction has another key", c.name)
		}
	}
	// With --vlan, one address on two VLANs is two hosts (overlapping
	// address spaces); without, one.
	v10, v20 := tuple("10.1.2.3", 1, "8.8.8.8", 2, 6), tuple("8.8.8.8", 3, "10.1.2.3", 4, 17)
	v10.VLAN, v20.VLAN = 10, 20
	if local.Key(&v10) != local.Key(&v20) {
		t.Error("host without --vlan: one host on two VLANs has two keys")
	}
	vlan := Config{Mode: ModeHost, LocalNets: nets, VLAN: true}
	if vlan.Key(&v10) == vlan.Key(&v20) {
		t.Error("host with --vlan: one address on two VLANs has one key")
	}
	if k := vlan.Key(&v10); k.VLAN != 10 || k.A != hostKey("10.1.2.3").A {
		t.Errorf("host with --vlan: key %+v", k)
	}
	// With a prefix, the hosts of one /24 share a key.
	p := Config{Mode: ModeHost, LocalNets: nets, Prefix4: 24}
	a, b := tuple("10.1.2.3", 1, "8.8.8.8", 2, 6), tuple("10.1.2.99", 1, "9.9.9.9", 2, 17)
	if p.Key(&a) != p.Key(&b) {
		t.Error("prefix4 24: hosts of one /24 have different keys")
	}
}

func TestHostValidate(t *testing.T) {
	c := Config{Mode: ModeHost}
	if c.Validate() == nil {
		t.Error("host mode without local networks validated")
	}
	c.LocalNets = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	if err := c.Validate(); err != nil {
		t.Error(err)
	}
	if _, err := ParseLocalNets([]string{"10.0.0.0/33"}); err == nil {
		t.Error("bad CIDR parsed")
	}
	for _, m := range []string{"lfu", "host"} {
		if got, err := ParseMode(m); err != nil || got.String() != m {
			t.Errorf("ParseMode(%q) = %v, %v", m, got, err)
		}
	}
}

func TestHostNoAllocs(t *testing.T) {
	nets, _ := ParseLocalNets([]string{"10.0.0.0/8", "2001:db8::/32"})
	c := Config{Mode: ModeHost, LocalNets: nets}
	tu := tuple("2001:db8::1", 443, "2600::2", 50000, 6)
	var sink uint64
	if n := testing.AllocsPerRun(1000, func() { k := c.Key(&tu); sink += k.Hash() }); n != 0 {
		t.Errorf("host Key+Hash allocates %v times", n)
	}
	_ = sink
}
