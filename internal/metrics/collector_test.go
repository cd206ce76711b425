package metrics

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/flowsplit/flowsplit/splitter"
)

func TestCollector(t *testing.T) {
	st := &splitter.Stats{
		Input: splitter.InputStats{Packets: 100, Bytes: 6400, StreamBytes: 8024, SkippedBytes: 3, Resyncs: 1,
			LastPacketTime: 1700000000.5, LagSeconds: 11520},
		Outputs: []splitter.OutputStats{
			{Index: 0, Packets: 60, Bytes: 4000, WrittenPackets: 50, DroppedPackets: 10, BlockedSeconds: 1.5},
			{Index: 1, Packets: 30, Bytes: 2000, SpilledPackets: 7, ReplayedPackets: 5, Reconnects: 2, Down: true},
		},
		Weird:   splitter.WeirdStats{Packets: 10, Bytes: 400, Output: &splitter.OutputStats{Index: -1, Packets: 10}},
		Routing: splitter.RouteStats{FragmentsHeld: 4, FragmentsTimedOut: 2, FlowTableSize: 1234, FlowEvictions: 9},
	}
	var src Source = func() *splitter.Stats { return st }
	srv := httptest.NewServer(Handler(src))
	defer srv.Close()
	got := scrape(t, srv.URL)
	want := map[string]float64{
		"flowsplit_input_packets_total":                       100,
		"flowsplit_input_bytes_total":                         6400,
		"flowsplit_input_stream_bytes_total":                  8024,
		"flowsplit_input_skipped_bytes_total":                 3,
		"flowsplit_input_resyncs_total":                       1,
		"flowsplit_lag_seconds":                               11520,
		"flowsplit_last_packet_timestamp_seconds":             1700000000.5,
		"flowsplit_weird_packets_total":                       10,
		"flowsplit_weird_bytes_total":                         400,
		"flowsplit_fragments_held":                            4,
		"flowsplit_fragments_timed_out_total":                 2,
		"flowsplit_flow_table_flows":                          1234,
		"flowsplit_flow_evictions_total":                      9,
		`flowsplit_output_packets_total{output="0"}`:          60,
		`flowsplit_output_packets_total{output="1"}`:          30,
		`flowsplit_output_packets_total{output="weird"}`:      10,
		`flowsplit_output_bytes_total{output="1"}`:            2000,
		`flowsplit_output_written_packets_total{output="0"}`:  50,
		`flowsplit_output_dropped_packets_total{output="0"}`:  10,
		`flowsplit_output_spilled_packets_total{output="1"}`:  7,
		`flowsplit_output_replayed_packets_total{output="1"}`: 5,
		`flowsplit_output_reconnects_total{output="1"}`:       2,
		`flowsplit_output_blocked_seconds_total{output="0"}`:  1.5,
		`flowsplit_output_down{output="0"}`:                   0,
		`flowsplit_output_down{output="1"}`:                   1,
	}
	for k, v := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("%s missing", k)
		} else if g != v {
			t.Errorf("%s = %v, want %v", k, g, v)
		}
	}
	// The Go and process collectors are there too.
	if _, ok := got["go_goroutines"]; !ok {
		t.Error("go_goroutines missing")
	}
	for k := range got {
		if strings.HasPrefix(k, "flowsplit_") && strings.Contains(k, "{") && !strings.Contains(k, `output="`) {
			t.Errorf("%s: a labelled flowsplit metric without an output label", k)
		}
	}
}

// TestCollectorBeforeFirstSnapshot: no flowsplit metrics, no error.
func TestCollectorBeforeFirstSnapshot(t *testing.T) {
	srv := httptest.NewServer(Handler(func() *splitter.Stats { return nil }))
	defer srv.Close()
	for k := range scrape(t, srv.URL) {
		if strings.HasPrefix(k, "flowsplit_") {
			t.Errorf("%s reported before the first snapshot", k)
		}
	}
}

func TestOutputLabel(t *testing.T) {
	for i, want := range map[int]string{-1: "weird", 0: "0", 17: "17"} {
		if got := OutputLabel(i); got != want {
			t.Errorf("OutputLabel(%d) = %q, want %q", i, got, want)
		}
	}
}
