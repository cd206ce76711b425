package flowtable

import (
	"math/bits"

	"github.com/flowsplit/flowsplit/hashing"
)

// maxLoad is the most flows per slot, as a fraction maxLoadNum/maxLoadDen.
// Linear probing at load 3/4 probes 2.5 slots per hit and 8.5 per miss on
// average (Knuth), and the slots that follow the home slot are the next
// cache lines, which the hardware prefetches.
const (
	maxLoadNum = 3
	maxLoadDen = 4
)

// slotsFor returns the number of slots for a table of capacity flows:
// enough for load maxLoad, and always at least one more than capacity, so
// that every probe ends on an empty slot. It need not be a power of two
// (home reduces hashes with a multiply).
func slotsFor(capacity int) int {
	return max(capacity+1, (capacity*maxLoadDen+maxLoadNum-1)/maxLoadNum)
}

// home returns the home slot of hash h among n slots: the high word of
// h*n, uniform for a uniform hash, without a division.
func home(h uint64, n int) int {
	hi, _ := bits.Mul64(h, uint64(n))
	return int(hi)
}

// find returns the slot of flow k (whose hash is h), or -1. It probes
// from k's home slot to the first empty slot.
func find(slots []entry, k *hashing.Key, h uint64) int {
	n := len(slots)
	for i := home(h, n); ; {
		en := &slots[i]
		if en.flags&flagUsed == 0 {
			return -1
		}
		if en.hash == h && keyEqual(&en.key, k) {
			return i
		}
		if i++; i == n {
			i = 0
		}
	}
}

// place returns the first empty slot at or after the home slot of h (the
// end of its probe run). The array must have an empty slot.
func place(slots []entry, h uint64) int {
	n := len(slots)
	i := home(h, n)
	for slots[i].flags&flagUsed != 0 {
		if i++; i == n {
			i = 0
		}
	}
	return i
}

// remove empties slot i and closes the gap by shifting later entries of
// its probe run back (backward-shift deletion: no tombstones, so probe
// runs stay as short as if the flow had never been inserted).
func remove(slots []entry, i int) {
	n := len(slots)
	j := i
	for {
		if j++; j == n {
			j = 0
		}
		en := &slots[j]
		if en.flags&flagUsed == 0 {
			break
		}
		// An entry may fill the hole at i unless its home lies
		// cyclically in (i, j]: moving it before its home would hide it.
		h := home(en.hash, n)
		if i <= j {
			if i < h && h <= j {
				continue
			}
		} else if i < h || h <= j {
			continue
		}
		slots[i] = *en
		i = j
	}
	slots[i] = entry{}
}
