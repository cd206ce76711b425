package status

import (
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/flowsplit/flowsplit/splitter"
)

// out is one output's counters in a test snapshot.
type out struct {
	packets uint64
	blocked float64
	down    bool
}

// snap builds a snapshot taken elapsed seconds into the run.
func snap(elapsed float64, packets, bytes uint64, outs ...out) *splitter.Stats {
	st := &splitter.Stats{ElapsedSeconds: elapsed}
	st.Input.Packets, st.Input.Bytes = packets, bytes
	for i, o := range outs {
		st.Outputs = append(st.Outputs, splitter.OutputStats{
			Index: i, Packets: o.packets, BlockedSeconds: o.blocked, Down: o.down,
		})
	}
	return st
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func TestMeterRates(t *testing.T) {
	c := newFakeClock()
	m := NewMeter(c, MeterOptions{})
	if _, ok := m.View(); ok {
		t.Fatal("View before any snapshot must say ok=false")
	}

	// First snapshot, 2 s into the run: rates are averages since the start.
	s1 := snap(2, 2_000_000, 1_000_000_000, out{packets: 1_500_000}, out{packets: 500_000})
	s1.Input.LastPacketTime = float64(c.Now().Add(-(3*time.Hour + 12*time.Minute)).UnixNano()) / 1e9
	m.Observe(s1)
	v, ok := m.View()
	if !ok {
		t.Fatal("no view after a snapshot")
	}
	if !near(v.PacketRate, 1e6) || !near(v.BitRate, 4e9) {
		t.Errorf("first rates %v pps %v bit/s, want 1e6 and 4e9", v.PacketRate, v.BitRate)
	}
	if v.Busiest != 0 || !near(v.BusiestShare, 0.75) {
		t.Errorf("busiest %d %.2f, want 0 0.75", v.Busiest, v.BusiestShare)
	}
	if !v.HasLag || v.Lag.Round(time.Millisecond) != 3*time.Hour+12*time.Minute {
		t.Errorf("lag %v (has %v), want 3h12m", v.Lag, v.HasLag)
	}

	// One second later: rates over that second only, and the busiest
	// output is the one that got most of that second's packets, even if
	// output 0 leads over the whole run; output 0 made the input wait half
	// of the second.
	c.Advance(time.Second)
	s2 := snap(3, 2_500_000, 1_250_000_000, out{packets: 1_600_000, blocked: 0.5}, out{packets: 900_000})
	s2.Input.LastPacketTime = s1.Input.LastPacketTime + 1
	m.Observe(s2)
	v, _ = m.View()
	if !near(v.PacketRate, 5e5) || !near(v.BitRate, 2e9) {
		t.Errorf("rates %v pps %v bit/s, want 5e5 and 2e9", v.PacketRate, v.BitRate)
	}
	if v.Busiest != 1 || !near(v.BusiestShare, 0.8) {
		t.Errorf("busiest %d %.2f, want 1 0.80", v.Busiest, v.BusiestShare)
	}
	if v.Blocked != 0 || !near(v.BlockedShare, 0.5) {
		t.Errorf("blocked %d %.2f, want 0 0.50", v.Blocked, v.BlockedShare)
	}
	if got := v.Line(); got != "2.50M pkts  1.2 GB  500.0 kpps  2.00 Gbit/s  lag 3h12m  blocked on #0 50%  busiest #1 80%" {
		t.Errorf("Line() = %q", got)
	}
	if got := v.LogLine(); got != "2500000 packets, 1.2 GB, 500.0 kpps, 2.00 Gbit/s, lag 3h12m, blocked on output 0 50%, busiest output 1 80%" {
		t.Errorf("LogLine() = %q", got)
	}

	// A snapshot no newer than the last keeps the rates.
	s3 := *s2
	m.Observe(&s3)
	if v2, _ := m.View(); !near(v2.PacketRate, 5e5) {
		t.Errorf("same-time snapshot changed the rate to %v", v2.PacketRate)
	}

	// No snapshot for StaleAfter: stalled, rates zero, and the lag keeps
	// growing with the wall clock.
	c.Advance(DefaultStaleAfter)
	v, _ = m.View()
	if !v.Stalled || v.StalledFor != DefaultStaleAfter || v.PacketRate != 0 || v.BitRate != 0 || v.Blocked != -1 {
		t.Errorf("after %v without snapshot: %+v, want stalled with zero rates", DefaultStaleAfter, v)
	}
	if want := 3*time.Hour + 12*time.Minute + 3*time.Second; v.Lag.Round(time.Millisecond) != want {
		t.Errorf("stalled lag %v, want %v", v.Lag, want)
	}
	if got := v.Line(); got != "2.50M pkts  1.2 GB  stalled 3.0s  lag 3h12m  busiest #1 80%" {
		t.Errorf("stalled Line() = %q", got)
	}
}

func TestMeterBusiestFallsBackToWholeRun(t *testing.T) {
	c := newFakeClock()
	m := NewMeter(c, MeterOptions{})
	m.Observe(snap(1, 100, 6400, out{packets: 30}, out{packets: 70}))
	c.Advance(time.Second)
	m.Observe(snap(2, 100, 6400, out{packets: 30}, out{packets: 70})) // nothing new
	v, _ := m.View()
	if v.PacketRate != 0 || v.Busiest != 1 || !near(v.BusiestShare, 0.7) {
		t.Errorf("idle interval: rate %v busiest %d %.2f, want 0, 1, 0.70", v.PacketRate, v.Busiest, v.BusiestShare)
	}

	m = NewMeter(c, MeterOptions{})
	m.Observe(snap(1, 0, 0, out{}, out{}))
	if v, _ := m.View(); v.Busiest != -1 || v.Blocked != -1 || v.HasLag {
		t.Errorf("empty run: busiest %d blocked %d lag %v, want none", v.Busiest, v.Blocked, v.HasLag)
	}
}

func TestMeterBlockedBelowThreshold(t *testing.T) {
	c := newFakeClock()
	m := NewMeter(c, MeterOptions{})
	m.Observe(snap(1, 10, 10, out{blocked: 0.01}, out{blocked: 0.02}))
	if v, _ := m.View(); v.Blocked != -1 {
		t.Errorf("blocked %d for 2%% of the time; want none below %.0f%%", v.Blocked, 100*blockedMin)
	}
	m.Observe(snap(2, 20, 20, out{blocked: 0.01}, out{blocked: 0.92}))
	if v, _ := m.View(); v.Blocked != 1 || !near(v.BlockedShare, 0.9) {
		t.Errorf("blocked %d %.2f, want 1 0.90", v.Blocked, v.BlockedShare)
	}
}

func TestMeterProgress(t *testing.T) {
	tests := []struct {
		name                string
		size, done          int64
		elapsed             float64
		wantHas, wantETAHas bool
		wantProgress        float64
		wantETA             time.Duration
		wantLinePart        string
	}{
		{"quarter", 1000, 250, 10, true, true, 0.25, 30 * time.Second, "25.0% ETA 30s"},
		{"start", 1000, 0, 0.5, true, false, 0, 0, "0.0%"},
		{"done", 1000, 1000, 4, true, true, 1, 0, "100.0% ETA 0.0s"},
		{"unknown size", 0, 250, 10, false, false, 0, 0, ""},
		{"stream beyond file", 1000, 5000, 10, false, false, 0, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewMeter(newFakeClock(), MeterOptions{InputSize: tt.size})
			st := snap(tt.elapsed, 1, 1)
			st.Input.StreamBytes = tt.done
			m.Observe(st)
			v, _ := m.View()
			if v.HasProgress != tt.wantHas || v.HasETA != tt.wantETAHas || !near(v.Progress, tt.wantProgress) || v.ETA != tt.wantETA {
				t.Errorf("progress %v %.3f ETA %v %v, want %v %.3f ETA %v %v",
					v.HasProgress, v.Progress, v.HasETA, v.ETA, tt.wantHas, tt.wantProgress, tt.wantETAHas, tt.wantETA)
			}
			if got := v.Line(); tt.wantLinePart != "" && !slices.Contains(strings.Split(got, "  "), tt.wantLinePart) {
				t.Errorf("Line() = %q, want a part %q", got, tt.wantLinePart)
			}
		})
	}
}

