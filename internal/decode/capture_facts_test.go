package decode

import "testing"

// TestRealCaptureFacts checks, per capture, facts counted by hand from
// tshark's protocol stacks: how deep the tunnels go, how many packets are
// opened, how many ICMP errors quote a readable packet, which link types
// are unsupported.
func TestRealCaptureFacts(t *testing.T) {
	type facts struct {
		maxDepth    uint8 // deepest TunnelDepth with Tunnels
		tunneled    int   // packets with TunnelDepth > 0
		icmpErrors  int   // packets with ICMPError with ICMPErrors
		unsupported int   // packets of KindUnsupportedLink
	}
	want := map[string]facts{
		"gre-in-gre-icmp.pcap":          {maxDepth: 2, tunneled: 628},
		"gre-erspan2-vxlan-tcp.pcap":    {maxDepth: 2, tunneled: 7},
		"erspan1-icmp.pcap":             {maxDepth: 1, tunneled: 10},
		"erspan3-vlan-icmp.pcap":        {maxDepth: 1, tunneled: 9},
		"vlan-4in6-gre-ppp-dns.pcap":    {maxDepth: 2, tunneled: 2},
		"6in4-ping6.pcap":               {maxDepth: 1, tunneled: 10},
		"vxlan-tcp-udp.pcap":            {maxDepth: 1, tunneled: 100},
		"teredo.pcap":                   {maxDepth: 1, tunneled: 4},
		"be-usec-pptp-gre.pcap":         {},
		"icmp4-errors.pcap":             {icmpErrors: 6}, // frames 2, 5, 6, 11, 12, 13
		"icmp6-errors.pcap":             {icmpErrors: 13},
		"wlan-lt105-llc-dns.pcap":       {unsupported: 3},
		"wlan-radiotap-llc-ip.pcap":     {unsupported: 26},
		"flows-tls-334conns.pcap":       {},
		"ipv6-exthdrs-atomic-frag.pcap": {},
	}
	for name, w := range want {
		t.Run(name, func(t *testing.T) {
			var got facts
			var p Packet
			for _, c := range readCapture(t, name) {
				p.Decode(c.linkType, c.data, Options{Tunnels: true})
				if p.TunnelDepth > 0 {
					got.tunneled++
				}
				got.maxDepth = max(got.maxDepth, p.TunnelDepth)
				if p.Kind == KindUnsupportedLink {
					got.unsupported++
				}
				p.Decode(c.linkType, c.data, Options{ICMPErrors: true})
				if p.ICMPError {
					got.icmpErrors++
				}
			}
			if got != w {
				t.Errorf("got %+v, want %+v", got, w)
			}
		})
	}
}
