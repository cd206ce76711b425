package testpkt

import (
	"encoding/binary"
	"hash/crc32"
	"math/bits"
)

// castagnoli is the CRC32c table used by SCTP (RFC 4960 appendix B).
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// sum adds b, read as big-endian 16-bit words (an odd final byte is padded
// with a zero), to the one's-complement accumulator acc. Segments summed
// separately must each start at an even offset of the checksummed data.
func sum(b []byte, acc uint64) uint64 {
	var c uint64
	for len(b) >= 8 {
		acc, c = bits.Add64(acc, binary.BigEndian.Uint64(b), c)
		b = b[8:]
	}
	acc, c = bits.Add64(acc, c, 0)
	acc += c
	if len(b) >= 4 {
		acc, c = bits.Add64(acc, uint64(binary.BigEndian.Uint32(b)), 0)
		acc += c
		b = b[4:]
	}
	if len(b) >= 2 {
		acc, c = bits.Add64(acc, uint64(binary.BigEndian.Uint16(b)), 0)
		acc += c
		b = b[2:]
	}
	if len(b) == 1 {
		acc, c = bits.Add64(acc, uint64(b[0])<<8, 0)
		acc += c
	}
	return acc
}

// fold reduces a one's-complement accumulator to 16 bits and complements
// it, giving the value to store in a checksum field.
func fold(acc uint64) uint16 {
	acc = acc>>32 + acc&0xffffffff
	acc = acc>>32 + acc&0xffffffff
	acc = acc>>16 + acc&0xffff
	acc = acc>>16 + acc&0xffff
	return ^uint16(acc)
}

// pseudoSum returns the one's-complement sum of the TCP/UDP pseudo-header
// for a transport segment of length n carried in the IP packet whose
// header starts ip (IPv4 or IPv6, told by v6).
func pseudoSum(ip []byte, v6 bool, proto uint8, n int) uint64 {
	var acc uint64
	if v6 {
		acc = sum(ip[8:40], 0)
	} else {
		acc = sum(ip[12:20], 0)
	}
	return acc + uint64(proto) + uint64(n)
}
