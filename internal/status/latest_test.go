package status

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/flowsplit/flowsplit/splitter"
)

func TestLatest(t *testing.T) {
	c := newFakeClock()
	l := NewLatest(c)
	if l.Load() != nil {
		t.Fatal("Load before Store must be nil")
	}
	st := snap(10, 5, 500)
	st.Input.LastPacketTime, st.Input.LagSeconds = 1e9, 2
	l.Store(st)

	// The engine sends nothing while it waits: elapsed and lag go on.
	c.Advance(1500 * time.Millisecond)
	got := l.Load()
	if got.ElapsedSeconds != 11.5 || got.Input.LagSeconds != 3.5 || got.Input.Packets != 5 {
		t.Errorf("Load after 1.5s: elapsed %v lag %v packets %d, want 11.5 3.5 5", got.ElapsedSeconds, got.Input.LagSeconds, got.Input.Packets)
	}
	if st.ElapsedSeconds != 10 || st.Input.LagSeconds != 2 {
		t.Error("Load modified the stored snapshot")
	}

	// No packet yet: no lag to advance.
	l.Store(snap(1, 0, 0))
	c.Advance(time.Second)
	if got := l.Load(); got.Input.LagSeconds != 0 || got.ElapsedSeconds != 2 {
		t.Errorf("before the first packet: lag %v elapsed %v, want 0 and 2", got.Input.LagSeconds, got.ElapsedSeconds)
	}

	// The final statistics stay as they are, and win over late snapshots.
	final := snap(20, 9, 900)
	l.Final(final)
	l.Store(snap(30, 1, 1))
	c.Advance(time.Hour)
	if got := l.Load(); got.ElapsedSeconds != 20 || got.Input.Packets != 9 {
		t.Errorf("after Final: elapsed %v packets %d, want 20 and 9", got.ElapsedSeconds, got.Input.Packets)
	}
	l.Store(nil)
	l.Final(nil)
	if l.Load() == nil {
		t.Error("nil Store or Final cleared the snapshot")
	}
}

func TestInputSize(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pcapHeader := []byte{0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 1, 0, 0, 0}
	tests := []struct {
		name string
		path string
		want int64
	}{
		{"pcap", write("a.pcap", pcapHeader), 24},
		{"gzip", write("a.pcap.gz", []byte{0x1f, 0x8b, 8, 0, 0, 0}), 0},
		{"zstd", write("a.pcap.zst", []byte{0x28, 0xb5, 0x2f, 0xfd, 0, 0}), 0},
		{"short file", write("short", []byte{0x1f}), 1},
		{"stdin", "-", 0},
		{"empty name", "", 0},
		{"missing", filepath.Join(dir, "missing"), 0},
		{"directory", dir, 0},
		{"device", os.DevNull, 0},
	}
	for _, tt := range tests {
		if got := InputSize(tt.path); got != tt.want {
			t.Errorf("%s: InputSize(%q) = %d, want %d", tt.name, tt.path, got, tt.want)
		}
	}

	// Several inputs: the sum, an empty file adding nothing; one input of
	// unknown size (compressed, stdin) makes the total unknown.
	pcap, empty := filepath.Join(dir, "a.pcap"), write("empty.pcap", nil)
	for _, tt := range []struct {
		paths []string
		want  int64
	}{
		{[]string{pcap, empty, pcap}, 48},
		{[]string{pcap, filepath.Join(dir, "a.pcap.gz")}, 0},
		{[]string{pcap, "-"}, 0},
		{[]string{empty}, 0},
	} {
		if got := InputsSize(tt.paths); got != tt.want {
			t.Errorf("InputsSize(%v) = %d, want %d", tt.paths, got, tt.want)
		}
	}
}

// TestMeterFromLatest: a meter fed from Latest every interval measures the
// rate over the interval, also across a pause of the engine.
func TestMeterFromLatest(t *testing.T) {
	c := newFakeClock()
	l := NewLatest(c)
	m := NewMeter(c, MeterOptions{})
	l.Store(&splitter.Stats{ElapsedSeconds: 60, Input: splitter.InputStats{Packets: 6000}})
	m.Observe(l.Load())
	// The engine delivers one more snapshot 30 s later, then pauses.
	c.Advance(30 * time.Second)
	l.Store(&splitter.Stats{ElapsedSeconds: 90, Input: splitter.InputStats{Packets: 9000}})
	c.Advance(30 * time.Second)
	m.Observe(l.Load())
	if v, _ := m.View(); !near(v.PacketRate, 50) {
		t.Errorf("rate over the interval %v, want 3000 packets / 60 s = 50", v.PacketRate)
	}
}

func TestTerminalNotATerminal(t *testing.T) {
	f, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, ok := Terminal(f); ok {
		t.Errorf("%s is a character device but not a terminal", os.DevNull)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if _, ok := Terminal(w); ok {
		t.Error("a pipe is not a terminal")
	}
}
