package modebench

import (
	"fmt"
	"runtime"
	"slices"
	"sync/atomic"
	"time"

	"github.com/flowsplit/flowsplit/internal/pcapio"
	"github.com/flowsplit/flowsplit/splitter"
)

// Options tune a measurement. The zero value means the defaults.
type Options struct {
	// Outputs is the number of outputs (default 8).
	Outputs int
	// Rounds is how many timed passes over the capture are made per mode
	// (default 3); the median rate is reported.
	Rounds int
	// Progress, when set, is called before each mode is measured with its
	// 0-based position among total modes.
	Progress func(i, total int, mode string)
}

// Defaults.
const (
	DefaultOutputs = 8
	DefaultRounds  = 3
	// ChunkSize is the size of the cache-resident staging buffer: records
	// are copied into it chunk by chunk, like the engine's reads, and
	// routed from there. It stays below the size at which Go's memmove
	// switches to non-temporal stores (which would bypass the cache).
	ChunkSize = 256 << 10
)

func (o *Options) withDefaults() Options {
	v := *o
	if v.Outputs <= 0 {
		v.Outputs = DefaultOutputs
	}
	if v.Rounds <= 0 {
		v.Rounds = DefaultRounds
	}
	return v
}

// Result is one mode's measurement.
type Result struct {
	Mode  string `json:"mode"`
	Flags string `json:"flags"`
	// Packets and Bytes are the size of the capture (captured bytes).
	Packets int    `json:"packets"`
	Bytes   uint64 `json:"bytes"`
	// Mpps and Gbps are the routing core's median rate over the rounds:
	// millions of packets and gigabits of captured bytes per second.
	Mpps float64 `json:"mpps"`
	Gbps float64 `json:"gbps"`
	// NsPerPacket is the median time per packet.
	NsPerPacket float64 `json:"ns_per_packet"`
	// RoundMpps are the rates of every round, in order.
	RoundMpps []float64 `json:"round_mpps"`
	Balance   Balance   `json:"balance"`
}

// Measure measures every mode on c, in order.
func Measure(c *Capture, modes []Mode, opts Options) ([]Result, error) {
	o := opts.withDefaults()
	if c.Packets() == 0 {
		return nil, fmt.Errorf("empty capture")
	}
	st := newStaging(c)
	res := make([]Result, 0, len(modes))
	for i, m := range modes {
		if o.Progress != nil {
			o.Progress(i, len(modes), m.Name)
		}
		r, err := measureMode(c, st, m, o)
		if err != nil {
			return nil, fmt.Errorf("mode %s: %w", m.Name, err)
		}
		res = append(res, r)
	}
	return res, nil
}

func measureMode(c *Capture, st *staging, m Mode, o Options) (Result, error) {
	bal, err := balanceOf(c, m.Route, o.Outputs)
	if err != nil {
		return Result{}, err
	}
	res := Result{Mode: m.Name, Flags: m.Flags, Packets: c.Packets(), Bytes: c.Bytes(), Balance: bal}
	times := make([]time.Duration, 0, o.Rounds)
	for range o.Rounds {
		r, err := splitter.NewRouter(m.Route, o.Outputs)
		if err != nil {
			return Result{}, err
		}
		runtime.GC() // nothing of the previous round is collected during this one
		d := st.route(r)
		r.Close()
		times = append(times, d)
		res.RoundMpps = append(res.RoundMpps, mpps(c.Packets(), d))
	}
	slices.Sort(times)
	med := times[len(times)/2]
	res.Mpps = mpps(c.Packets(), med)
	res.Gbps = float64(c.Bytes()) * 8 / med.Seconds() / 1e9
	res.NsPerPacket = float64(med.Nanoseconds()) / float64(c.Packets())
	return res, nil
}

func mpps(packets int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(packets) / d.Seconds() / 1e6
}

// staging copies the capture into a cache-resident buffer chunk by chunk.
type staging struct {
	c      *Capture
	buf    []byte
	chunks []chunk
}

// chunk is a run of whole records, at most ChunkSize bytes unless one
// record alone is larger.
type chunk struct {
	first, end int   // record indexes [first, end)
	off, size  int64 // arena bytes
}

func newStaging(c *Capture) *staging {
	st := &staging{c: c}
	maxSize := int64(ChunkSize)
	cur := chunk{}
	for i := range c.recs {
		l := int64(c.recs[i].capLen)
		if cur.end > cur.first && cur.size+l > ChunkSize {
			st.chunks = append(st.chunks, cur)
			cur = chunk{first: i, off: c.recs[i].off}
		}
		cur.end = i + 1
		cur.size += l
		maxSize = max(maxSize, cur.size)
	}
	st.chunks = append(st.chunks, cur)
	st.buf = make([]byte, maxSize)
	return st
}

// route routes every record through r once and returns the time spent in
// the routing loop (Route, Release and the final Flush), staging excluded.
func (st *staging) route(r *splitter.Router) time.Duration {
	c := st.c
	var rec, ahead pcapio.Record
	sink := 0
	emit := func(_ *pcapio.Record, out int, _ bool) { sink += out }
	var total time.Duration
	for _, ch := range st.chunks {
		copy(st.buf, c.arena[ch.off:ch.off+ch.size])
		start := time.Now()
		// The lfu router decodes records lookAhead packets before it
		// routes them, to have its table's lines loaded in time.
		for i := ch.first; i < min(ch.first+lookAhead, ch.end); i++ {
			c.record(&ahead, i, st.buf, c.recs[i].off-ch.off)
			r.Prefetch(&ahead)
		}
		for i := ch.first; i < ch.end; i++ {
			if j := i + lookAhead; j < ch.end {
				c.record(&ahead, j, st.buf, c.recs[j].off-ch.off)
				r.Prefetch(&ahead)
			}
			c.record(&rec, i, st.buf, c.recs[i].off-ch.off)
			out, _, held := r.Route(&rec)
			if !held {
				sink += out
			}
			r.Release(emit)
		}
		total += time.Since(start)
	}
	start := time.Now()
	r.Flush(emit)
	total += time.Since(start)
	routeSink.Store(int64(sink))
	return total
}

// lookAhead is how many records ahead of Route the routing loop hands to
// Router.Prefetch (the engine does the same on mapped input).
const lookAhead = 8

// routeSink keeps the compiler from discarding the routing decisions.
var routeSink atomic.Int64
