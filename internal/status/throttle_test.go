package status

import (
	"testing"
	"time"
)

func TestThrottle(t *testing.T) {
	c := newFakeClock()
	th := NewThrottle(c, time.Minute)
	// steps: advance the clock, then call Due.
	steps := []struct {
		advance time.Duration
		want    bool
	}{
		{0, false},                // not at creation
		{59 * time.Second, false}, // 59s
		{time.Second, true},       // 60s: first interval over
		{0, false},                // at most once per interval
		{30 * time.Second, false}, // 90s
		{30 * time.Second, true},  // 120s
		{10 * time.Minute, true},  // long stall: fires once...
		{time.Second, false},      // ...not in a burst
		{59 * time.Second, true},  // next interval counted from the last true
		{-time.Hour, false},       // the clock stepped back: wait
	}
	for i, s := range steps {
		c.Advance(s.advance)
		if got := th.Due(); got != s.want {
			t.Fatalf("step %d (+%v): Due() = %v, want %v", i, s.advance, got, s.want)
		}
	}
}

func TestThrottleZeroInterval(t *testing.T) {
	th := NewThrottle(newFakeClock(), 0)
	for i := range 3 {
		if !th.Due() {
			t.Fatalf("call %d: a zero interval must always be due", i)
		}
	}
}
