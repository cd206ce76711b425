package gen

import "net/netip"

// Host numbering: host index h maps to subnet h/254 and host h%254+1, so
// that masking to /24 (IPv4) or /64 (IPv6) groups 254 hosts.
//
//	clients  10.0.0.0/8        2001:db8:0:<subnet>::<host>/64
//	servers  198.18.0.0/15     3fff:0:0:<subnet>::<host>  (RFC 9637)
//	routers  192.0.2.1         2001:db8:ffff::1           (ICMP errors)
//	tunnel   172.16.0.0/16 (client side), 172.31.0.0/16 (server side)
var (
	routerV4 = netip.AddrFrom4([4]byte{192, 0, 2, 1})
	routerV6 = netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff, 15: 1})
	// gatewayMAC is the router's MAC: the source of every server-to-client
	// frame and the destination of every client-to-server one.
	gatewayMAC = [6]byte{0x02, 0x00, 0x5e, 0x00, 0x00, 0x01}
)

func subnetHost(h uint32) (uint32, byte) {
	return h / hostsPerSubnet, byte(h%hostsPerSubnet + 1)
}

func clientAddr(h uint32, v6 bool) netip.Addr {
	sn, host := subnetHost(h)
	if v6 {
		return netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 0, 0, byte(sn >> 8), byte(sn), 15: host})
	}
	return netip.AddrFrom4([4]byte{10, byte(sn >> 8), byte(sn), host})
}

func serverAddr(h uint32, v6 bool) netip.Addr {
	sn, host := subnetHost(h)
	if v6 {
		return netip.AddrFrom16([16]byte{0x3f, 0xff, 0, 0, 0, 0, byte(sn >> 8), byte(sn), 15: host})
	}
	return netip.AddrFrom4([4]byte{198, 18 + byte(sn>>8&1), byte(sn), host})
}

// tunnelAddr is the tunnel endpoint on the client side (server false) or
// server side of host h.
func tunnelAddr(h uint32, server bool) netip.Addr {
	sn, host := subnetHost(h % (hostsPerSubnet * 256))
	b := byte(16)
	if server {
		b = 31
	}
	return netip.AddrFrom4([4]byte{172, b, byte(sn), host})
}

func clientMAC(h uint32) [6]byte {
	return [6]byte{0x02, 0x42, byte(h >> 24), byte(h >> 16), byte(h >> 8), byte(h)}
}
