package modebench

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/flowsplit/flowsplit/bench/gen"
	"github.com/flowsplit/flowsplit/splitter"
)

func smallCapture() *Capture {
	return FromGenerator(gen.Config{Flows: 500, Packets: 20000, Seed: 3, Tunnels: 0.05})
}

// TestMeasureDeterministic: the balance of every mode is a function of the
// capture alone (two runs agree exactly), the tallies add up to the
// capture, and no mode splits a flow.
func TestMeasureDeterministic(t *testing.T) {
	c := smallCapture()
	if c.Packets() != 20000 {
		t.Fatalf("capture has %d packets, want 20000", c.Packets())
	}
	var rounds []int
	opts := Options{Outputs: 4, Rounds: 1, Progress: func(i, total int, _ string) { rounds = append(rounds, i) }}
	a, err := Measure(c, DefaultModes(GeneratorLocalNets), opts)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Measure(smallCapture(), DefaultModes(GeneratorLocalNets), opts)
	if err != nil {
		t.Fatal(err)
	}
	n := len(DefaultModes(GeneratorLocalNets))
	if len(a) != n || len(rounds) != 2*n || rounds[0] != 0 || rounds[n-1] != n-1 {
		t.Fatalf("%d results, progress calls %v", len(a), rounds)
	}
	for i := range a {
		ba, bb := a[i].Balance, b[i].Balance
		if !slices.Equal(ba.Packets, bb.Packets) || !slices.Equal(ba.Bytes, bb.Bytes) || !slices.Equal(ba.Flows, bb.Flows) {
			t.Errorf("%s: balance differs between runs: %+v vs %+v", a[i].Mode, ba, bb)
		}
		var pk, by uint64
		for o := range ba.Packets {
			pk += ba.Packets[o]
			by += ba.Bytes[o]
		}
		if pk != uint64(c.Packets()) || by != c.Bytes() {
			t.Errorf("%s: tallies %d packets %d bytes, capture %d packets %d bytes", a[i].Mode, pk, by, c.Packets(), c.Bytes())
		}
		if ba.SplitFlows != 0 {
			t.Errorf("%s: %d flows split over outputs", a[i].Mode, ba.SplitFlows)
		}
		if ba.Jain <= 0.25 || ba.Jain > 1 || ba.MaxMeanBytes < 1 || ba.MaxMeanBytes > 4 {
			t.Errorf("%s: Jain %v, max/mean bytes %v out of range", a[i].Mode, ba.Jain, ba.MaxMeanBytes)
		}
		if a[i].Mpps <= 0 || len(a[i].RoundMpps) != 1 {
			t.Errorf("%s: rate %v, rounds %v", a[i].Mode, a[i].Mpps, a[i].RoundMpps)
		}
	}
	// Every flow lands on exactly one output, in every mode: the per-output
	// flow counts add up to the same total.
	total := func(r Result) (s int) {
		for _, f := range r.Balance.Flows {
			s += f
		}
		return s
	}
	for i := range a {
		if a[i].Mode == "tunnels outer" {
			continue // tunnels are one flow each there
		}
		if total(a[i]) != total(a[0]) || total(a[i]) == 0 {
			t.Errorf("%s: %d flows in all, %s: %d", a[i].Mode, total(a[i]), a[0].Mode, total(a[0]))
		}
	}
}

// TestReadCaptureMatchesGenerator: a capture file read back gives the same
// packets and bytes as the generated stream.
func TestReadCaptureMatchesGenerator(t *testing.T) {
	cfg := gen.Config{Flows: 100, Packets: 3000, Seed: 5}
	path := filepath.Join(t.TempDir(), "g.pcap")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := gen.WritePcap(f, cfg); err != nil {
		t.Fatal(err)
	}
	f.Close()
	got, err := ReadCapture(path, Limit{})
	if err != nil {
		t.Fatal(err)
	}
	want := FromGenerator(cfg)
	if got.Packets() != want.Packets() || got.Bytes() != want.Bytes() || !bytes.Equal(got.arena, want.arena) {
		t.Errorf("read %d packets %d bytes, generated %d packets %d bytes", got.Packets(), got.Bytes(), want.Packets(), want.Bytes())
	}
	if got.Truncated {
		t.Error("Truncated without a limit")
	}
	// A limit keeps the first packets, exactly: by count, and by bytes.
	for _, lim := range []Limit{{Packets: 1000}, {Bytes: uint64(len(want.arena) / 3)}} {
		part, err := ReadCapture(path, lim)
		if err != nil {
			t.Fatal(err)
		}
		n := part.Packets()
		if !part.Truncated || n == 0 || n >= want.Packets() || !bytes.Equal(part.arena, want.arena[:len(part.arena)]) ||
			(lim.Packets > 0 && n != lim.Packets) || (lim.Bytes > 0 && (uint64(len(part.arena)) > lim.Bytes || uint64(len(part.arena))+uint64(want.recs[n].capLen) <= lim.Bytes)) {
			t.Errorf("limit %+v: %d packets, %d bytes, truncated %v", lim, n, len(part.arena), part.Truncated)
		}
	}
	if _, err := ReadCapture(filepath.Join(t.TempDir(), "missing.pcap"), Limit{}); err == nil {
		t.Error("missing file: no error")
	}
	bad := filepath.Join(t.TempDir(), "bad.pcap")
	os.WriteFile(bad, []byte("not a capture at all, no magic here"), 0o644)
	if _, err := ReadCapture(bad, Limit{}); err == nil {
		t.Error("not a capture: no error")
	}
}

