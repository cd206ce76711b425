package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowsplit/flowsplit/bench/gen"
	"github.com/flowsplit/flowsplit/bench/modebench"
	"github.com/flowsplit/flowsplit/internal/oracle"
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

// TestBenchInputLimit: `flowsplit bench INPUT` measures the first
// --packets packets of INPUT, not the whole (a capture can be larger than
// memory), and says so.
func TestBenchInputLimit(t *testing.T) {
	input := realDir + "flows-tls-334conns.pcap" // 7451 packets
	var out bytes.Buffer
	o := benchOptions{inputs: []string{input}, outputs: 2, rounds: 1, localNets: modebench.GeneratorLocalNets, gen: gen.Config{Packets: 1000}}
	if err := runBenchWith(o, &out, nil); err != nil {
		t.Fatal(err)
	}
	if first := strings.SplitN(out.String(), "\n", 2)[0]; first != input+": first 1000 packets, 0.4 MB, 2 outputs, median of 1 rounds" {
		t.Errorf("header %q", first)
	}
	out.Reset()
	o.json, o.gen.Packets = true, 1_000_000
	if err := runBenchWith(o, &out, nil); err != nil {
		t.Fatal(err)
	}
	var rep modebench.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil || rep.Truncated || rep.Packets != 7451 {
		t.Errorf("whole input: %d packets, truncated %v, %v", rep.Packets, rep.Truncated, err)
	}
}

// TestBenchInputs: several inputs, or a directory, are read one after the
// other as split reads them, the --packets limit counting over all of
// them; an empty file among them is skipped.
func TestBenchInputs(t *testing.T) {
	dir := t.TempDir()
	a, _ := os.ReadFile(realDir + "sctp.pcap")
	b, _ := os.ReadFile(realDir + "null-af2-http-41flows.pcap") // 614 packets
	os.WriteFile(filepath.Join(dir, "1.pcap"), a, 0o644)
	os.WriteFile(filepath.Join(dir, "2.pcap"), b, 0o644)
	os.WriteFile(filepath.Join(dir, "3.pcap"), nil, 0o644)
	sctp, err := oracle.ReadFile(realDir + "sctp.pcap")
	if err != nil {
		t.Fatal(err)
	}
	for _, inputs := range [][]string{{dir}, {filepath.Join(dir, "1.pcap"), filepath.Join(dir, "2.pcap")}} {
		var out bytes.Buffer
		o := benchOptions{inputs: inputs, outputs: 2, rounds: 1, json: true, localNets: modebench.GeneratorLocalNets, gen: gen.Config{Packets: 1_000_000}}
		if err := runBenchWith(o, &out, nil); err != nil {
			t.Fatal(err)
		}
		var rep modebench.Report
		if err := json.Unmarshal(out.Bytes(), &rep); err != nil || rep.Truncated || rep.Packets != len(sctp)+614 {
			t.Errorf("%v: %d packets, truncated %v, %v; want %d", inputs, rep.Packets, rep.Truncated, err, len(sctp)+614)
		}
		out.Reset()
		o.gen.Packets = len(sctp) + 10
		if err := runBenchWith(o, &out, nil); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(out.Bytes(), &rep); err != nil || !rep.Truncated || rep.Packets != len(sctp)+10 {
			t.Errorf("%v with --packets %d: %d packets, truncated %v, %v", inputs, o.gen.Packets, rep.Packets, rep.Truncated, err)
		}
	}
}

func TestBenchUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"flowsplit", "bench", "-n", "0"},
		{"flowsplit", "bench", "--rounds", "0"},
		{"flowsplit", "bench", "--tunnels", "2"},
		{"flowsplit", "bench", "--packets", "0", "a.pcap"},
		{"flowsplit", "bench", "--local-nets", "not-a-net"},
		{"flowsplit", "bench", "--local-nets", "10.0.0.0/8,bad"},
		{"flowsplit", "bench", realDir + "sctp.pcap", "/nonexistent/b.pcap"},
		{"flowsplit", "bench", "/nonexistent/input.pcap"},
	} {
		if code := run(args); code != exitUsage {
			t.Errorf("%s: exit %d, want %d", strings.Join(args, " "), code, exitUsage)
		}
	}
}
