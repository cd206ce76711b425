package status

import "time"

// Throttle spaces periodic work: Due reports true at most once per interval.
// It is not safe for concurrent use.
type Throttle struct {
	clock Clock
	every time.Duration
	next  time.Time
}

// NewThrottle returns a Throttle whose first Due is one interval after now.
// An interval <= 0 makes every call due.
func NewThrottle(c Clock, every time.Duration) *Throttle {
	return &Throttle{clock: c, every: every, next: c.Now().Add(every)}
}

// Due reports whether an interval has passed since the last time it
// returned true (or since NewThrottle). The next interval starts now, not
// at the missed deadline: after a stall it fires once, not in a burst.
func (t *Throttle) Due() bool {
	now := t.clock.Now()
	if now.Before(t.next) {
		return false
	}
	t.next = now.Add(t.every)
	return true
}
