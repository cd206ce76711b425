package gen

import "github.com/flowsplit/flowsplit/internal/testpkt"

// Flow kinds and tunnel kinds.
const (
	tunnelNone uint8 = iota
	tunnelGRE
	tunnelVXLAN
	tunnelGeneve
	tunnelGTPU
	tunnelIPIP
	numTunnelKinds = tunnelIPIP
)

// VLAN modes.
const (
	vlanNone uint8 = iota
	vlanBoth
	vlanClientOnly
)

// Address pools.
const (
	clientsPerFlow = 8  // about Flows/8 client hosts
	flowsPerServer = 20 // about Flows/20 server hosts
	maxServers     = 30000
	hostsPerSubnet = 254
)

// flow is one connection's plan and state. It holds no pointers.
type flow struct {
	// next is the virtual time of the flow's next packet, gap the mean
	// spacing of its packets and start the time of its first.
	next, gap, start int64
	// n is the number of packets planned, i the number sent.
	n, i int32
	// icmpAt is the index of the packet replaced by an ICMP error, or -1.
	icmpAt int32
	id     uint32
	// client and server are host indexes; addresses derive from them.
	client, server uint32
	cport, sport   uint16
	cseq, sseq     uint32
	cipid, sipid   uint16
	vid, vid2      uint16
	proto          uint8
	v6             bool
	vlan           uint8
	qinq           bool
	tunnel         uint8
}

// newFlow draws the properties of flow number id with n packets.
func newFlow(r *rng, cfg *Config, id, n, nClients, nServers int, elephant bool) flow {
	f := flow{n: int32(n), id: uint32(id), icmpAt: -1}
	f.v6 = r.chance(cfg.IPv6Share)
	f.client = uint32(id % nClients)
	// Popular servers get most flows: index ~ nServers * u^3.
	u := r.float()
	f.server = uint32(float64(nServers) * u * u * u)
	// Client ports are distinct for the flows of one client.
	f.cport = uint16(10000 + (id/nClients*4099+int(f.client)*13)%55000)
	f.cseq = uint32(r.next())
	f.sseq = uint32(r.next())
	f.cipid = uint16(r.next())
	f.sipid = uint16(r.next())
	f.proto, f.sport = pickService(r, n, elephant)
	switch v := r.float(); {
	case v < cfg.OneSidedVLAN:
		f.vlan = vlanClientOnly
	case v < max(cfg.VLANShare, cfg.OneSidedVLAN):
		f.vlan = vlanBoth
	}
	if f.vlan != vlanNone {
		f.vid = uint16(10 + f.client%50)
		if r.intn(10) == 0 {
			f.qinq = true
			f.vid2 = f.vid
			f.vid = uint16(100 + r.intn(4))
		}
	}
	if n >= 2 && f.proto != testpkt.ProtoICMP && r.chance(cfg.ICMPErrors) {
		f.icmpAt = 1
		if f.proto == testpkt.ProtoTCP {
			f.icmpAt = int32(min(3, n-1))
		}
	}
	if r.chance(cfg.Tunnels) {
		f.tunnel = 1 + uint8(r.intn(int(numTunnelKinds)))
	}
	return f
}

// pickService chooses the protocol and server port. Short flows are mostly
// DNS-like UDP exchanges, longer ones mostly TCP; elephants are TCP.
func pickService(r *rng, n int, elephant bool) (proto uint8, port uint16) {
	v := r.intn(100)
	var tcpPct, udpPct int
	switch {
	case elephant:
		tcpPct, udpPct = 100, 0
	case n <= 2:
		tcpPct, udpPct = 12, 80
	case n <= 6:
		tcpPct, udpPct = 50, 45
	default:
		tcpPct, udpPct = 88, 10
	}
	switch {
	case v < tcpPct:
		w := r.intn(100)
		switch {
		case w < 60:
			return testpkt.ProtoTCP, 443
		case w < 85:
			return testpkt.ProtoTCP, 80
		case w < 92:
			return testpkt.ProtoTCP, 22
		default:
			return testpkt.ProtoTCP, 8080
		}
	case v < tcpPct+udpPct:
		w := r.intn(100)
		switch {
		case w < 75:
			return testpkt.ProtoUDP, 53
		case w < 85:
			return testpkt.ProtoUDP, 123
		default:
			return testpkt.ProtoUDP, 443
		}
	}
	return testpkt.ProtoICMP, 0
}
