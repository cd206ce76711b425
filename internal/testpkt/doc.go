// Package testpkt builds real, valid packets byte by byte for tests, fuzz
// seeds and the traffic generator in bench/gen.
//
// Every builder writes complete headers with correct lengths and checksums:
// the IPv4 header checksum, the TCP, UDP, ICMPv4 and ICMPv6 checksums (with the
// IPv4 or IPv6 pseudo-header where the protocol uses one) and the SCTP CRC32c,
// so that tshark, Zeek and gopacket accept the output without complaint.
//
// Data flow: a [Spec] describes one packet; [IPPacket] turns it into an IP
// packet and [Frame] into an Ethernet frame (with optional 802.1Q/802.1ad
// tags). The tunnel builders ([GRE], [IPinIP], [VXLAN], [Geneve], [GTPU])
// wrap an inner packet or frame in an outer IP packet, [ICMPError] quotes a
// packet in an ICMP or ICMPv6 error, and [Fragment] and [AppendFragment] cut
// an IP packet into fragments.
//
// Allocation and ownership: every builder that takes a dst slice appends to
// it and returns the extended slice, like the append built-in; it allocates
// only when dst lacks capacity, so a caller that reuses its buffer builds
// packets without allocating. The returned slice is the caller's; builders
// keep no reference to it or to their inputs. [Fragment] is the one
// convenience function that always allocates.
//
// Builders never panic. Inputs they cannot honour (an IPv6 destination with
// an IPv4 source, a payload too long for the length field) produce packets
// whose contract is described on each function; functions that parse their
// input ([Fragment], [AppendFragment], [ICMPError], [IPinIP]) return dst
// unchanged (or nil) when the input is not a well-formed IP packet.
//
// All functions are pure and safe for concurrent use.
package testpkt
