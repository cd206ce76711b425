package pcapio

import "math/bits"

// pow10 holds 10^0 .. 10^19, every power of ten that fits in a uint64.
var pow10 = [20]uint64{
	1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
	1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
}

// tsResolBinary is the if_tsresol flag for a negative power of two.
const tsResolBinary = 0x80

// finerThanMicro reports whether the if_tsresol value r is finer than one
// microsecond (10^-7 and finer, or 2^-20 and finer).
func finerThanMicro(r uint8) bool {
	if r&tsResolBinary != 0 {
		return r&^tsResolBinary >= 20
	}
	return r > 6
}

// convertTs converts a pcapng timestamp of ts units of the if_tsresol
// resolution r (high bit clear: 10^-n seconds, set: 2^-n seconds; 10^0 is
// whole seconds) to seconds and nanoseconds (truncated).
func convertTs(ts uint64, r uint8) (sec int64, nsec uint32) {
	n := uint(r &^ tsResolBinary)
	if r&tsResolBinary != 0 {
		if n == 0 {
			return int64(ts), 0
		}
		var frac uint64
		if n < 64 {
			sec, frac = int64(ts>>n), ts&(1<<n-1)
		} else {
			frac = ts
		}
		hi, lo := bits.Mul64(frac, 1e9) // frac * 1e9 / 2^n, in 128 bits
		switch {
		case n < 64:
			return sec, uint32(hi<<(64-n) | lo>>n)
		case n < 128:
			return 0, uint32(hi >> (n - 64))
		}
		return 0, 0
	}
	switch {
	case n <= 9:
		d := pow10[n]
		return int64(ts / d), uint32(ts % d * pow10[9-n])
	case n < uint(len(pow10)):
		d := pow10[n]
		return int64(ts / d), uint32(ts % d / pow10[n-9])
	case n-9 < uint(len(pow10)):
		return 0, uint32(ts / pow10[n-9])
	}
	return 0, 0
}
