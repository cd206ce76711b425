package decode

import "testing"

// decodeCase is one table-test fixture: a frame, how to decode it, and the
// whole Packet expected.
type decodeCase struct {
	name     string
	linkType uint16
	opts     Options
	frame    []byte
	want     Packet
}

func runCases(t *testing.T, cases []decodeCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var p Packet
			// Decode something else first: every field must be overwritten.
			p.Decode(linkTypeEthernet, cat(ethHeader(0x8100), vlanTag(7, 0x0800), ip4TCP(addrC, addrD)), Options{Tunnels: true, ICMPErrors: true})
			p.Decode(tc.linkType, tc.frame, tc.opts)
			if p != tc.want {
				t.Errorf("Decode:\n got %+v\nwant %+v", p, tc.want)
			}
		})
	}
}

// allCases is every table fixture, for fuzz seeds.
func allCases() [][]decodeCase {
	return [][]decodeCase{linkCases(), ipCases(), icmpCases(), tunnelCases()}
}
