package flowtable

import "math/bits"

// A flow may live in either of two buckets, both chosen by its
// fingerprint: the high word of fp × buckets, and the same of fp rotated
// by 32 bits (the next bucket when the two coincide). A lookup reads at
// most these two lines, whatever is stored; a new flow goes to the one
// with more free slots (two choices keep the buckets evenly filled: at
// load 3/4 very few are full), and when both are full one of their flows
// that has room in its other bucket moves there (see relocate).

// loadNum/loadDen is the most flows per slot: the table has
// ceil(capacity / (bucketSlots × load)) buckets.
const (
	loadNum = 3
	loadDen = 4
)

// bucketsFor returns the number of buckets for a table of capacity flows:
// load at most 3/4, and at least 2 buckets (so that a flow has two).
func bucketsFor(capacity int) int {
	per := bucketSlots * loadNum
	return max(2, (capacity*loadDen+per-1)/per)
}

// pair returns the indices of the two buckets of fingerprint fp among n
// (n >= 2); they differ.
func pair(fp uint64, n int) (int, int) {
	i, _ := bits.Mul64(fp, uint64(n))
	j, _ := bits.Mul64(bits.RotateLeft64(fp, 32), uint64(n))
	if j == i {
		if j++; j == uint64(n) {
			j = 0
		}
	}
	return int(i), int(j)
}

// other returns the bucket of fp that is not bucket i.
func other(fp uint64, i, n int) int {
	a, b := pair(fp, n)
	if a == i {
		return b
	}
	return a
}

// find returns the entry of fingerprint fp in b, or nil.
func (b *bucket) find(fp uint64) *entry {
	for i := range b {
		if b[i].fp == fp {
			return &b[i]
		}
	}
	return nil
}

// free returns b's first empty slot (or nil) and its number of empty
// slots.
func (b *bucket) free() (*entry, int) {
	var first *entry
	n := 0
	for i := range b {
		if b[i].fp == 0 {
			if first == nil {
				first = &b[i]
			}
			n++
		}
	}
	return first, n
}
