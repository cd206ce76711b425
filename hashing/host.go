package hashing

import (
	"encoding/binary"
	"net/netip"
)

// hostKey reduces k (already holding the masked addresses and the family)
// to the key of one host for ModeHost: the local endpoint (SideLocal) or
// the remote one (SideRemote), in A, with B, ports and protocol zero (the
// VLANs stay: with Config.VLAN one address on two VLANs is two hosts, as
// in networks whose address spaces overlap). It reports false, leaving k alone, when both endpoints are local
// or both remote: the caller then keys the pair like Mode2Tuple.
func (c *Config) hostKey(t *Tuple, k *Key) bool {
	switch c.hostPick(&t.Src, &t.Dst, t.IPv6) {
	case 0:
		return false
	case 2: // the destination
		k.A = k.B
	}
	k.B = [16]byte{}
	return true
}

// isLocal reports whether a is inside one of c.LocalNets. It does not
// allocate.
func (c *Config) isLocal(a *[16]byte, v6 bool) bool {
	var ip netip.Addr
	if v6 {
		ip = netip.AddrFrom16(*a)
	} else {
		ip = netip.AddrFrom4([4]byte{a[0], a[1], a[2], a[3]})
	}
	for _, p := range c.LocalNets {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// ParseLocalNets parses a list of CIDR prefixes such as "10.0.0.0/8" and
// "2001:db8::/32". A bare address is a one-host prefix. Prefixes are
// masked to their network address.
func ParseLocalNets(list []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range list {
		if s == "" {
			continue
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, aerr := netip.ParseAddr(s)
			if aerr != nil {
				return nil, err
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// localNet is a LocalNets prefix as masked words, for the hot path.
type localNet struct {
	v6     bool
	w0, w1 uint64 // network address, big-endian words (IPv4: high 32 bits of w0)
	m0, m1 uint64 // mask
}

// Compile prepares LocalNets for the hot path. Call it after the last
// change to LocalNets; without it ModeHost still works, more slowly.
func (c *Config) Compile() {
	c.local = c.local[:0]
	for _, p := range c.LocalNets {
		p = p.Masked()
		a := p.Addr().As16()
		n := localNet{v6: p.Addr().Is6()}
		bits := p.Bits()
		if !n.v6 {
			copy(a[:4], a[12:16])
			clear(a[4:])
		}
		n.w0, n.w1 = binary.BigEndian.Uint64(a[0:8]), binary.BigEndian.Uint64(a[8:16])
		n.m0, n.m1 = prefixMask(bits)
		c.local = append(c.local, n)
	}
}

// hostPick says which endpoint ModeHost keys on: 1 the source, 2 the
// destination (the local one, or with SideRemote the remote one), 0 when
// both are local or both remote. It uses the compiled LocalNets when
// Compile was called after their last change.
func (c *Config) hostPick(src, dst *[16]byte, v6 bool) int {
	var srcLocal, dstLocal bool
	if len(c.local) == len(c.LocalNets) {
		be := binary.BigEndian
		srcLocal = c.localWords(be.Uint64(src[0:8]), be.Uint64(src[8:16]), v6)
		dstLocal = c.localWords(be.Uint64(dst[0:8]), be.Uint64(dst[8:16]), v6)
	} else {
		srcLocal, dstLocal = c.isLocal(src, v6), c.isLocal(dst, v6)
	}
	switch {
	case srcLocal == dstLocal:
		return 0
	case srcLocal == (c.Side == SideLocal):
		return 1
	default:
		return 2
	}
}

// localWords is isLocal on address words, with the compiled LocalNets.
func (c *Config) localWords(w0, w1 uint64, v6 bool) bool {
	for i := range c.local {
		n := &c.local[i]
		if n.v6 == v6 && w0&n.m0 == n.w0 && w1&n.m1 == n.w1 {
			return true
		}
	}
	return false
}
