package status

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/flowsplit/flowsplit/internal/human"
)

// View is what an operator wants to know about a running split, as of one
// moment.
type View struct {
	// Packets and Bytes are the records read and their captured bytes.
	Packets, Bytes uint64
	// PacketRate (packets/s) and BitRate (captured bits/s) are measured
	// between the last two snapshots.
	PacketRate, BitRate float64
	// Stalled is true when no snapshot came for MeterOptions.StaleAfter:
	// the engine waits for input or for a blocked output. StalledFor is
	// the age of the last snapshot.
	Stalled    bool
	StalledFor time.Duration
	// Lag is the wall clock minus the capture time of the last packet
	// read; HasLag is false before the first packet.
	Lag    time.Duration
	HasLag bool
	// Progress (0..1) is the share of the input file consumed, and ETA the
	// time left at the average speed so far; only for a regular,
	// uncompressed input file.
	Progress    float64
	HasProgress bool
	ETA         time.Duration
	HasETA      bool
	// Busiest is the index of the output that got the largest share of the
	// last interval's packets (-1 when none), BusiestShare that share.
	Busiest      int
	BusiestShare float64
	// Blocked is the index of the output the input waited for the longest
	// in the last interval (-1 when none), BlockedShare the share of the
	// interval it waited.
	Blocked      int
	BlockedShare float64
	// Down lists the outputs without a reader (-1 is the weird output).
	Down []int
}

// Line renders v as a compact status line for a terminal, such as
//
//	1.23M pkts  1.1 GB  850.0 kpps  6.12 Gbit/s  lag 3h12m  42.0% ETA 1m30s  busiest #3 31%
func (v View) Line() string { return v.FitLine(0) }

// FitLine is Line without the trailing parts that do not fit in width
// columns (no limit when width <= 0); it keeps at least the first part.
// Trouble (an output blocking the input, outputs down) comes before the
// busiest output, which is dropped first.
func (v View) FitLine(width int) string {
	parts := []string{
		human.Count(v.Packets) + " pkts",
		human.Bytes(v.Bytes),
	}
	if v.Stalled {
		parts = append(parts, "stalled "+human.Duration(v.StalledFor))
	} else {
		parts = append(parts, human.PacketRate(v.PacketRate), human.BitRate(v.BitRate))
	}
	parts = v.appendTail(parts, "#", "down ", "#")
	const sep = "  "
	n := len(parts[0])
	keep := 1
	for _, p := range parts[1:] {
		if width > 0 && n+len(sep)+len(p) > width {
			break
		}
		n += len(sep) + len(p)
		keep++
	}
	return strings.Join(parts[:keep], sep)
}

// LogLine renders v as one plain log line, such as
//
//	1234567 packets, 1.1 GB, 850.0 kpps, 6.12 Gbit/s, lag 3h12m, 42.0% ETA 1m30s, busiest output 3 31%
func (v View) LogLine() string {
	parts := []string{
		strconv.FormatUint(v.Packets, 10) + " packets",
		human.Bytes(v.Bytes),
	}
	if v.Stalled {
		parts = append(parts, "stalled for "+human.Duration(v.StalledFor))
	} else {
		parts = append(parts, human.PacketRate(v.PacketRate), human.BitRate(v.BitRate))
	}
	return strings.Join(v.appendTail(parts, "output ", "outputs down: ", ""), ", ")
}

// appendTail appends the lag, progress and output parts. Outputs are named
// with prefix, and in the list of those down with listPrefix after
// downLabel.
func (v View) appendTail(parts []string, prefix, downLabel, listPrefix string) []string {
	if v.HasLag {
		parts = append(parts, "lag "+human.Duration(v.Lag))
	}
	if v.HasProgress {
		p := fmt.Sprintf("%.1f%%", 100*v.Progress)
		if v.HasETA {
			p += " ETA " + human.Duration(v.ETA)
		}
		parts = append(parts, p)
	}
	if v.Blocked >= 0 {
		parts = append(parts, fmt.Sprintf("blocked on %s %.0f%%", outputName(prefix, v.Blocked), 100*v.BlockedShare))
	}
	if len(v.Down) > 0 {
		const show = 4
		names := make([]string, 0, show+1)
		for i, d := range v.Down {
			if i == show {
				names = append(names, fmt.Sprintf("+%d", len(v.Down)-show))
				break
			}
			names = append(names, outputName(listPrefix, d))
		}
		parts = append(parts, downLabel+strings.Join(names, ","))
	}
	if v.Busiest >= 0 {
		parts = append(parts, fmt.Sprintf("busiest %s %.0f%%", outputName(prefix, v.Busiest), 100*v.BusiestShare))
	}
	return parts
}

// outputName names output i: prefix and its index, or "weird".
func outputName(prefix string, i int) string {
	if i < 0 {
		return "weird"
	}
	return prefix + strconv.Itoa(i)
}
