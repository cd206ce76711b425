package hashing

import (
	"encoding/binary"

	"github.com/cespare/xxhash/v2"
)

// Hash returns Key(t).Hash() without building the Key: the hot path of the
// hash modes. The two endpoints are loaded as 64-bit words, masked, ordered
// and packed straight into the documented key layout, so the result is the
// same as Key(t).Hash() for every Tuple (a test holds them equal).
func (c *Config) Hash(t *Tuple) uint64 {
	if c.Mode == ModeHost {
		k := c.Key(t)
		return k.Hash()
	}
	return c.HashFields(&t.Src, &t.Dst, t.SrcPort, t.DstPort, t.Proto, t.IPv6, t.VLAN, t.InnerVLAN)
}

// HashFields is Hash of the Tuple with these fields, for callers that have
// them in a struct of their own (the router's decoded packet): it saves
// copying them into a Tuple on the hot path. Not for ModeHost (use Hash).
func (c *Config) HashFields(src, dst *[16]byte, sport, dport uint16, proto uint8, ipv6 bool, vlan, inner uint16) uint64 {
	be := binary.BigEndian
	a0, a1 := be.Uint64(src[0:8]), be.Uint64(src[8:16])
	b0, b1 := be.Uint64(dst[0:8]), be.Uint64(dst[8:16])
	family := byte(4)
	bits := c.Prefix4
	if ipv6 {
		family = 6
		bits = c.Prefix6
	}
	if bits > 0 {
		m0, m1 := prefixMask(bits)
		a0, a1, b0, b1 = a0&m0, a1&m1, b0&m0, b1&m1
	}
	var pa, pb uint16
	if c.Mode.UsesPorts() {
		pa, pb = sport, dport
	}
	if a0 > b0 || (a0 == b0 && (a1 > b1 || (a1 == b1 && pa > pb))) {
		a0, a1, b0, b1, pa, pb = b0, b1, a0, a1, pb, pa
	}
	// The 10 bytes after the addresses: one word and the inner VLAN.
	if !c.Mode.usesProto() {
		proto = 0
	}
	if !c.VLAN {
		vlan, inner = 0, 0
	}
	tail := uint64(pa)<<48 | uint64(pb)<<32 | uint64(proto)<<24 | uint64(family)<<16 | uint64(vlan)
	return sum(a0, a1, b0, b1, tail, inner, family)
}

// sum is the xxhash of a packed key given as words: the addresses as four
// big-endian words (IPv4: the high 32 bits of a0 and b0), the ports,
// protocol, family and outer VLAN as one word, the inner VLAN. The key is
// written with whole-word stores, so that xxhash reads it back without
// store-forwarding stalls (that alone halves the cost).
func sum(a0, a1, b0, b1, tail uint64, inner uint16, family byte) uint64 {
	be := binary.BigEndian
	if family == 4 {
		var k [keyLen4]byte
		be.PutUint64(k[0:], a0&^0xffffffff|b0>>32)
		be.PutUint64(k[8:], tail)
		be.PutUint16(k[16:], inner)
		return xxhash.Sum64(k[:])
	}
	var k [keyLen]byte
	be.PutUint64(k[0:], a0)
	be.PutUint64(k[8:], a1)
	be.PutUint64(k[16:], b0)
	be.PutUint64(k[24:], b1)
	be.PutUint64(k[32:], tail)
	be.PutUint16(k[40:], inner)
	return xxhash.Sum64(k[:])
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
