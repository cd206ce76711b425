// Package decode is flowsplit's hot-path packet decoder: it reads, from one
// captured frame, the fields that routing needs (addresses, protocol,
// ports, fragment identity, VLANs, MACs) into a Packet the caller owns.
//
// # Data flow
//
// Packet.Decode dispatches on the capture's link type (Ethernet, raw IP,
// Linux cooked v1/v2, BSD loopback), walks the headers between the link
// and the network layer (802.1Q/802.1ad tags, Cisco VN-Tag, MPLS label
// stacks and Ethernet pseudowires, PPPoE, LLC/SNAP), then decodes IPv4 or
// IPv6 (with extension headers) and the first transport bytes. Each
// header is read at fixed offsets after a length check, and every loop
// (tags, labels, extension headers, GTP extensions, tunnel layers) is
// bounded by a named constant.
//
// With Options.ICMPErrors, an ICMP or ICMPv6 error reports the flow of the
// packet it quotes. With Options.Tunnels, GRE (incl. ERSPAN I/II/III and
// PPTP), IP-in-IP, 6in4, 4in6, VXLAN, Geneve, GTP-U and Teredo are opened
// up to maxTunnelDepth layers and the innermost readable IP header is
// reported; the MAC and VLAN fields stay those of the capture's own link.
// IP fragments are never looked into beyond the first fragment's ports:
// that would split the fragments of one packet between flows.
//
// Decode never fails. A frame it cannot use gets a Kind that says why
// (KindMalformed, KindNonIP, KindUnsupportedLink) and the caller decides.
//
// # Allocation and ownership
//
// Decode does not allocate and keeps no reference to the frame: Packet
// holds only values, so a frame buffer may be reused as soon as Decode
// returns. It never reads past len(b) and never panics, on any input.
//
// # Concurrency
//
// A Packet is not safe for concurrent use: Decode writes all of it. Use one
// Packet per goroutine; distinct Packets may be decoded concurrently.
package decode
