package splitter

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/flowsplit/flowsplit/bench/gen"
	"github.com/flowsplit/flowsplit/hashing"
)

// writeGenCapture writes a generated capture of the given size into dir
// and returns its path and size in bytes.
func writeGenCapture(tb testing.TB, dir string, packets, flows int) (string, int64) {
	tb.Helper()
	path := filepath.Join(dir, "gen.pcap")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	_, n, err := gen.WritePcap(f, gen.Config{Packets: packets, Flows: flows, Seed: 7})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		tb.Fatal(err)
	}
	return path, n
}

// runMallocs runs a whole split of input into 8 files and returns the
// number of heap allocations made meanwhile (by every goroutine).
func runMallocs(t *testing.T, input string) uint64 {
	t.Helper()
	dir := t.TempDir()
	c := &Config{Input: input, Workers: 8, OutPattern: filepath.Join(dir, "out-%d.pcap"), Quiet: true, Route: perfRoute}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	st, err := Run(context.Background(), c)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	var written uint64
	for _, o := range st.Outputs {
		written += o.WrittenPackets
	}
	if written != st.Input.Packets || st.Input.Packets == 0 {
		t.Fatalf("%s: %d packets read, %d written", input, st.Input.Packets, written)
	}
	return after.Mallocs - before.Mallocs
}

// TestRunAllocsPerPacket: the whole pipeline (read, decode, route, batch,
// write to files) makes no allocation per packet. Two runs differing by
// 180,000 packets (about 45 MB) must differ by fewer than 1,000 heap
// allocations; what a run allocates (buffers, goroutines, output setup)
// does not grow with the stream, except one batch buffer per 256 KiB an
// output falls behind, bounded by the queue size.
func TestRunAllocsPerPacket(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 50 MB")
	}
	dir := t.TempDir()
	small, _ := writeGenCapture(t, filepath.Join(dir), 20_000, 2_000)
	bigDir := filepath.Join(dir, "big")
	if err := os.Mkdir(bigDir, 0o755); err != nil {
		t.Fatal(err)
	}
	big, _ := writeGenCapture(t, bigDir, 200_000, 20_000)
	runMallocs(t, small) // warm up: one-time allocations of the runtime and packages
	a := runMallocs(t, small)
	b := runMallocs(t, big)
	t.Logf("mallocs: %d for 20k packets, %d for 200k packets", a, b)
	if b > a && b-a >= 1000 {
		t.Errorf("180k more packets made %d more allocations (%d vs %d): want < 1000", b-a, b, a)
	}
}

// BenchmarkRun measures the whole engine, file -> 8 files, on a generated
// IMIX capture. One op is one run over the capture.
func BenchmarkRun(b *testing.B) {
	dir := b.TempDir()
	const packets = 200_000
	input, size := writeGenCapture(b, dir, packets, 20_000)
	outDir := filepath.Join(dir, "out")
	c := Config{Input: input, Workers: 8, OutPattern: filepath.Join(outDir, "out-%d.pcap"), Quiet: true, Route: perfRoute}
	b.ReportAllocs()
	b.SetBytes(size)
	for b.Loop() {
		b.StopTimer() // fresh output files, as a real run writes
		if err := os.RemoveAll(outDir); err != nil {
			b.Fatal(err)
		}
		if err := os.Mkdir(outDir, 0o755); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		cfg := c
		if _, err := Run(context.Background(), &cfg); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(packets)*float64(b.N)/b.Elapsed().Seconds(), "pkts/s")
}

// perfRoute is the default routing of `flowsplit split`.
var perfRoute = RouteConfig{Hash: hashing.Config{Mode: hashing.Mode5Tuple}}
