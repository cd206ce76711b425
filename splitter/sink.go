package splitter

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/flowsplit/flowsplit/fifo"
	"github.com/flowsplit/flowsplit/internal/pcapio"
)

// batchSize returns the batch buffer size for n outputs: 256 KiB each for a
// few outputs, smaller for many, never below 16 KiB. A record larger than a
// batch grows that batch once.
func batchSize(n int) int {
	const total, max, min = 32 << 20, 256 << 10, 16 << 10
	s := total / (n * 4)
	if s > max {
		return max
	}
	if s < min {
		return min
	}
	return s
}

// batch is a run of whole records in the output format.
type batch struct {
	b       []byte
	packets int
	bytes   uint64 // captured bytes of the packets
	// ifacesBefore is how many pcapng interfaces the output's stream
	// declares before the batch (set when it is handed over), idbs how
	// many the batch declares.
	ifacesBefore, idbs int
}

func (b *batch) reset() { b.b, b.packets, b.bytes, b.idbs = b.b[:0], 0, 0, 0 }

// sink is one output: the batch the engine fills, the queue of full batches,
// and the writer goroutine that writes them (see writer.go).
//
// The fields in the first group belong to the engine goroutine. A batch
// belongs to the writer from the moment it is sent on full until it comes
// back on free. Counters read by other goroutines are atomic.
type sink struct {
	index  int // -1 for the weird output
	path   string
	isFIFO bool
	format pcapio.Format
	header atomic.Pointer[outHeader] // the latest (declares every interface known)
	policy Policy
	log    *logger
	onWait func()

	// Engine side.
	cur       *batch
	declared  int   // pcapng interfaces declared in the stream so far
	pending   int64 // flush clock when cur got its first record; 0 when empty
	routed    counter
	blockedNs int64
	spill     *spill // nil unless policy is Spill

	pool       *batchPool
	maxBatches int          // most batches it may hold (Config.QueueSize)
	held       atomic.Int32 // batches taken from the pool, not given back
	full       chan *batch
	done       chan struct{}

	// stop ends the writer's waits (for a reader, for a blocked write)
	// when the drain is over.
	stop   context.Context
	cancel context.CancelFunc
	// waitCtx ends the writer's waits for a reader under Drop and Spill
	// once the input has ended: their undelivered data is dropped or kept
	// in the spill file instead of waited for.
	waitCtx    context.Context
	cancelWait context.CancelFunc

	f    *os.File         // owned by the writer goroutine
	pipe *fifo.RecordPipe // writes f when it is a FIFO
	dead bool             // writer: a file output that failed for good
	// stream is how many pcapng interfaces the output's stream declares
	// before the next byte the writer will write (a new reader's header
	// declares them).
	stream int
	file   atomic.Pointer[os.File] // f, for unblock

	written    atomicCounter
	dropped    atomicCounter
	replayed   atomicCounter
	reconnects atomic.Int64
	down       atomic.Bool
	failed     atomic.Bool // a fatal error: the run must stop (Block, file output)

	mu  sync.Mutex
	err error // first fatal error, under mu
}

// counter counts packets and their captured bytes.
type counter struct{ packets, bytes uint64 }

func (c *counter) add(packets int, bytes uint64) {
	c.packets += uint64(packets)
	c.bytes += bytes
}

// atomicCounter is a counter shared between goroutines.
type atomicCounter struct{ packets, bytes atomic.Uint64 }

func (c *atomicCounter) add(packets int, bytes uint64) {
	c.packets.Add(uint64(packets))
	c.bytes.Add(bytes)
}

func (c *atomicCounter) load() counter {
	return counter{c.packets.Load(), c.bytes.Load()}
}

// sinkOptions are the settings all sinks share.
type sinkOptions struct {
	format     pcapio.Format
	header     *outHeader
	policy     Policy
	queueSize  int64
	pool       *batchPool
	spillDir   string
	spillMax   int64
	log        *logger
	reopenWait time.Duration
	// onWait runs on the engine goroutine every second while it waits
	// for this output (statistics keep coming).
	onWait func()
}

