package modebench

import (
	"math"
	"testing"
)

func TestJainAndMaxMean(t *testing.T) {
	for _, tc := range []struct {
		name          string
		x             []float64
		jain, maxMean float64
	}{
		{"equal", []float64{5, 5, 5, 5}, 1, 1},
		{"one holds all of 4", []float64{0, 0, 9, 0}, 0.25, 4},
		{"one holds all of 8", []float64{0, 0, 0, 0, 0, 0, 0, 3}, 0.125, 8},
		// (1+2+3+4)² / (4·(1+4+9+16)) = 100/120; max/mean = 4/2.5
		{"1 2 3 4", []float64{1, 2, 3, 4}, 100.0 / 120, 1.6},
		// half the outputs equally loaded: Jain = k/n
		{"half loaded", []float64{2, 2, 0, 0}, 0.5, 2},
		{"single output", []float64{7}, 1, 1},
		{"all zero", []float64{0, 0}, 0, 0},
		{"empty", nil, 0, 0},
	} {
		if got := Jain(tc.x); math.Abs(got-tc.jain) > 1e-12 {
			t.Errorf("%s: Jain = %v, want %v", tc.name, got, tc.jain)
		}
		if got := MaxMean(tc.x); math.Abs(got-tc.maxMean) > 1e-12 {
			t.Errorf("%s: MaxMean = %v, want %v", tc.name, got, tc.maxMean)
		}
	}
}

func TestSummarise(t *testing.T) {
	b := Balance{Packets: []uint64{1, 3}, Bytes: []uint64{100, 300}, Flows: []int{4, 1}}
	b.summarise()
	want := Balance{Packets: b.Packets, Bytes: b.Bytes, Flows: b.Flows,
		MaxMeanPackets: 1.5, MaxMeanBytes: 1.5, MaxMeanFlows: 1.6, FlowsMin: 1, FlowsMax: 4, Jain: 0.8}
	if b.MaxMeanPackets != want.MaxMeanPackets || b.MaxMeanBytes != want.MaxMeanBytes ||
		math.Abs(b.MaxMeanFlows-want.MaxMeanFlows) > 1e-12 || b.FlowsMin != 1 || b.FlowsMax != 4 ||
		math.Abs(b.Jain-want.Jain) > 1e-12 {
		t.Errorf("summarise: got %+v, want %+v", b, want)
	}
}
