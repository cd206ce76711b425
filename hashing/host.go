package hashing

import "net/netip"

// hostKey reduces k (already holding the masked addresses and the family)
// to the key of one host for ModeHost: the local endpoint (SideLocal) or
// the remote one (SideRemote), in A, with B, ports, protocol and VLANs
// zero. It reports false, leaving k alone, when both endpoints are local
// or both remote: the caller then keys the pair like Mode2Tuple.
func (c *Config) hostKey(t *Tuple, k *Key) bool {
	srcLocal, dstLocal := c.isLocal(&t.Src, t.IPv6), c.isLocal(&t.Dst, t.IPv6)
	if srcLocal == dstLocal {
		return false
	}
	// Pick the local endpoint, or the remote one.
	useSrc := srcLocal == (c.Side == SideLocal)
	if !useSrc {
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
