package testpkt

import (
	"encoding/binary"
	"hash/crc32"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// decode parses b with gopacket (the independent oracle) starting at first,
// fails the test on any decoding error, and checks every checksum gopacket
// can verify plus the SCTP CRC32c.
func decode(t *testing.T, b []byte, first gopacket.LayerType) gopacket.Packet {
	t.Helper()
	p := gopacket.NewPacket(b, first, gopacket.Default)
	if el := p.ErrorLayer(); el != nil {
		t.Fatalf("gopacket: %v\n%s", el.Error(), p.Dump())
	}
	verifyChecksums(t, p)
	return p
}

type verifier interface {
	VerifyChecksum() (error, gopacket.ChecksumVerificationResult)
}

type pseudoHeaderUser interface {
	SetNetworkLayerForChecksum(gopacket.NetworkLayer) error
}

// verifyChecksums checks the checksum of every layer of p, with each
// transport layer checked against the network layer just before it (so
// inner tunnelled packets are checked against their own IP header).
func verifyChecksums(t *testing.T, p gopacket.Packet) {
	t.Helper()
	var net gopacket.NetworkLayer
	for _, l := range p.Layers() {
		if nl, ok := l.(gopacket.NetworkLayer); ok {
			net = nl
		}
		if ph, ok := l.(pseudoHeaderUser); ok && net != nil {
			if err := ph.SetNetworkLayerForChecksum(net); err != nil {
				t.Fatalf("%v: %v", l.LayerType(), err)
			}
		}
		if v, ok := l.(verifier); ok {
			if isFragmentTail(p, l) {
				continue
			}
			err, r := v.VerifyChecksum()
			if err != nil {
				t.Fatalf("%v: verify: %v", l.LayerType(), err)
			}
			if !r.Valid {
				t.Errorf("%v: checksum %#04x, want %#04x", l.LayerType(), r.Actual, r.Correct)
			}
		}
		if s, ok := l.(*layers.SCTP); ok {
			b := append([]byte(nil), s.Contents...)
			b = append(b, s.Payload...)
			want := binary.LittleEndian.Uint32(b[8:])
			binary.LittleEndian.PutUint32(b[8:], 0)
			if got := crc32.Checksum(b, crc32.MakeTable(crc32.Castagnoli)); got != want {
				t.Errorf("sctp crc32c %#08x, computed %#08x", want, got)
			}
		}
	}
}

// isFragmentTail reports whether l is a transport layer that gopacket
// decoded from a first fragment, whose checksum covers bytes in later
// fragments and so cannot be verified alone.
func isFragmentTail(p gopacket.Packet, l gopacket.Layer) bool {
	switch l.(type) {
	case *layers.IPv4:
		return false
	}
	if ip, ok := p.Layer(layers.LayerTypeIPv4).(*layers.IPv4); ok {
		if ip.Flags&layers.IPv4MoreFragments != 0 || ip.FragOffset != 0 {
			return true
		}
	}
	return p.Layer(layers.LayerTypeIPv6Fragment) != nil
}
