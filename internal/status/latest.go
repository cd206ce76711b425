package status

import (
	"sync"
	"time"

	"github.com/flowsplit/flowsplit/splitter"
)

// Latest holds the newest statistics snapshot for readers on other
// goroutines. It is safe for concurrent use.
type Latest struct {
	clock Clock
	mu    sync.Mutex
	st    *splitter.Stats
	at    time.Time
	final bool
}

// NewLatest returns an empty Latest on clock c.
func NewLatest(c Clock) *Latest { return &Latest{clock: c} }

// Store makes st the newest snapshot. st must not be modified afterwards.
func (l *Latest) Store(st *splitter.Stats) {
	if st == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.final {
		return
	}
	l.st, l.at = st, l.clock.Now()
}

// Final stores the run's final statistics: Load returns them unchanged from
// now on, and later Stores are ignored.
func (l *Latest) Final(st *splitter.Stats) {
	if st == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.st, l.at, l.final = st, l.clock.Now(), true
}

// Load returns the newest snapshot brought up to now, or nil before the
// first Store. While a run goes on, the result is a shallow copy whose
// ElapsedSeconds and Input.LagSeconds are advanced by the time since it was
// stored: the engine delivers no snapshot while it waits for input, and the
// lag must keep growing then. The copy shares Outputs with the stored
// snapshot; callers must not modify it.
func (l *Latest) Load() *splitter.Stats {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.st == nil {
		return nil
	}
	st := *l.st
	if l.final {
		return &st
	}
	d := l.clock.Now().Sub(l.at).Seconds()
	if d > 0 {
		st.ElapsedSeconds += d
		if st.Input.LastPacketTime != 0 {
			st.Input.LagSeconds += d
		}
	}
	return &st
}
