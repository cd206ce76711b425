package testpkt

import (
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

func TestBuildersNoAllocs(t *testing.T) {
	payload := make([]byte, 1400)
	s := Spec{SrcMAC: macA, DstMAC: macB, VLANs: []uint16{10, 20}, Src: Endpoint{v6A, 1}, Dst: Endpoint{v6B, 2}, Proto: ProtoUDP, Payload: payload}
	big := bigUDP(Endpoint{v4A, 1}, Endpoint{v4B, 2}, 3000)
	buf := make([]byte, 0, 4096)
	for name, f := range map[string]func(){
		"Frame":          func() { buf = Frame(buf[:0], s) },
		"IPPacket":       func() { buf = IPPacket(buf[:0], s) },
		"AppendFragment": func() { buf = AppendFragment(buf[:0], big, 1, 1480, 1480) },
		"ICMPError":      func() { buf = ICMPError(buf[:0], big, v4B, 3, 3) },
		"VXLAN":          func() { buf = VXLAN(buf[:0], s, 1, payload) },
		"GRE":            func() { buf = GRE(buf[:0], v4A, v4B, payload, EtherTypeIPv4) },
	} {
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s: %v allocations per run, want 0", name, n)
		}
	}
}

// TestOracleDetectsCorruption makes sure the gopacket checksum checks used
// throughout these tests do fail on a damaged packet.
func TestOracleDetectsCorruption(t *testing.T) {
	for _, proto := range []uint8{ProtoTCP, ProtoUDP, ProtoICMPv6} {
		b := IPPacket(nil, Spec{Src: Endpoint{v6A, 1}, Dst: Endpoint{v6B, 2}, Proto: proto, ICMPType: 128, Payload: []byte("abcd")})
		b[len(b)-1] ^= 0x55
		p := gopacket.NewPacket(b, layers.LayerTypeIPv6, gopacket.Default)
		l := p.Layers()[1]
		_ = l.(pseudoHeaderUser).SetNetworkLayerForChecksum(p.NetworkLayer())
		if _, r := l.(verifier).VerifyChecksum(); r.Valid {
			t.Errorf("proto %d: corrupted packet passes the checksum check", proto)
		}
	}
}

func BenchmarkFrame(b *testing.B) {
	s := Spec{SrcMAC: macA, DstMAC: macB, Src: Endpoint{v4A, 1}, Dst: Endpoint{v4B, 2}, Proto: ProtoTCP, TCPFlags: TCPAck, Payload: make([]byte, 540)}
	buf := make([]byte, 0, 2048)
	b.ReportAllocs()
	b.SetBytes(int64(len(Frame(nil, s))))
	for b.Loop() {
		buf = Frame(buf[:0], s)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pkts/s")
}
