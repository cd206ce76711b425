// Package human renders counts, sizes, rates and durations for people:
// the summary, the status line and the log. Pure functions, safe for
// concurrent use.
package human

import (
	"fmt"
	"math"
	"time"
)

// Count renders n with an SI suffix and three significant digits:
// 999, 12.3k, 1.23M, 4.56G.
func Count(n uint64) string {
	f := float64(n)
	switch {
	case f < 1e3:
		return fmt.Sprintf("%d", n)
	case f < 1e6:
		return sig3(f/1e3) + "k"
	case f < 1e9:
		return sig3(f/1e6) + "M"
	case f < 1e12:
		return sig3(f/1e9) + "G"
	}
	return sig3(f/1e12) + "T"
}

// sig3 renders f (1 <= f < 1000) with three significant digits.
func sig3(f float64) string {
	switch {
	case f < 10:
		return fmt.Sprintf("%.2f", f)
	case f < 100:
		return fmt.Sprintf("%.1f", f)
	}
	return fmt.Sprintf("%.0f", f)
}

// Bytes renders a byte count in decimal units: 512 B, 1.5 kB, 2.3 GB.
func Bytes(n uint64) string {
	b := float64(n)
	if b < 1000 {
		return fmt.Sprintf("%d B", n)
	}
	for _, u := range []string{"kB", "MB", "GB", "TB"} {
		b /= 1000
		if b < 1000 {
			return fmt.Sprintf("%.1f %s", b, u)
		}
	}
	return fmt.Sprintf("%.1f PB", b/1000)
}

// PacketRate renders packets per second: 850 pps, 12.5 kpps, 1.25 Mpps.
func PacketRate(pps float64) string {
	switch {
	case pps >= 1e6:
		return fmt.Sprintf("%.2f Mpps", pps/1e6)
	case pps >= 1e3:
		return fmt.Sprintf("%.1f kpps", pps/1e3)
	}
	return fmt.Sprintf("%.0f pps", pps)
}

// BitRate renders bits per second: 800 bit/s, 1.5 Mbit/s, 6.12 Gbit/s.
func BitRate(bps float64) string {
	switch {
	case bps >= 1e9:
		return fmt.Sprintf("%.2f Gbit/s", bps/1e9)
	case bps >= 1e6:
		return fmt.Sprintf("%.1f Mbit/s", bps/1e6)
	case bps >= 1e3:
		return fmt.Sprintf("%.1f kbit/s", bps/1e3)
	}
	return fmt.Sprintf("%.0f bit/s", bps)
}

// Duration renders d with its two largest units, for lags and ETAs:
// 0.4s, 12s, 3m05s, 3h12m, 5d03h. Negative durations (a capture clock ahead
// of the wall clock) get a minus sign.
func Duration(d time.Duration) string {
	if d < 0 {
		if d == math.MinInt64 {
			d++
		}
		return "-" + Duration(-d)
	}
	const day = 24 * time.Hour
	switch {
	case d < 10*time.Second:
		return fmt.Sprintf("%.1fs", d.Seconds())
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d/time.Minute), int(d%time.Minute/time.Second))
	case d < day:
		return fmt.Sprintf("%dh%02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
	}
	return fmt.Sprintf("%dd%02dh", int64(d/day), int(d%day/time.Hour))
}
