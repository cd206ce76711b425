package oracle

import (
	"encoding/binary"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// withTeredo appends the layers of the IPv6 packet carried by a Teredo
// datagram (UDP port 3544 either side; RFC 4380 authentication and origin
// indications skipped) when the last UDP layer of ls is one: gopacket
// does not decode Teredo.
func withTeredo(ls []gopacket.Layer) []gopacket.Layer {
	var u *layers.UDP
	for _, l := range ls {
		if v, ok := l.(*layers.UDP); ok {
			u = v
		}
	}
	if u == nil || (u.SrcPort != 3544 && u.DstPort != 3544) {
		return ls
	}
	b := u.LayerPayload()
	n := 0
	if len(b) >= 13 && binary.BigEndian.Uint16(b) == 1 { // authentication
		n = 13 + int(b[2]) + int(b[3])
	}
	if n+8 <= len(b) && binary.BigEndian.Uint16(b[n:]) == 0 { // origin
		n += 8
	}
	if n+40 > len(b) || b[n]>>4 != 6 || 40+int(binary.BigEndian.Uint16(b[n+4:])) != len(b)-n {
		return ls
	}
	inner := gopacket.NewPacket(b[n:], layers.LayerTypeIPv6, gopacket.DecodeOptions{Lazy: true, NoCopy: true})
	return append(append([]gopacket.Layer(nil), ls...), inner.Layers()...)
}
