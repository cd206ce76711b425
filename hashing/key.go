package hashing

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"net/netip"
)

// Tuple is what a decoded packet contributes to its flow identity. IPv4
// addresses occupy the first four bytes of Src and Dst, the rest zero.
type Tuple struct {
	Src, Dst         [16]byte
	SrcPort, DstPort uint16
	Proto            uint8
	IPv6             bool
	// VLAN and InnerVLAN are the outer and inner VLAN IDs (0 when absent).
	VLAN, InnerVLAN uint16
}

// Config says how a Tuple becomes a Key. The zero Config is not valid; use
// Validate.
type Config struct {
	Mode Mode
	// VLAN puts the VLAN IDs into the key. Off, traffic tagged in one
	// direction only still stays together (Zeek's default connection key).
	VLAN bool
	// Prefix4 and Prefix6 are how many leading address bits are kept; the
	// rest are zeroed before hashing. 0 means no masking (32 and 128).
	Prefix4, Prefix6 int
	// LocalNets are the local networks of ModeHost (required there,
	// ignored otherwise). Side says which endpoint ModeHost keys on.
	LocalNets []netip.Prefix
	Side      Side

	local []localNet // LocalNets compiled for the hot path (Compile)
}

// Side is the endpoint that ModeHost keys on.
type Side uint8

const (
	// SideLocal keys on the endpoint inside Config.LocalNets.
	SideLocal Side = iota
	// SideRemote keys on the endpoint outside Config.LocalNets.
	SideRemote
)

// Validate checks the config's ranges.
func (c *Config) Validate() error {
	if _, ok := modeNames[c.Mode]; !ok {
		return fmt.Errorf("invalid hash mode %d", c.Mode)
	}
	if c.Prefix4 < 0 || c.Prefix4 > 32 {
		return fmt.Errorf("ipv4 prefix %d out of range 0..32", c.Prefix4)
	}
	if c.Prefix6 < 0 || c.Prefix6 > 128 {
		return fmt.Errorf("ipv6 prefix %d out of range 0..128", c.Prefix6)
	}
	if c.Mode == ModeHost && len(c.LocalNets) == 0 {
		return fmt.Errorf("hash mode host needs local networks (--local-nets)")
	}
	if c.Side > SideRemote {
		return fmt.Errorf("invalid side %d", c.Side)
	}
	return nil
}

// keyLen is the size of a packed IPv6 Key: two 16-byte addresses, two
// ports, protocol and the two 12-bit VLAN IDs in 3 bytes. An IPv4 Key packs
// its addresses in 4 bytes each (keyLen4): two whole words, under xxhash's
// 32-byte threshold, with no byte-wise tail, where hashing is fastest. The
// family needs no byte: the lengths differ.
const (
	keyLen  = 16 + 16 + 2 + 2 + 1 + 3
	keyLen4 = 4 + 4 + 2 + 2 + 1 + 3
)

// Key is the canonical flow key: endpoint A is the lower of the two (address,
// port) pairs, so both directions of a flow give equal Keys. It is comparable
// and pointer-free, fit for a map key.
type Key struct {
	A, B            [16]byte
	PortA, PortB    uint16
	Proto           uint8
	Family          uint8 // 4 or 6
	VLAN, InnerVLAN uint16
}

// Key reduces t to its canonical Key under c.
func (c *Config) Key(t *Tuple) Key {
	k, _ := c.KeyDir(t)
	return k
}

// KeyDir is Key that also reports whether t's source is the key's
// endpoint A (false when the endpoints were swapped), so that a caller can
// tell the two directions of a flow apart.
func (c *Config) KeyDir(t *Tuple) (k Key, fromA bool) {
	k = Key{A: t.Src, B: t.Dst, Family: 4}
	bits := c.Prefix4
	if t.IPv6 {
		k.Family = 6
		bits = c.Prefix6
	}
	if bits > 0 {
		maskAddr(&k.A, bits)
		maskAddr(&k.B, bits)
	}
	if c.VLAN {
		k.VLAN, k.InnerVLAN = t.VLAN, t.InnerVLAN
	}
	if c.Mode == ModeHost && c.hostKey(t, &k) {
		return k, true
	}
	if c.Mode.UsesPorts() {
		k.PortA, k.PortB = t.SrcPort, t.DstPort
	}
	if c.Mode.usesProto() {
		k.Proto = t.Proto
	}
	if greater(&k.A, &k.B, k.PortA, k.PortB) {
		k.A, k.B = k.B, k.A
		k.PortA, k.PortB = k.PortB, k.PortA
		return k, false
	}
	return k, true
}

// greater reports whether endpoint (a, pa) sorts after (b, pb): addresses
// compared as big-endian words (lexicographic byte order), then ports.
func greater(a, b *[16]byte, pa, pb uint16) bool {
	be := binary.BigEndian
	a0, b0 := be.Uint64(a[0:8]), be.Uint64(b[0:8])
	if a0 != b0 {
		return a0 > b0
	}
	a1, b1 := be.Uint64(a[8:16]), be.Uint64(b[8:16])
	if a1 != b1 {
		return a1 > b1
	}
	return pa > pb
}

// maskAddr zeroes every bit of a past the first bits.
func maskAddr(a *[16]byte, bits int) {
	for i := range a {
		switch {
		case bits >= 8:
			bits -= 8
		case bits > 0:
			a[i] &= ^byte(0xff >> bits)
			bits = 0
		default:
			a[i] = 0
		}
	}
}

// Hash returns the xxhash of the packed key: the addresses (4 bytes each
// for IPv4, 16 for IPv6), then the ports, protocol and the two 12-bit VLAN
// IDs, big-endian (keyLen4, keyLen bytes). It is stable across machines
// and runs (explicit byte order, no seed).
func (k *Key) Hash() uint64 {
	be := binary.BigEndian
	tail := tailWord(k.PortA, k.PortB, k.Proto, k.VLAN, k.InnerVLAN)
	return sum(be.Uint64(k.A[0:8]), be.Uint64(k.A[8:16]), be.Uint64(k.B[0:8]), be.Uint64(k.B[8:16]), tail, k.Family == 6)
}

// Bucket maps a 64-bit hash onto [0, n) with Lemire's multiply-shift
// reduction: uniform for a uniform hash, no modulo bias, no division.
func Bucket(h uint64, n int) int {
	hi, _ := bits.Mul64(h, uint64(n))
	return int(hi)
}
