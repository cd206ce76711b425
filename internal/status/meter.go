package status

import (
	"sync"
	"time"

	"github.com/flowsplit/flowsplit/splitter"
)

// DefaultStaleAfter is the default MeterOptions.StaleAfter.
const DefaultStaleAfter = 3 * time.Second

// blockedMin is the share of time an output must have held up the input
// over the last interval to be reported as blocking it.
const blockedMin = 0.05

// MeterOptions configure a Meter.
type MeterOptions struct {
	// InputSize is the size in bytes of the input capture when it is a
	// regular, uncompressed file (see InputSize); 0 when unknown, and then
	// there is no progress or ETA.
	InputSize int64
	// StaleAfter is how long without a new snapshot means that the engine
	// is stalled: it delivers none while it waits for input or for a
	// blocked output. The rates drop to zero and the view is Stalled.
	// 0 means DefaultStaleAfter.
	StaleAfter time.Duration
}

// Meter computes a View from successive snapshots. Rates are measured
// between the last two snapshots on their own time base
// (Stats.ElapsedSeconds), so they do not depend on when Observe is called.
// It is safe for concurrent use.
type Meter struct {
	clock Clock
	opt   MeterOptions

	mu     sync.Mutex
	cur    *splitter.Stats
	curAt  time.Time // clock time of the last Observe
	rates  rates
	hasCur bool
}

// rates is what a Meter derives from two successive snapshots.
type rates struct {
	pps, bps     float64 // packets and captured bits per second
	busiest      int     // output index, -1 when none
	busiestShare float64
	blocked      int // output index, -1 when none
	blockedShare float64
}

// NewMeter returns a Meter on clock c.
func NewMeter(c Clock, o MeterOptions) *Meter {
	if o.StaleAfter <= 0 {
		o.StaleAfter = DefaultStaleAfter
	}
	return &Meter{clock: c, opt: o, rates: rates{busiest: -1, blocked: -1}}
}

// Observe feeds the next snapshot. A snapshot that is not newer than the
// previous one (same ElapsedSeconds) keeps the previous rates. st must not
// be modified afterwards.
func (m *Meter) Observe(st *splitter.Stats) {
	if st == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	prev := m.cur
	m.cur, m.curAt, m.hasCur = st, m.clock.Now(), true
	if prev == nil {
		m.rates = measure(nil, st, st.ElapsedSeconds)
		return
	}
	if dt := st.ElapsedSeconds - prev.ElapsedSeconds; dt > 0 {
		m.rates = measure(prev, st, dt)
	}
}

// measure derives the rates between prev (nil: the start of the run) and
// cur, dt seconds apart.
func measure(prev, cur *splitter.Stats, dt float64) rates {
	r := rates{busiest: -1, blocked: -1}
	if dt <= 0 {
		return r
	}
	var p0, b0 uint64
	if prev != nil {
		p0, b0 = prev.Input.Packets, prev.Input.Bytes
	}
	r.pps = float64(sub(cur.Input.Packets, p0)) / dt
	r.bps = 8 * float64(sub(cur.Input.Bytes, b0)) / dt

	// Busiest: the largest share of the packets routed in the interval;
	// with none routed in it, the largest share of the whole run.
	var total uint64
	delta := make([]uint64, len(cur.Outputs))
	for i, o := range cur.Outputs {
		delta[i] = sub(o.Packets, prevOutput(prev, i).Packets)
		total += delta[i]
	}
	if total == 0 {
		for i, o := range cur.Outputs {
			delta[i] = o.Packets
			total += o.Packets
		}
	}
	if total > 0 {
		best := 0
		for i := range delta {
			if delta[i] > delta[best] {
				best = i
			}
		}
		r.busiest, r.busiestShare = cur.Outputs[best].Index, float64(delta[best])/float64(total)
	}

	// Blocked: the output the input waited for the longest in the
	// interval, as a share of it.
	for i, o := range cur.Outputs {
		share := (o.BlockedSeconds - prevOutput(prev, i).BlockedSeconds) / dt
		if share >= blockedMin && share > r.blockedShare {
			r.blocked, r.blockedShare = o.Index, min(share, 1)
		}
	}
	return r
}

// prevOutput returns output i of prev, or zero counters.
func prevOutput(prev *splitter.Stats, i int) splitter.OutputStats {
	if prev == nil || i >= len(prev.Outputs) {
		return splitter.OutputStats{}
	}
	return prev.Outputs[i]
}

// sub is a-b, or 0 when a counter went backwards.
func sub(a, b uint64) uint64 {
	if a < b {
		return 0
	}
	return a - b
}

// View returns what the last snapshot says as of now, or ok=false before
// the first snapshot.
func (m *Meter) View() (v View, ok bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.hasCur {
		return View{}, false
	}
	now := m.clock.Now()
	st := m.cur
	v = View{
		Packets:      st.Input.Packets,
		Bytes:        st.Input.Bytes,
		PacketRate:   m.rates.pps,
		BitRate:      m.rates.bps,
		Busiest:      m.rates.busiest,
		BusiestShare: m.rates.busiestShare,
		Blocked:      m.rates.blocked,
		BlockedShare: m.rates.blockedShare,
	}
	if age := now.Sub(m.curAt); age >= m.opt.StaleAfter {
		v.Stalled, v.StalledFor = true, age
		v.PacketRate, v.BitRate = 0, 0
		v.Blocked, v.BlockedShare = -1, 0
	}
	if st.Input.LastPacketTime != 0 {
		v.HasLag = true
		last := time.Unix(0, int64(st.Input.LastPacketTime*1e9))
		v.Lag = now.Sub(last)
	}
	for _, o := range st.Outputs {
		if o.Down {
			v.Down = append(v.Down, o.Index)
		}
	}
	if w := st.Weird.Output; w != nil && w.Down {
		v.Down = append(v.Down, w.Index)
	}
	m.progress(&v, st)
	return v, true
}

// progress fills the progress and ETA of v from the stream position.
func (m *Meter) progress(v *View, st *splitter.Stats) {
	size, done := m.opt.InputSize, st.Input.StreamBytes
	if size <= 0 || done < 0 || done > size {
		// Unknown size, or a stream longer than the file (the size was
		// not the stream's): no progress rather than a wrong one.
		return
	}
	v.HasProgress = true
	v.Progress = float64(done) / float64(size)
	if done > 0 && st.ElapsedSeconds > 0 {
		// The average speed since the start: steadier than the last
		// second's, and right for a file read at full speed.
		rate := float64(done) / st.ElapsedSeconds
		v.HasETA = true
		v.ETA = time.Duration(float64(size-done) / rate * float64(time.Second))
	}
}