func TestMeterDown(t *testing.T) {
	m := NewMeter(newFakeClock(), MeterOptions{})
	outs := make([]out, 8)
	for _, i := range []int{1, 2, 4, 5, 7} {
		outs[i].down = true
	}
	st := snap(1, 0, 0, outs...)
	st.Weird.Output = &splitter.OutputStats{Index: -1, Down: true}
	m.Observe(st)
	v, _ := m.View()
	if want := []int{1, 2, 4, 5, 7, -1}; !reflect.DeepEqual(v.Down, want) {
		t.Errorf("Down = %v, want %v", v.Down, want)
	}
	if got, want := v.Line(), "0 pkts  0 B  0 pps  0 bit/s  down #1,#2,#4,#5,+2"; got != want {
		t.Errorf("Line() = %q, want %q", got, want)
	}
	if got, want := v.LogLine(), "0 packets, 0 B, 0 pps, 0 bit/s, outputs down: 1,2,4,5,+2"; got != want {
		t.Errorf("LogLine() = %q, want %q", got, want)
	}
}

func TestFitLine(t *testing.T) {
	v := View{Packets: 2_500_000, Bytes: 1_250_000_000, PacketRate: 5e5, BitRate: 2e9,
		HasLag: true, Lag: 3*time.Hour + 12*time.Minute, Busiest: 1, BusiestShare: 0.8, Blocked: 0, BlockedShare: 0.5}
	full := "2.50M pkts  1.2 GB  500.0 kpps  2.00 Gbit/s  lag 3h12m  blocked on #0 50%  busiest #1 80%"
	tests := []struct {
		width int
		want  string
	}{
		{0, full},
		{len(full), full},
		{len(full) - 1, "2.50M pkts  1.2 GB  500.0 kpps  2.00 Gbit/s  lag 3h12m  blocked on #0 50%"},
		{79, "2.50M pkts  1.2 GB  500.0 kpps  2.00 Gbit/s  lag 3h12m  blocked on #0 50%"},
		{40, "2.50M pkts  1.2 GB  500.0 kpps"},
		{3, "2.50M pkts"},
	}
	for _, tt := range tests {
		if got := v.FitLine(tt.width); got != tt.want {
			t.Errorf("FitLine(%d) = %q, want %q", tt.width, got, tt.want)
		}
	}
}
