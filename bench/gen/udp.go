package gen

import (
	"encoding/binary"

	"github.com/flowsplit/flowsplit/internal/testpkt"
)

// UDP and fragmentation constants.
const (
	mtu            = 1500
	bigMin         = 1600 // payload range of datagrams sent as fragments
	bigRange       = 2800
	ipv6FragHdrLen = 8
	maxFrags       = 8
	dnsTTL         = 3600
)

// fragState is a datagram being sent as fragments, one per Next call.
type fragState struct {
	// left is the number of fragments still to send; cur the index of the
	// next one and step +1 (in order) or -1 (reverse order).
	left, cur, step int
	room, body      int // bytes of the datagram per fragment; its size
	id              uint32
	// spec holds the Ethernet fields of the fragments' frames.
	spec testpkt.Spec
}

// udpDatagram builds f's next datagram: a request from the client at even
// indexes, a response at odd ones. With probability FragShare the datagram
// is large and sent as IP fragments; when the flow has too few packets left
// for the fragments, the next datagram that can takes its place, so the
// share holds over the stream.
func (g *Generator) udpDatagram(f *flow) ([]byte, int) {
	c2s := f.i%2 == 0
	s := g.base(f, c2s)
	s.Proto = testpkt.ProtoUDP
	hl := ipv4Len
	if f.v6 {
		hl = ipv6Len + ipv6FragHdrLen
	}
	room := (mtu - hl) &^ 7
	size, k := 0, 1
	if g.r.chance(g.cfg.FragShare) {
		g.fragDebt++
	}
	if g.fragDebt > 0 && f.tunnel == tunnelNone {
		size = bigMin + g.r.intn(bigRange)
		k = (udpLen + size + room - 1) / room
		if k > int(f.n-f.i) || k > maxFrags {
			// No packets left in this flow for the fragments: a later
			// datagram pays the debt.
			size, k = 0, 1
		} else {
			g.fragDebt--
		}
	}
	switch f.sport {
	case 53:
		s.Payload = g.dns(f, !c2s, size)
	case 123:
		s.Payload = g.patternBytes(max(size, ntpPayload))
	default:
		if size == 0 {
			size = g.imixPayload(f, udpLen)
		}
		s.Payload = g.patternBytes(size)
	}
	if k == 1 {
		return g.emit(f, c2s), 1
	}
	body := udpLen + len(s.Payload)
	g.dgram = testpkt.IPPacket(g.dgram[:0], *s)
	g.frag = fragState{left: k, step: 1, room: room, body: body, id: g.fragID, spec: *s}
	g.fragID++
	if g.r.intn(4) == 0 {
		g.frag.cur, g.frag.step = k-1, -1
	}
	return g.nextFragment(), k
}

// nextFragment builds the frame of the pending fragment g.frag.cur.
func (g *Generator) nextFragment() []byte {
	fs := &g.frag
	off := fs.cur * fs.room
	n := min(fs.room, fs.body-off)
	g.ip = testpkt.AppendFragment(g.ip[:0], g.dgram, fs.id, off, n)
	g.frame = testpkt.FrameIP(g.frame[:0], fs.spec, g.ip)
	fs.cur += fs.step
	fs.left--
	return g.frame
}

// dns builds a DNS A query for h<flow id>.example.com, or its response
// with one answer, padded with pattern bytes to size when size is larger.
func (g *Generator) dns(f *flow, response bool, size int) []byte {
	b := g.payload[:0]
	flags, an := uint16(0x0100), uint16(0) // standard query, recursion desired
	if response {
		flags, an = 0x8180, 1 // response, RD, RA, no error
	}
	// One transaction id per query/response pair.
	b = binary.BigEndian.AppendUint16(b, uint16(f.id)^uint16(f.i/2)*0x9e37)
	b = binary.BigEndian.AppendUint16(b, flags)
	b = binary.BigEndian.AppendUint16(b, 1) // questions
	b = binary.BigEndian.AppendUint16(b, an)
	b = binary.BigEndian.AppendUint32(b, 0) // authority, additional
	const hex = "0123456789abcdef"
	b = append(b, 9, 'h')
	for sh := 28; sh >= 0; sh -= 4 {
		b = append(b, hex[f.id>>sh&0xf])
	}
	b = append(b, 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0)
	b = binary.BigEndian.AppendUint32(b, 1<<16|1) // type A, class IN
	if response {
		b = append(b, 0xc0, 12) // name: pointer to the question
		b = binary.BigEndian.AppendUint32(b, 1<<16|1)
		b = binary.BigEndian.AppendUint32(b, dnsTTL)
		b = binary.BigEndian.AppendUint16(b, 4)
		b = append(b, 203, 0, 113, byte(f.id))
	}
	if size > len(b) {
		b = append(b, g.patternBytes(size-len(b))...)
	}
	g.payload = b
	return b
}
