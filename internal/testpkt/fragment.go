package testpkt

import (
	"encoding/binary"
	"slices"
)

// Fragmentation constants.
const (
	ipv6FragHeaderLen = 8
	protoHopByHop     = 0
	protoRouting      = 43
	protoFragment     = 44
	maxExtHeaders     = 8 // bound on the IPv6 extension headers walked
	ipv4FlagMF        = 0x2000
	ipv4OffsetMask    = 0x1fff
)

// ipLayout locates the parts of an IP packet that fragmentation needs.
type ipLayout struct {
	v6 bool
	// hl is the length of the part copied into every fragment: the IPv4
	// header, or the IPv6 header plus Hop-by-Hop and Routing headers.
	hl int
	// nhPos is the offset of the Next Header byte that names the first
	// fragmentable header (IPv6 only).
	nhPos int
	// body is the fragmentable part.
	body []byte
	// baseOff and baseMF are an IPv4 packet's existing fragment offset
	// (bytes) and MF flag, so that a fragment can be split again.
	baseOff int
	baseMF  bool
}

// parseLayout reads p's IP header; ok is false when p is not a well-formed
// IPv4 packet or an IPv6 packet that is not already a fragment.
func parseLayout(p []byte) (l ipLayout, ok bool) {
	if len(p) < ipv4HeaderLen {
		return l, false
	}
	switch p[0] >> 4 {
	case 4:
		hl := int(p[0]&0x0f) * 4
		total := int(binary.BigEndian.Uint16(p[2:]))
		if hl < ipv4HeaderLen || total < hl || total > len(p) {
			return l, false
		}
		frag := binary.BigEndian.Uint16(p[6:])
		l.hl = hl
		l.body = p[hl:total]
		l.baseOff = int(frag&ipv4OffsetMask) * 8
		l.baseMF = frag&ipv4FlagMF != 0
		return l, true
	case 6:
		if len(p) < ipv6HeaderLen {
			return l, false
		}
		end := ipv6HeaderLen + int(binary.BigEndian.Uint16(p[4:]))
		if end > len(p) {
			return l, false
		}
		l.v6 = true
		l.nhPos = 6
		pos := ipv6HeaderLen
		for range maxExtHeaders {
			nh := p[l.nhPos]
			if nh == protoFragment {
				return l, false
			}
			if nh != protoHopByHop && nh != protoRouting {
				break
			}
			if pos+2 > end {
				return l, false
			}
			l.nhPos = pos
			pos += (int(p[pos+1]) + 1) * 8
			if pos > end {
				return l, false
			}
		}
		l.hl = pos
		l.body = p[pos:end]
		return l, true
	}
	return l, false
}

// AppendFragment appends to dst the fragment of ipPacket that carries bytes
// [off, off+n) of its fragmentable part (the IPv4 payload; for IPv6
// everything after the Hop-by-Hop and Routing headers), and returns the
// extended slice. More-fragments is set unless the fragment reaches the end
// of the packet (for an IPv4 packet that already is a non-last fragment it
// stays set).
//
// IPv4 fragments copy the whole header (options included), keep its
// identification and clear DF; id is ignored. IPv6 fragments get a Fragment
// header with identification id. off must be a multiple of 8, and so must n
// unless the fragment is the last one; for invalid offsets, or when
// ipPacket is not a well-formed IP packet or is an IPv6 fragment already,
// dst is returned unchanged.
func AppendFragment(dst, ipPacket []byte, id uint32, off, n int) []byte {
	l, ok := parseLayout(ipPacket)
	if !ok || off < 0 || n <= 0 || off%8 != 0 || off+n > len(l.body) {
		return dst
	}
	last := off+n == len(l.body)
	if !last && n%8 != 0 {
		return dst
	}
	start := len(dst)
	if !l.v6 {
		fo := l.baseOff + off
		if fo/8 > ipv4OffsetMask {
			return dst
		}
		total := l.hl + n
		dst = slices.Grow(dst, total)
		dst = append(dst, ipPacket[:l.hl]...)
		dst = append(dst, l.body[off:off+n]...)
		h := dst[start : start+l.hl]
		flags := uint16(fo / 8)
		if !last || l.baseMF {
			flags |= ipv4FlagMF
		}
		binary.BigEndian.PutUint16(h[2:], uint16(total))
		binary.BigEndian.PutUint16(h[6:], flags)
		binary.BigEndian.PutUint16(h[10:], 0)
		binary.BigEndian.PutUint16(h[10:], fold(sum(h, 0)))
		return dst
	}
	total := l.hl + ipv6FragHeaderLen + n
	dst = slices.Grow(dst, total)
	dst = append(dst, ipPacket[:l.hl]...)
	nh := dst[start+l.nhPos]
	dst[start+l.nhPos] = protoFragment
	binary.BigEndian.PutUint16(dst[start+4:], uint16(total-ipv6HeaderLen))
	offM := uint16(off)
	if !last {
		offM |= 1
	}
	dst = append(dst, nh, 0)
	dst = binary.BigEndian.AppendUint16(dst, offM)
	dst = binary.BigEndian.AppendUint32(dst, id)
	dst = append(dst, l.body[off:off+n]...)
	return dst
}

// Fragment splits ipPacket into fragments of at most mtu bytes each, in
// order, the first carrying the transport header, using AppendFragment (see
// there for id and the header rules). A packet that already fits is
// returned as a single unmodified copy. It returns nil when ipPacket is not
// a packet AppendFragment accepts or mtu leaves no room for 8 payload
// bytes. Each fragment is a freshly allocated slice.
func Fragment(ipPacket []byte, mtu int, id uint32) [][]byte {
	l, ok := parseLayout(ipPacket)
	if !ok {
		return nil
	}
	if l.hl+len(l.body) <= mtu {
		return [][]byte{slices.Clone(ipPacket[:l.hl+len(l.body)])}
	}
	room := mtu - l.hl
	if l.v6 {
		room -= ipv6FragHeaderLen
	}
	room &^= 7
	if room < 8 {
		return nil
	}
	var out [][]byte
	for off := 0; off < len(l.body); off += room {
		n := min(room, len(l.body)-off)
		f := AppendFragment(nil, ipPacket, id, off, n)
		if f == nil {
			return nil
		}
		out = append(out, f)
	}
	return out
}