// newSink starts the writer goroutine of an output. f may be nil for a FIFO
// that has no reader yet: the output then starts down and is opened when a
// reader comes.
func newSink(index int, path string, isFIFO bool, f *os.File, o *sinkOptions) *sink {
	maxBatches := max(int(o.queueSize/int64(o.pool.size)), poolReserve)
	s := &sink{
		index:      index,
		path:       path,
		isFIFO:     isFIFO,
		format:     o.format,
		policy:     o.policy,
		log:        o.log,
		onWait:     o.onWait,
		pool:       o.pool,
		maxBatches: maxBatches,
		full:       make(chan *batch, o.pool.most(maxBatches)), // never blocks
		done:       make(chan struct{}),
		f:          f,
	}
	s.header.Store(o.header)
	s.declared = o.header.ifaces
	s.stop, s.cancel = context.WithCancel(context.Background())
	s.waitCtx, s.cancelWait = context.WithCancel(s.stop)
	if f != nil {
		s.file.Store(f)
	}
	if o.policy == Spill {
		s.spill = newSpill(o.spillDir, o.spillMax, s)
	}
	o.pool.add(s)
	s.cur = o.pool.take(s) // within its reserve: never nil
	// The header as it is now: interfaces declared later go into the
	// batches (declare), so a header loaded when the writer gets to run
	// would declare them twice.
	go s.run(o.header, o.reopenWait)
	return s
}

// name is how messages refer to the output.
func (s *sink) name() string {
	if s.index < 0 {
		return fmt.Sprintf("weird output (%s)", s.path)
	}
	return fmt.Sprintf("output %d (%s)", s.index, s.path)
}

// fail records a fatal error.
func (s *sink) fail(err error) {
	s.mu.Lock()
	if s.err == nil {
		s.err = err
	}
	s.mu.Unlock()
	s.failed.Store(true)
}

func (s *sink) error() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// add appends a record to the current batch, handing the batch over first
// when the record does not fit. Under Drop with a full queue the record is
// dropped and counted instead. recSize is w.recordSize(rec).
func (s *sink) add(ctx context.Context, w *recordWriter, rec *pcapio.Record, recSize int, clock int64) {
	n := uint64(len(rec.Data))
	if len(s.cur.b)+recSize > cap(s.cur.b) && len(s.cur.b) > 0 {
		if !s.submit(ctx) {
			s.routed.add(1, n)
			s.dropped.add(1, n)
			return
		}
	}
	if s.pending == 0 {
		s.pending = clock
	}
	s.cur.b = w.appendRecord(s.cur.b, rec)
	s.routed.add(1, n) // after the copy, which faults if a mapped input shrank
	s.cur.packets++
	s.cur.bytes += n
}

// declare appends the blocks of n interfaces that appeared mid-stream
// (pcapng output) to the current batch, and publishes h, which declares
// them too (see outHeader).
func (s *sink) declare(idbs []byte, n int, h *outHeader) {
	s.header.Store(h)
	s.declared = h.ifaces
	s.cur.b = append(s.cur.b, idbs...)
	s.cur.idbs += n
}

// submit hands the current batch over (to the writer, or to the spill file)
// and takes an empty one. It returns false only under Drop when the queue is
// full: the current batch is then kept, and the caller drops its record.
// Under Block it waits for the writer, until ctx is done.
func (s *sink) submit(ctx context.Context) bool {
	if len(s.cur.b) == 0 {
		return true
	}
	// What the stream declares before the batch: all so far but its own.
	s.cur.ifacesBefore = s.declared - s.cur.idbs
	if s.spill != nil && s.spill.active() {
		if s.spill.append(s.cur) {
			s.cur.reset()
			s.pending = 0
			return true
		}
		// Spill full: wait until it is replayed, then go on below.
		s.waitSpill(ctx)
	}
	next := s.takeFree()
	if next == nil {
		switch s.policy {
		case Drop:
			return false
		case Spill:
			if s.spill.append(s.cur) {
				s.cur.reset()
				s.pending = 0
				return true
			}
		}
		next = s.waitFree(ctx)
		if next == nil {
			return true // cancelled: the batch stays current, finish handles it
		}
	}
	s.full <- s.cur
	s.cur = next
	s.pending = 0
	return true
}

