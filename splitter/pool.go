package splitter

import "sync"

// batchPool is the memory of every output's queue together: batches of one
// size, made on demand up to max and then recycled, never garbage. An
// output holds the batches it took (its current one, those queued, the one
// its writer writes) until its writer gives them back. It may hold at most
// its own bound (sink.maxBatches, from Config.QueueSize), and beyond
// reserve batches only what the other outputs' reserves leave: one stuck
// worker can take most of the memory, never what the others need to go on
// double-buffering, and all of the outputs together never hold more than
// max batches, whatever their number or their workers' speed
// (Config.QueueTotal). When max is the sum of the outputs' own bounds (the
// default under Drop and Spill), no output ever waits for another's
// memory.
//
// take runs on the engine goroutine only; give on the writers'.
type batchPool struct {
	size    int // capacity of a new batch
	max     int // batches at most, at least reserve per output
	reserve int // batches every output can always take
	made    int // batches made so far (engine goroutine)
	n       int // outputs
	sinks   []*sink
	back    chan struct{} // a batch came back (capacity 1): wakes a waiting engine

	mu   sync.Mutex
	free []*batch // made and not held, the last given back on top (warm in cache)
}

// poolReserve is how many batches an output can always take: its current
// batch and one being written, so that it double-buffers.
const poolReserve = 2

// newBatchPool returns the pool of n outputs' queues: batches of size
// bytes, total bytes at most (but at least poolReserve batches per
// output).
func newBatchPool(size int, total int64, n int) *batchPool {
	max := max(int(total/int64(size)), poolReserve*n)
	return &batchPool{
		size:    size,
		max:     max,
		reserve: poolReserve,
		n:       n,
		back:    make(chan struct{}, 1),
	}
}

// add makes s one of the outputs whose reserve the pool keeps.
func (p *batchPool) add(s *sink) { p.sinks = append(p.sinks, s) }

// take returns an empty batch for s, or nil when s holds its bound or the
// pool has nothing it may give s.
func (p *batchPool) take(s *sink) *batch {
	held := int(s.held.Load())
	if held >= s.maxBatches {
		return nil
	}
	p.mu.Lock()
	nfree := len(p.free)
	short := held >= p.reserve && p.short(s, nfree+p.max-p.made)
	var b *batch
	if nfree > 0 && !short {
		b = p.free[nfree-1]
		p.free = p.free[:nfree-1]
	}
	p.mu.Unlock()
	if b == nil {
		if p.made >= p.max || short {
			return nil
		}
		p.made++
		b = &batch{b: make([]byte, 0, p.size)}
	}
	s.held.Add(1)
	return b
}

// short reports whether available batches are no more than the other
// outputs than s may still take within their reserves. The count of those
// (a pass over the outputs) is skipped while available exceeds all their
// reserves, which is always so when the pool is the sum of their bounds.
func (p *batchPool) short(s *sink, available int) bool {
	return available <= p.reserve*(p.n-1) && available <= p.owed(s)
}

// owed is how many batches the outputs other than s may still take within
// their reserves.
func (p *batchPool) owed(s *sink) (n int) {
	for _, o := range p.sinks {
		if h := int(o.held.Load()); o != s && h < p.reserve {
			n += p.reserve - h
		}
	}
	return n
}

// most is how many batches an output bounded to maxBatches can hold at
// most: its own bound, or all the pool but the other outputs' reserves.
func (p *batchPool) most(maxBatches int) int {
	return min(maxBatches, p.max-p.reserve*(p.n-1))
}

// give takes back a batch s held, emptied, and wakes the engine if it waits.
func (p *batchPool) give(s *sink, b *batch) {
	b.reset()
	p.mu.Lock()
	p.free = append(p.free, b)
	p.mu.Unlock()
	s.held.Add(-1)
	select {
	case p.back <- struct{}{}:
	default:
	}
}
