package fragtrack

import "github.com/flowsplit/flowsplit/hashing"

// Datagram states.
const (
	stateFree uint8 = iota
	stateWaiting
	stateDecided
)

// datagram is one table entry: a datagram seen as fragments.
type datagram struct {
	key      hashing.Key
	state    uint8
	slot     int32 // index slot
	out      int32 // the decision, when decided
	fallback int32 // the fallback output, when waiting
	held     int32 // fragments held now
	hash     uint64
	last     int64 // capture time of the last fragment
}

// table is a fixed-size open-addressing index (linear probing, load at
// most one half) over a FIFO ring of datagram entries: a new datagram takes
// the oldest entry.
type table struct {
	ents  []datagram
	slots []int32 // entry index + 1, 0 = empty
	next  int     // the entry the next new datagram takes
}

func newTable(n int) table {
	size := 1
	for size < 2*n {
		size <<= 1
	}
	return table{ents: make([]datagram, n), slots: make([]int32, size)}
}

// find returns the entry of k, or -1.
func (t *table) find(k *hashing.Key, h uint64) int32 {
	mask := len(t.slots) - 1
	for i := int(h) & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			return -1
		}
		d := &t.ents[s-1]
		if d.hash == h && d.key == *k {
			return s - 1
		}
	}
}

// insert adds k as entry e (free) and returns it.
func (t *table) insert(e int32, k *hashing.Key, h uint64) *datagram {
	mask := len(t.slots) - 1
	i := int(h) & mask
	for t.slots[i] != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = e + 1
	d := &t.ents[e]
	*d = datagram{key: *k, hash: h, slot: int32(i)}
	return d
}

// remove frees entry e and closes the gap in its probe run.
func (t *table) remove(e int32) {
	d := &t.ents[e]
	i := int(d.slot)
	d.state = stateFree
	mask := len(t.slots) - 1
	for {
		t.slots[i] = 0
		j := i
		for {
			j = (j + 1) & mask
			s := t.slots[j]
			if s == 0 {
				return
			}
			home := int(t.ents[s-1].hash) & mask
			if (i < j && (home <= i || home > j)) || (i > j && home <= i && home > j) {
				t.slots[i] = s
				t.ents[s-1].slot = int32(i)
				i = j
				break
			}
		}
	}
}
