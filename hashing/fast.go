package hashing

import "encoding/binary"

// Hash returns Key(t).Hash() without building the Key: the hot path of the
// hash modes. The two endpoints are loaded as 64-bit words, masked, ordered
// and packed straight into the documented key layout, so the result is the
// same as Key(t).Hash() for every Tuple (a test holds them equal).
func (c *Config) Hash(t *Tuple) uint64 {
	return c.HashFields(&t.Src, &t.Dst, t.SrcPort, t.DstPort, t.Proto, t.IPv6, t.VLAN, t.InnerVLAN)
}

// HashFields is Hash of the Tuple with these fields, for callers that have
// them in a struct of their own (the router's decoded packet): it saves
// copying them into a Tuple on the hot path.
func (c *Config) HashFields(src, dst *[16]byte, sport, dport uint16, proto uint8, ipv6 bool, vlan, inner uint16) uint64 {
	be := binary.BigEndian
	a0, a1 := be.Uint64(src[0:8]), be.Uint64(src[8:16])
	b0, b1 := be.Uint64(dst[0:8]), be.Uint64(dst[8:16])
	bits := c.Prefix4
	if ipv6 {
		bits = c.Prefix6
	}
	var pick int // ModeHost: 1 keys on the source alone, 2 on the destination
	if c.Mode == ModeHost {
		pick = c.hostPick(src, dst, ipv6)
	}
	if bits > 0 {
		m0, m1 := prefixMask(bits)
		a0, a1, b0, b1 = a0&m0, a1&m1, b0&m0, b1&m1
	}
	if !c.VLAN {
		vlan, inner = 0, 0
	}
	if pick != 0 { // see hostKey
		if pick == 2 {
			a0, a1 = b0, b1
		}
		return sum(a0, a1, 0, 0, tailWord(0, 0, 0, vlan, inner), ipv6)
	}
	var pa, pb uint16
	if c.Mode.UsesPorts() {
		pa, pb = sport, dport
	}
	if a0 > b0 || (a0 == b0 && (a1 > b1 || (a1 == b1 && pa > pb))) {
		a0, a1, b0, b1, pa, pb = b0, b1, a0, a1, pb, pa
	}
	if !c.Mode.usesProto() {
		proto = 0
	}
	return sum(a0, a1, b0, b1, tailWord(pa, pb, proto, vlan, inner), ipv6)
}

// tailWord packs the key's last word: the ports, the protocol and the two
// 12-bit VLAN IDs.
func tailWord(pa, pb uint16, proto uint8, vlan, inner uint16) uint64 {
	return uint64(pa)<<48 | uint64(pb)<<32 | uint64(proto)<<24 | uint64(vlan&vlanMask)<<12 | uint64(inner&vlanMask)
}

// vlanMask keeps the 12 bits of a VLAN ID.
const vlanMask = 0x0fff

// sum is the xxhash of a packed key given as words: the addresses as four
// big-endian words (IPv4: the high 32 bits of a0 and b0, packed into one
// word), then the tail word (tailWord). It computes xxhash.Sum64 of those
// bytes without storing them (xxh.go). The two families' keys differ in
// length (16 and 40 bytes), which xxhash hashes in.
func sum(a0, a1, b0, b1, tail uint64, ipv6 bool) uint64 {
	if !ipv6 {
		return xxh16(a0&^0xffffffff|b0>>32, tail)
	}
	return xxh40(a0, a1, b0, b1, tail)
}

// prefixMask returns the 128-bit mask of the first bits bits as two words.
func prefixMask(bits int) (hi, lo uint64) {
	switch {
	case bits >= 128:
		return ^uint64(0), ^uint64(0)
	case bits >= 64:
		return ^uint64(0), ^uint64(0) << (128 - bits)
	default:
		return ^uint64(0) << (64 - bits), 0
	}
}
