package decode

import "testing"

// imixFrames returns a simple IMIX: seven 64-byte, four 594-byte and one
// 1518-byte Ethernet frames, mixing IPv4 TCP, IPv6 UDP and 802.1Q.
func imixFrames() [][]byte {
	tcp4 := func(size int) []byte {
		payload := zeros(size - 14 - 20 - 20)
		return cat(ethHeader(0x0800), ip4Packet(6, addrA, addrB, cat(tcpHeader(40000, 443, flagACK), payload)))
	}
	udp6 := func(size int) []byte {
		return cat(ethHeader(0x86dd), ip6Packet(17, addrA6, addrB6, udpDatagram(5353, 53, zeros(size-14-40-8))))
	}
	vlan4 := func(size int) []byte {
		payload := zeros(size - 18 - 20 - 20)
		return cat(ethHeader(0x8100), vlanTag(42, 0x0800), ip4Packet(6, addrA, addrB, cat(tcpHeader(40000, 443, flagACK), payload)))
	}
	return [][]byte{
		tcp4(64), tcp4(64), udp6(64 + 8), vlan4(64), tcp4(64), tcp4(64), udp6(64 + 8),
		tcp4(594), udp6(594), vlan4(594), tcp4(594),
		tcp4(1518),
	}
}

func BenchmarkDecode(b *testing.B) {
	for _, bc := range []struct {
		name string
		opts Options
	}{
		{"plain", Options{}},
		{"tunnels+icmp", Options{Tunnels: true, ICMPErrors: true}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			frames := imixFrames()
			total := 0
			for _, f := range frames {
				total += len(f)
			}
			b.SetBytes(int64(total / len(frames)))
			b.ReportAllocs()
			var p Packet
			n := 0
			for b.Loop() {
				p.Decode(linkTypeEthernet, frames[n%len(frames)], bc.opts)
				n++
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "packets/s")
		})
	}
}
