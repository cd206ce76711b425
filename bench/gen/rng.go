package gen

import "math/bits"

// rng is wyrand: a small, fast generator whose output depends only on the
// seed, so streams stay identical across Go releases (unlike math/rand).
type rng struct{ s uint64 }

func newRNG(seed int64) rng { return rng{s: uint64(seed) ^ 0x9e3779b97f4a7c15} }

func (r *rng) next() uint64 {
	r.s += 0xa0761d6478bd642f
	hi, lo := bits.Mul64(r.s, r.s^0xe7037ed1a0b428db)
	return hi ^ lo
}

// intn returns a value in [0, n) for 0 < n < 2^32 (0 when n <= 0).
func (r *rng) intn(n int) int {
	if n <= 0 {
		return 0
	}
	return int((r.next() >> 32 * uint64(n)) >> 32)
}

// int63n returns a value in [0, n) for n > 0 (0 when n <= 0).
func (r *rng) int63n(n int64) int64 {
	if n <= 0 {
		return 0
	}
	hi, _ := bits.Mul64(r.next(), uint64(n))
	return int64(hi)
}

// float returns a value in [0, 1).
func (r *rng) float() float64 { return float64(r.next()>>11) / (1 << 53) }

// chance returns true with probability p.
func (r *rng) chance(p float64) bool { return r.float() < p }
