package decode

import (
	"bytes"
	"testing"
)

// fuzzLinkTypes are the link types FuzzDecode picks from, by index.
var fuzzLinkTypes = []uint16{
	linkTypeNull, linkTypeEthernet, linkTypeRawBSD12, linkTypeRawBSD14, linkTypeRaw,
	linkTypeLoop, linkTypeLinuxSLL, linkTypeIPv4, linkTypeIPv6, linkTypeLinuxSLL2, 105,
}

func FuzzDecode(f *testing.F) {
	for _, cases := range allCases() {
		for _, tc := range cases {
			for i, lt := range fuzzLinkTypes {
				if lt == tc.linkType {
					f.Add(uint8(i), uint8(3), tc.frame)
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, lt, opt uint8, b []byte) {
		linkType := fuzzLinkTypes[int(lt)%len(fuzzLinkTypes)]
		orig := bytes.Clone(b)
		for o := range 4 {
			opts := Options{Tunnels: o&1 != 0, ICMPErrors: o&2 != 0}
			var p Packet
			p.Decode(linkType, b, opts)
			checkInvariants(t, &p, opts)
			// Decoding twice into a used Packet gives the same result.
			q := p
			q.Decode(linkType, b, opts)
			if q != p {
				t.Fatalf("second decode differs:\n%+v\n%+v", p, q)
			}
		}
		if !bytes.Equal(orig, b) {
			t.Fatal("Decode modified its input")
		}
	})
}

// checkInvariants asserts what any decoded Packet satisfies.
func checkInvariants(t *testing.T, p *Packet, opts Options) {
	t.Helper()
	if p.Kind < KindIPv4 || p.Kind > KindUnsupportedLink {
		t.Fatalf("kind %d out of range", p.Kind)
	}
	isIP := p.Kind == KindIPv4 || p.Kind == KindIPv6
	if !isIP {
		// Only link-layer fields may be set.
		want := Packet{Kind: p.Kind, VLAN: p.VLAN, InnerVLAN: p.InnerVLAN, SrcMAC: p.SrcMAC, DstMAC: p.DstMAC, HasMAC: p.HasMAC}
		if *p != want {
			t.Fatalf("non-IP kind %d with IP fields: %+v", p.Kind, p)
		}
	}
	if p.Kind == KindUnsupportedLink && *p != (Packet{Kind: KindUnsupportedLink}) {
		t.Fatalf("unsupported link with fields: %+v", p)
	}
	if p.HasPorts && !hasPorts(p.Proto) {
		t.Fatalf("ports for proto %d", p.Proto)
	}
	if !p.HasPorts && (p.SrcPort != 0 || p.DstPort != 0) {
		t.Fatalf("ports without HasPorts: %+v", p)
	}
	if p.TCPFlags != 0 && (p.Proto != ipProtoTCP || !p.HasPorts) {
		t.Fatalf("TCP flags on proto %d: %+v", p.Proto, p)
	}
	if p.Kind == KindIPv4 && ([12]byte(p.Src[4:]) != [12]byte{} || [12]byte(p.Dst[4:]) != [12]byte{}) {
		t.Fatalf("IPv4 address with bytes 4..15 set: %+v", p)
	}
	if !p.IsFragment && (p.FragOffset != 0 || p.MoreFragments || p.FragID != 0) {
		t.Fatalf("fragment fields on a non-fragment: %+v", p)
	}
	if p.IsFragment && p.FragOffset != 0 && p.HasPorts && !p.ICMPError {
		t.Fatalf("ports in a non-first fragment: %+v", p)
	}
	if p.TunnelDepth > maxTunnelDepth || (!opts.Tunnels && p.TunnelDepth != 0) {
		t.Fatalf("tunnel depth %d with %+v", p.TunnelDepth, opts)
	}
	if p.ICMPError && (!opts.ICMPErrors || !isIP) {
		t.Fatalf("ICMP error with %+v: %+v", opts, p)
	}
	if !p.HasMAC && (p.SrcMAC != [6]byte{} || p.DstMAC != [6]byte{}) {
		t.Fatalf("MACs without HasMAC: %+v", p)
	}
}
