package splitter

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
	sinks   []*sink
	free    chan *batch   // made and not held; capacity max
	back    chan struct{} // a batch came back (capacity 1): wakes a waiting engine
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
		free:    make(chan *batch, max),
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
	if held >= p.reserve && len(p.free)+p.max-p.made <= p.owed(s) {
		return nil
	}
	var b *batch
	select {
	case b = <-p.free:
	default:
		if p.made >= p.max {
			return nil
		}
		p.made++
		b = &batch{b: make([]byte, 0, p.size)}
	}
	s.held.Add(1)
	return b
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

// most is how many batches s can hold at most: its own bound, or all the
// pool but the other outputs' reserves.
func (p *batchPool) most(s *sink) int {
	return min(s.maxBatches, p.max-p.reserve*(len(p.sinks)-1))
}

// give takes back a batch s held, emptied, and wakes the engine if it waits.
func (p *batchPool) give(s *sink, b *batch) {
	b.reset()
	s.held.Add(-1)
	p.free <- b // never blocks: at most max batches exist
	select {
	case p.back <- struct{}{}:
	default:
	}
}