// takeFree returns an empty batch without waiting, or nil when the output
// holds all it may (its queue is full).
func (s *sink) takeFree() *batch { return s.pool.take(s) }

// blockReport is how often a blocked output is reported.
const blockReport = 10 * time.Second

// waitFree waits for the writer to free a batch, saying on the log which
// output blocks and for how long. It returns nil when ctx is done.
func (s *sink) waitFree(ctx context.Context) *batch {
	start := time.Now()
	t := time.NewTicker(time.Second)
	defer t.Stop()
	var reported time.Time
	for {
		if b := s.pool.take(s); b != nil {
			d := time.Since(start)
			s.blockedNs += int64(d)
			if !reported.IsZero() {
				s.log.printf("%s: unblocked after %.1fs", s.name(), d.Seconds())
			}
			return b
		}
		select {
		case <-s.pool.back:
		case <-ctx.Done():
			s.blockedNs += int64(time.Since(start))
			return nil
		case now := <-t.C:
			if now.Sub(reported) >= blockReport {
				reported = now
				s.log.printf("%s: blocked for %.0fs: its worker is not reading (--on-full %v)", s.name(), now.Sub(start).Seconds(), s.policy)
			}
			if s.onWait != nil {
				s.onWait()
			}
		}
	}
}

// waitSpill waits until the spill file has been replayed (or ctx is done).
func (s *sink) waitSpill(ctx context.Context) {
	start := time.Now()
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	for s.spill.active() {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
	s.blockedNs += int64(time.Since(start))
}

// finishAll finishes every sink: all queues are closed first and the
// writers drain concurrently, so one slow output does not keep the others'
// readers from their end of file.
func finishAll(sinks []*sink, drain context.Context) error {
	for _, s := range sinks {
		s.closeQueue(drain)
	}
	var first error
	for _, s := range sinks {
		if err := s.wait(drain); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// closeQueue hands over what is left and closes the queue: the writer
// ends once it has written (or given up on) every queued batch.
func (s *sink) closeQueue(drain context.Context) {
	s.submit(drain)
	if len(s.cur.b) > 0 { // cancelled or dropped: it will never be written
		if s.spill == nil || !s.spill.append(s.cur) {
			s.dropped.add(s.cur.packets, s.cur.bytes)
		}
		s.cur.reset()
	}
	if s.policy != Block {
		s.cancelWait()
	}
	close(s.full)
}

// wait waits for the writer to finish and close the output. When drain is
// done first, the writer's waits are cut short: what it still holds is
// counted as dropped (or, under Spill, left in the spill file).
func (s *sink) wait(drain context.Context) error {
	t := time.NewTicker(blockReport)
	defer t.Stop()
	for done := false; !done; {
		select {
		case <-s.done:
			done = true
		case <-t.C:
			s.log.printf("%s: still writing what it holds (%d more batches queued): its worker is not reading (--on-full %v)", s.name(), len(s.full), s.policy)
		case <-drain.Done():
			s.cancel()
			s.unblock()
			<-s.done
			done = true
		}
	}
	s.cancel()
	return s.error()
}

// stats returns the output's counters; call it after finish.
func (s *sink) stats() OutputStats {
	w, d, r := s.written.load(), s.dropped.load(), s.replayed.load()
	o := OutputStats{
		Index:           s.index,
		Path:            s.path,
		Packets:         s.routed.packets,
		Bytes:           s.routed.bytes,
		WrittenPackets:  w.packets,
		WrittenBytes:    w.bytes,
		DroppedPackets:  d.packets,
		DroppedBytes:    d.bytes,
		ReplayedPackets: r.packets,
		Reconnects:      s.reconnects.Load(),
		BlockedSeconds:  time.Duration(s.blockedNs).Seconds(),
		Down:            s.down.Load(),
		QueueFill:       float64(len(s.full)) / float64(cap(s.full)),
	}
	if s.spill != nil {
		sp, kept := s.spill.stats()
		o.SpilledPackets, o.SpilledBytes, o.SpillFile = sp.packets, sp.bytes, kept
	}
	return o
}
