package hashing

import "math/bits"

// XXH64 (seed 0) of the two packed key layouts, computed straight from the
// words the key is made of instead of storing them and calling
// xxhash.Sum64: the same value (TestXXHWords holds them equal), a third of
// the cost, since the words stay in registers and the call and its length
// dispatch go away. The key stores each word big-endian; XXH64 reads
// little-endian lanes, hence the byte swaps.

const (
	prime1 uint64 = 11400714785074694791
	prime2 uint64 = 14029467366897019727
	prime3 uint64 = 1609587929392839161
	prime4 uint64 = 9650029242287828579
	prime5 uint64 = 2870177450012600261

	prime12 uint64 = 6983438078262162902 // prime1 + prime2, wrapped
	minusP1 uint64 = 7046029288634856825 // -prime1, wrapped
)

func xxRound(acc, input uint64) uint64 {
	acc += input * prime2
	acc = bits.RotateLeft64(acc, 31)
	return acc * prime1
}

func xxMerge(acc, val uint64) uint64 {
	acc ^= xxRound(0, val)
	return acc*prime1 + prime4
}

// xxLane mixes one 8-byte lane of the tail into h.
func xxLane(h, lane uint64) uint64 {
	h ^= xxRound(0, lane)
	return bits.RotateLeft64(h, 27)*prime1 + prime4
}

// xxAvalanche finishes a hash.
func xxAvalanche(h uint64) uint64 {
	h ^= h >> 33
	h *= prime2
	h ^= h >> 29
	h *= prime3
	h ^= h >> 32
	return h
}

// xxh16 is xxhash.Sum64 of the 16 bytes w0, w1 (big-endian): the IPv4
// key.
func xxh16(w0, w1 uint64) uint64 {
	h := prime5 + 16
	h = xxLane(h, bits.ReverseBytes64(w0))
	h = xxLane(h, bits.ReverseBytes64(w1))
	return xxAvalanche(h)
}

// xxh40 is xxhash.Sum64 of the 40 bytes w0..w4 (big-endian): the IPv6
// key.
func xxh40(w0, w1, w2, w3, w4 uint64) uint64 {
	v1 := xxRound(prime12, bits.ReverseBytes64(w0))
	v2 := xxRound(prime2, bits.ReverseBytes64(w1))
	v3 := xxRound(0, bits.ReverseBytes64(w2))
	v4 := xxRound(minusP1, bits.ReverseBytes64(w3))
	h := bits.RotateLeft64(v1, 1) + bits.RotateLeft64(v2, 7) + bits.RotateLeft64(v3, 12) + bits.RotateLeft64(v4, 18)
	h = xxMerge(h, v1)
	h = xxMerge(h, v2)
	h = xxMerge(h, v3)
	h = xxMerge(h, v4)
	h += 40
	h = xxLane(h, bits.ReverseBytes64(w4))
	return xxAvalanche(h)
}
