package main

import (
	"io"
	"strings"
	"testing"
	"time"
)

// The flowsplit row's ratios compare medians with medians and best runs
// with best runs, each against its own setup's ceilings only.
func TestPrintTableRatios(t *testing.T) {
	ms := func(d ...int) (s []sample) {
		for _, v := range d {
			s = append(s, sample{wall: time.Duration(v) * time.Millisecond})
		}
		return s
	}
	rows := []*row{
		{setup: "a", tool: "cat", ceiling: true, samples: ms(200, 190, 900)},
		{setup: "a", tool: "flowsplit", samples: ms(250, 190, 200)},
		{setup: "b", tool: "cat", ceiling: true, samples: ms(100, 100, 100)},
	}
	var b strings.Builder
	printTable(&b, rows, capture{bytes: 1e9, packets: 1e6})
	var line string
	for l := range strings.SplitSeq(b.String(), "\n") {
		if strings.Contains(l, "flowsplit") {
			line = l
		}
	}
	// Median 200 ms against 200 ms: 1.00x; best 190 against 190: 1.00x.
	// Against setup b (100 ms) it would be 0.50x.
	f := strings.Fields(line)
	if len(f) < 8 || f[2] != "0.20" || f[3] != "0.19" || f[6] != "1.00x" || f[7] != "1.00x" {
		t.Fatalf("flowsplit row %q: want median 0.20, best 0.19, ratios 1.00x and 1.00x", line)
	}
	rows[1].samples = ms(400, 380, 420)
	b.Reset()
	printTable(&b, rows, capture{bytes: 1e9, packets: 1e6})
	for l := range strings.SplitSeq(b.String(), "\n") {
		if strings.Contains(l, "flowsplit") {
			line = l
		}
	}
	if f := strings.Fields(line); f[6] != "0.50x" || f[7] != "0.50x" {
		t.Fatalf("flowsplit row %q: want ratios 0.50x (median 200/400) and 0.50x (best 190/380)", line)
	}
}

// Timed runs are not polled for their RSS (polling /proc every 2 ms slows
// a split using both cores by 5-10%): each row's peak RSS comes from one
// more run of its own, which is not a timed sample.
func TestPeakRSSFromUntimedRun(t *testing.T) {
	var calls []bool
	run := func(watch bool) (sample, error) {
		calls = append(calls, watch)
		s := sample{wall: time.Duration(len(calls)) * time.Millisecond}
		if watch {
			s.maxRSS = 42 << 20
		}
		return s, nil
	}
	ms := []measurement{{&row{tool: "cat"}, run}, {&row{tool: "flowsplit"}, run}}
	rows, err := measureRows(ms, 3, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range calls {
		if w != (i >= 6) {
			t.Fatalf("calls (watched or not) %v: want 6 timed runs unwatched, then one watched run per row", calls)
		}
	}
	for _, r := range rows {
		if len(r.samples) != 3 || r.peakRSS != 42<<20 {
			t.Errorf("%s: %d samples, peak RSS %d, want 3 timed samples and the watched run's 42 MiB", r.tool, len(r.samples), r.peakRSS)
		}
		for _, s := range r.samples {
			if s.maxRSS != 0 {
				t.Errorf("%s: a timed sample was watched", r.tool)
			}
		}
	}
}
