package flowtable

// Flows leave the table in three places, all in the buckets where a new
// flow is going, so that buckets stay evenly filled:
//
//   - Lookup removes the expired flow it finds, and Insert reuses the slot
//     of an expired flow in the new flow's buckets;
//   - the sweep hand removes expired flows that nobody looks up any more,
//     one bucket on every Insert;
//   - at MaxFlows, Insert evicts the least recently seen of the (up to 8)
//     flows in the new flow's two buckets (a sampled LRU, like a
//     set-associative cache: the lines it reads are those that the lookup
//     that preceded the Insert has just read).
//
// Below MaxFlows a new flow whose two buckets are both full moves one of
// their flows to its other bucket when that has room (relocate); only if
// none has room is a flow evicted before the table is full. At load 3/4
// with two choices this is rare (TestFillWithoutEviction).

// sweep removes the expired flows of the bucket under the sweep hand and
// advances it: the table is swept once per len(buckets) new flows.
func (t *Table) sweep(now uint32) {
	b := &t.buckets[t.sweepHand]
	for i := range b {
		if en := &b[i]; en.fp != 0 && t.expired(en, now) {
			*en = entry{}
			t.n--
			t.stats.Expirations++
		}
	}
	if t.sweepHand++; t.sweepHand == len(t.buckets) {
		t.sweepHand = 0
	}
}

// vacancy returns an empty slot of bucket i or j, in the one with more
// empty slots (i on a tie); else the slot of an expired flow in them,
// removed; else room made by moving a flow of i or j to its other bucket;
// else nil.
func (t *Table) vacancy(i, j int, now uint32) *entry {
	if en := t.empty(i, j); en != nil {
		return en
	}
	if en := t.expiredIn(i, j, now); en != nil {
		return en
	}
	return t.relocate(i, j)
}

// empty returns an empty slot of bucket i or j, in the one with more empty
// slots (i on a tie), or nil.
func (t *Table) empty(i, j int) *entry {
	e1, f1 := t.buckets[i].free()
	e2, f2 := t.buckets[j].free()
	if f2 > f1 {
		return e2
	}
	return e1
}

// expiredIn returns the slot of the first expired flow of bucket i or j,
// removed, or nil.
func (t *Table) expiredIn(i, j int, now uint32) *entry {
	for _, b := range [2]*bucket{&t.buckets[i], &t.buckets[j]} {
		for k := range b {
			if en := &b[k]; en.fp != 0 && t.expired(en, now) {
				*en = entry{}
				t.n--
				t.stats.Expirations++
				return en
			}
		}
	}
	return nil
}

// relocate makes room in full bucket i or j by moving one of their flows
// to its other bucket, first making room there too if needed (a cuckoo
// path of at most relocateDepth moves), and returns the slot it freed, or
// nil.
func (t *Table) relocate(i, j int) *entry {
	for _, bi := range [2]int{i, j} {
		if en := t.moveOut(bi, relocateDepth); en != nil {
			return en
		}
	}
	return nil
}

// relocateDepth is the longest cuckoo path relocate tries: a failing
// relocation reads up to 8 + 8·4 lines, and at load 3/4 it almost never
// fails (TestFillWithoutEviction).
const relocateDepth = 2

// moveOut frees a slot of full bucket bi by moving one of its flows to its
// other bucket, where depth > 1 allows first freeing a slot there the same
// way, and returns the freed slot, or nil. A flow never moves into a full
// bucket, so a path cannot come back to bi.
func (t *Table) moveOut(bi, depth int) *entry {
	n := len(t.buckets)
	b := &t.buckets[bi]
	for k := range b {
		en := &b[k]
		if dst, _ := t.buckets[other(en.fp, bi, n)].free(); dst != nil {
			*dst, *en = *en, entry{}
			t.moves++
			return en
		}
	}
	if depth <= 1 {
		return nil
	}
	for k := range b {
		en := &b[k]
		if dst := t.moveOut(other(en.fp, bi, n), depth-1); dst != nil {
			*dst, *en = *en, entry{}
			t.moves++
			return en
		}
	}
	return nil
}

// evict removes the least recently seen flow of buckets i and j (the first
// on a tie) and returns its slot. When both buckets are empty (a table
// whose MaxFlows flows all live elsewhere: only small tables) it evicts
// the first flow from the sweep hand on instead, and returns an empty slot
// of i. The table must hold a flow.
func (t *Table) evict(i, j int, now uint32) *entry {
	var victim *entry
	oldest := uint32(0)
	for _, b := range [2]*bucket{&t.buckets[i], &t.buckets[j]} {
		for k := range b {
			if en := &b[k]; en.fp != 0 {
				if a := age(en, now); victim == nil || a > oldest {
					victim, oldest = en, a
				}
			}
		}
	}
	elsewhere := victim == nil
	for bi := t.sweepHand; victim == nil; {
		victim = t.buckets[bi].firstUsed()
		if bi++; bi == len(t.buckets) {
			bi = 0
		}
	}
	*victim = entry{}
	t.n--
	t.stats.Evictions++
	if elsewhere {
		return t.empty(i, j)
	}
	return victim
}

// firstUsed returns b's first used slot, or nil.
func (b *bucket) firstUsed() *entry {
	for i := range b {
		if b[i].fp != 0 {
			return &b[i]
		}
	}
	return nil
}
