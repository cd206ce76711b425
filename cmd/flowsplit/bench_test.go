package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/flowsplit/flowsplit/bench/gen"
	"github.com/flowsplit/flowsplit/bench/modebench"
)

// TestBenchJSON: `flowsplit bench --json` on a small generated stream
// reports every mode over the requested outputs, with the balance adding
// up to the stream.
func TestBenchJSON(t *testing.T) {
	var out bytes.Buffer
	o := benchOptions{outputs: 3, rounds: 1, json: true, localNets: modebench.GeneratorLocalNets,
		gen: gen.Config{Flows: 200, Packets: 5000, Seed: 2, Tunnels: 0.05}}
	if err := runBenchWith(o, &out, nil); err != nil {
		t.Fatal(err)
	}
	var rep modebench.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if rep.Source != "generated" || rep.Packets != 5000 || rep.Outputs != 3 || len(rep.Modes) != len(modebench.DefaultModes(nil)) {
		t.Fatalf("report: source %q, %d packets, %d outputs, %d modes", rep.Source, rep.Packets, rep.Outputs, len(rep.Modes))
	}
	for _, m := range rep.Modes {
		var sum uint64
		for _, p := range m.Balance.Packets {
			sum += p
		}
		if len(m.Balance.Packets) != 3 || sum != 5000 || m.Mpps <= 0 {
			t.Errorf("%s: %v packets per output (sum %d), %v Mpps", m.Mode, m.Balance.Packets, sum, m.Mpps)
		}
	}
}

func TestBenchUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"flowsplit", "bench", "-n", "0"},
		{"flowsplit", "bench", "--rounds", "0"},
		{"flowsplit", "bench", "--tunnels", "2"},
		{"flowsplit", "bench", "--local-nets", "not-a-net"},
		{"flowsplit", "bench", "--local-nets", "10.0.0.0/8,bad"},
		{"flowsplit", "bench", "a.pcap", "b.pcap"},
		{"flowsplit", "bench", "/nonexistent/input.pcap"},
	} {
		if code := run(args); code != exitUsage {
			t.Errorf("%s: exit %d, want %d", strings.Join(args, " "), code, exitUsage)
		}
	}
}
