// Package gen generates a realistic, deterministic packet stream for
// benchmarks and end-to-end tests of flowsplit.
//
// Data flow: [New] plans every flow of a [Config] up front (size, protocol,
// addresses, VLAN tags, tunnel, start time and pace); [Generator.Next] then
// merges the active flows by their next packet's virtual time with a heap
// and builds each frame with package internal/testpkt, so every frame is a
// valid Ethernet frame with correct lengths and checksums. [WritePcap]
// writes the stream as a classic pcap file.
//
// Traffic shape:
//   - Flow sizes are heavy-tailed: most flows have a few packets, the
//     elephants carry about 40% of all packets, and the packet count is
//     exactly Config.Packets.
//   - TCP flows open with SYN, SYN-ACK, ACK, carry data and pure ACKs both
//     ways and close with FIN/ACK, FIN/ACK, ACK (short flows are cut off,
//     like scans). Data frames follow IMIX (7:4:1 of 64/594/1518 bytes on
//     the wire); UDP flows are DNS-like query/response pairs (also NTP and
//     QUIC ports); a few flows are ICMP echo.
//   - IPv4 and IPv6 mix; clients in 10.0.0.0/8 and 2001:db8::/32, servers
//     in 198.18.0.0/15 and 3fff::/20 (254 hosts a /24 or /64, popular
//     servers get most flows); client-to-server frames come from the
//     client's MAC, the others from one gateway MAC.
//   - Optional VLAN tags (some QinQ, some on one direction only), large UDP
//     datagrams sent as fragments (some in reverse order), ICMP errors
//     quoting a flow's packet, and tunnels (GRE, VXLAN, Geneve, GTP-U,
//     IP-in-IP).
//   - Many flows are active at once; flows start and end throughout the
//     stream. Timestamps start at 2026-01-01T00:00:00Z and advance by
//     0.5-1.5 µs per packet (about 1 Mpps).
//
// Determinism: the same Config (Seed included) yields the same bytes and
// timestamps on every run and platform; the random generator is a fixed
// algorithm (wyrand), not math/rand.
//
// Allocation and ownership: New allocates the flow table (about 100 bytes
// a flow) and its buffers; Next does not allocate. The frame Next returns
// aliases the Generator's buffer and is valid until the next call.
//
// A Generator is not safe for concurrent use; use one per goroutine.
package gen