// TestStagingCoversCapture: the chunks partition the records and the
// arena, none larger than ChunkSize unless it holds a single record.
func TestStagingCoversCapture(t *testing.T) {
	c := smallCapture()
	st := newStaging(c)
	next, off := 0, int64(0)
	for _, ch := range st.chunks {
		if ch.first != next || ch.off != off || ch.end <= ch.first {
			t.Fatalf("chunk %+v does not follow record %d, offset %d", ch, next, off)
		}
		if ch.size > ChunkSize && ch.end-ch.first > 1 {
			t.Errorf("chunk %+v larger than %d", ch, ChunkSize)
		}
		next, off = ch.end, ch.off+ch.size
	}
	if next != c.Packets() || off != int64(len(c.arena)) {
		t.Errorf("chunks end at record %d offset %d, capture has %d records %d bytes", next, off, c.Packets(), len(c.arena))
	}
}

// TestReportJSONSchema pins the JSON field names scripts rely on.
func TestReportJSONSchema(t *testing.T) {
	res, err := Measure(smallCapture(), DefaultModes(GeneratorLocalNets)[:1], Options{Outputs: 2, Rounds: 1})
	if err != nil {
		t.Fatal(err)
	}
	rep := Report{Source: "generated", Generator: &GeneratorInfo{Flows: 500, Packets: 20000, Seed: 3}, Outputs: 2, Rounds: 1, Modes: res}
	var buf bytes.Buffer
	if err := rep.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"source", "generator", "packets", "bytes", "outputs", "rounds", "modes"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("report lacks %q", k)
		}
	}
	mode := doc["modes"].([]any)[0].(map[string]any)
	for _, k := range []string{"mode", "flags", "packets", "bytes", "mpps", "gbps", "ns_per_packet", "round_mpps", "balance"} {
		if _, ok := mode[k]; !ok {
			t.Errorf("mode lacks %q", k)
		}
	}
	bal := mode["balance"].(map[string]any)
	for _, k := range []string{"outputs", "packets", "bytes", "flows", "weird", "max_mean_packets", "max_mean_bytes",
		"max_mean_flows", "flows_min", "flows_max", "split_flows", "jain_bytes"} {
		if _, ok := bal[k]; !ok {
			t.Errorf("balance lacks %q", k)
		}
	}
	if got := bal["packets"].([]any); len(got) != 2 {
		t.Errorf("balance.packets has %d entries, want 2", len(got))
	}
	var tbl strings.Builder
	if err := rep.WriteTable(&tbl); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(tbl.String(), "2tuple") || !strings.Contains(tbl.String(), "Jain") {
		t.Errorf("table:\n%s", tbl.String())
	}
}

// TestRouteNoAllocs: the timed loop allocates nothing per packet.
func TestRouteNoAllocs(t *testing.T) {
	c := smallCapture()
	st := newStaging(c)
	for _, m := range DefaultModes(GeneratorLocalNets) {
		allocs := testing.AllocsPerRun(3, func() {
			r, err := splitter.NewRouter(m.Route, 8)
			if err != nil {
				t.Fatal(err)
			}
			st.route(r)
		})
		// A pass routes 20000 packets: the router's own construction may
		// allocate a little, the packets nothing.
		if allocs > 100 {
			t.Errorf("%s: %v allocations for %d packets", m.Name, allocs, c.Packets())
		}
	}
}
