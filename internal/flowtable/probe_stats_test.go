package flowtable

// probeStats returns the mean and longest displacement of the table's
// flows from their home slots (a hit reads displacement+1 slots), and the
// mean number of slots a miss reads (from a uniformly random home slot to
// the first empty slot, inclusive).
func (t *Table) probeStats() (meanHit float64, longest int, meanMiss float64) {
	n := len(t.slots)
	var sum, flows int
	for i := range t.slots {
		en := &t.slots[i]
		if en.flags&flagUsed == 0 {
			continue
		}
		d := (i - home(en.hash, n) + n) % n
		sum += d
		longest = max(longest, d)
		flows++
	}
	// A miss from slot i reads the rest of the run that i is in, plus the
	// empty slot that ends it: sum over runs of r(r+1)/2, plus one per
	// slot.
	var misses, run int
	start := 0
	for start < n && t.slots[start].flags&flagUsed != 0 {
		start++ // begin after an empty slot, so no run wraps
	}
	for k := 1; k <= n; k++ {
		if t.slots[(start+k)%n].flags&flagUsed != 0 {
			run++
			continue
		}
		misses += run * (run + 1) / 2
		run = 0
	}
	return 1 + float64(sum)/float64(max(flows, 1)), longest, 1 + float64(misses)/float64(n)
}
