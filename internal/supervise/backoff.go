package supervise

import "time"

// Default restart delays: 100ms, doubling up to 5s.
const (
	DefaultBackoffMin = 100 * time.Millisecond
	DefaultBackoffMax = 5 * time.Second
)

// Backoff is an exponential delay between restarts.
type Backoff struct {
	Min, Max time.Duration
}

// Delay returns the wait before restart number n (0 for the first): Min
// doubled n times, at most Max. A zero Min or Max takes the default.
func (b Backoff) Delay(n int) time.Duration {
	lo, hi := b.Min, b.Max
	if lo <= 0 {
		lo = DefaultBackoffMin
	}
	if hi <= 0 {
		hi = DefaultBackoffMax
	}
	d := lo
	for range max(n, 0) {
		if d >= hi/2 {
			return hi
		}
		d *= 2
	}
	return min(d, hi)
}
