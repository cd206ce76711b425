package splitter

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/flowsplit/flowsplit/bench/gen"
	"github.com/flowsplit/flowsplit/hashing"
	"github.com/flowsplit/flowsplit/internal/flowtable"
	"github.com/flowsplit/flowsplit/internal/pcapio"
)

// genRecords returns the frames of cfg as Ethernet records (copied).
func genRecords(cfg gen.Config) []pcapio.Record {
	g := gen.New(cfg)
	var recs []pcapio.Record
	for {
		frame, ts, ok := g.Next()
		if !ok {
			return recs
		}
		d := append([]byte(nil), frame...)
		recs = append(recs, pcapio.Record{LinkType: 1, Sec: ts.Unix(), Nsec: uint32(ts.Nanosecond()), CapLen: uint32(len(d)), OrigLen: uint32(len(d)), Data: d})
	}
}

// routeAll routes recs through r and returns the bytes and packets each
// output received (held records counted when released).
func routeAll(t testing.TB, r *Router, recs []pcapio.Record, n int) (bytes, packets []uint64) {
	bytes, packets = make([]uint64, n), make([]uint64, n)
	emit := func(rec *pcapio.Record, out int, weird bool) {
		bytes[out] += uint64(len(rec.Data))
		packets[out]++
	}
	for i := range recs {
		out, weird, held := r.Route(&recs[i])
		if !held {
			emit(&recs[i], out, weird)
		}
		r.Release(emit)
	}
	r.Flush(emit)
	return bytes, packets
}

// TestLFUBalance: 20,000 flows of 1 to 40 packets of 64 to 1514 bytes,
// starting at random times and interleaved: the most loaded output is
// within 2% of the mean, in bytes (default) and in packets (LFUByPackets).
// (A flow is placed once: no placement balances a flow that alone carries
// more than the slack, such as the generator's elephants; see
// TestLFUGeneratedTraffic.)
func TestLFUBalance(t *testing.T) {
	events := mouseEvents(20000, 7)
	s := newFlowStream()
	for _, byPackets := range []bool{false, true} {
		for _, n := range []int{4, 8, 13} {
			r, err := NewRouter(RouteConfig{Hash: hashing.Config{Mode: hashing.ModeLFU}, LFUByPackets: byPackets}, n)
			if err != nil {
				t.Fatal(err)
			}
			load := make([]uint64, n)
			for _, e := range events {
				rec := s.sized(e.flow, e.size, e.at)
				out, _, _ := r.Route(rec)
				if byPackets {
					load[out]++
				} else {
					load[out] += uint64(e.size)
				}
			}
			var sum, most uint64
			for _, l := range load {
				sum += l
				most = max(most, l)
			}
			mean := float64(sum) / float64(n)
			if float64(most) > 1.02*mean {
				t.Errorf("by packets=%v, n=%d: most loaded output %d > 1.02 x mean %.0f: %v", byPackets, n, most, mean, load)
			}
			if got := r.Load(); fmt.Sprint(got) != fmt.Sprint(load) {
				t.Errorf("router's load %v, emitted %v", got, load)
			}
		}
	}
}

// TestLFUGeneratedTraffic: on the generator's traffic (12,000 flows, four
// elephants carrying 40% of the packets, all flows starting early) the
// lfu mode balances bytes at least as well as the 5-tuple hash.
func TestLFUGeneratedTraffic(t *testing.T) {
	recs := genRecords(gen.Config{Flows: 12000, Packets: 150000, Seed: 3})
	const n = 4
	spread := func(m hashing.Mode) (most, mean float64) {
		r, err := NewRouter(RouteConfig{Hash: hashing.Config{Mode: m}, Tunnels: true, ICMPErrors: true}, n)
		if err != nil {
			t.Fatal(err)
		}
		bytes, _ := routeAll(t, r, recs, n)
		var sum uint64
		for _, b := range bytes {
			sum += b
			most = max(most, float64(b))
		}
		return most, float64(sum) / n
	}
	lfu, mean := spread(hashing.ModeLFU)
	hash, _ := spread(hashing.Mode5Tuple)
	t.Logf("most loaded output / mean: lfu %.3f, 5tuple %.3f", lfu/mean, hash/mean)
	if lfu > hash {
		t.Errorf("lfu's most loaded output %.0f bytes > 5tuple's %.0f", lfu, hash)
	}
}

// mouseEvent is one packet of a synthetic flow.
type mouseEvent struct {
	at         int64 // ns
	flow, size int
}

// mouseEvents returns the packets of flows flows of 1 to 40 packets of
// 64 to 1514 bytes, each starting at a random time over 100 s with 1 to
// 100 ms between its packets, in time order.
func mouseEvents(flows int, seed uint64) []mouseEvent {
	r := rand.New(rand.NewPCG(seed, seed))
	var ev []mouseEvent
	for f := range flows {
		at := r.Int64N(100 * int64(time.Second))
		gap := 1 + r.Int64N(100)
		for range 1 + r.IntN(40) {
			ev = append(ev, mouseEvent{at, f, 64 + r.IntN(1451)})
			at += gap * int64(time.Millisecond)
		}
	}
	slices.SortFunc(ev, func(a, b mouseEvent) int { return cmp.Compare(a.at, b.at) })
	return ev
}

// TestLFUSticky: every packet of a flow goes where its first went, in
// both directions, and flows are spread over every output.
func TestLFUSticky(t *testing.T) {
	recs := genRecords(gen.Config{Flows: 2000, Packets: 20000, Seed: 5, FragShare: -1, Tunnels: -1, ICMPErrors: -1})
	r, err := NewRouter(RouteConfig{Hash: hashing.Config{Mode: hashing.ModeLFU}}, 5)
	if err != nil {
		t.Fatal(err)
	}
	c := hashing.Config{Mode: hashing.Mode5Tuple}
	where := map[hashing.Key]int{}
	used := map[int]bool{}
	for i := range recs {
		out, _, held := r.Route(&recs[i])
		if held {
			t.Fatal("a record was held without fragments")
		}
		p := &r.pkt
		k := c.Key(&hashing.Tuple{Src: p.Src, Dst: p.Dst, SrcPort: p.SrcPort, DstPort: p.DstPort, Proto: p.Proto})
		if prev, ok := where[k]; ok && prev != out {
			t.Fatalf("packet %d: flow moved from output %d to %d", i, prev, out)
		}
		where[k] = out
		used[out] = true
	}
	if len(used) != 5 {
		t.Errorf("flows on %d outputs, want 5", len(used))
	}
	if st := r.Stats(); st.FlowTableSize != len(where) {
		t.Errorf("table holds %d flows, saw %d", st.FlowTableSize, len(where))
	}
}

// TestRouteNoAllocs: at steady state, Route+Release allocate nothing in
// the lfu mode and with fragments held, over traffic with fragments (a
// quarter out of order), ICMP errors and tunnels.
func TestRouteNoAllocs(t *testing.T) {
	recs := genRecords(gen.Config{Flows: 3000, Packets: 30000, Seed: 9, FragShare: 0.3, ICMPErrors: 0.05, Tunnels: 0.2})
	for _, m := range []hashing.Mode{hashing.ModeLFU, hashing.Mode5Tuple, hashing.ModeHost} {
		rc := RouteConfig{Hash: hashing.Config{Mode: m, LocalNets: testLocalNets}, Tunnels: true, ICMPErrors: true}
		rc.Flows.MaxFlows = 1000 // evictions at steady state too
		r, err := NewRouter(rc, 8)
		if err != nil {
			t.Fatal(err)
		}
		emitted := 0
		emit := Emit(func(*pcapio.Record, int, bool) { emitted++ })
		i := 0
		step := func() {
			rec := &recs[i%len(recs)]
			i++
			if _, _, held := r.Route(rec); !held {
				emitted++
			}
			r.Release(emit)
		}
		for range len(recs) {
			step()
		}
		if n := testing.AllocsPerRun(len(recs), step); n != 0 {
			t.Errorf("%v: %v allocations per packet", m, n)
		}
		if m == hashing.ModeLFU && r.Stats().FlowEvictions == 0 {
			t.Error("lfu: no eviction at a cap of 1000 flows")
		}
	}
}

// TestLFUBoundedTable: an endless stream of new flows keeps the table at
// --max-flows, counting evictions.
func TestLFUBoundedTable(t *testing.T) {
	rc := RouteConfig{Hash: hashing.Config{Mode: hashing.ModeLFU}}
	rc.Flows.MaxFlows = 5000
	r, err := NewRouter(rc, 4)
	if err != nil {
		t.Fatal(err)
	}
	s := newFlowStream()
	for i := range 50000 {
		rec := s.next(i)
		r.Route(rec)
	}
	st := r.Stats()
	if st.FlowTableSize != 5000 || st.FlowEvictions != 45000 {
		t.Errorf("table %d flows, %d evictions; want 5000, 45000", st.FlowTableSize, st.FlowEvictions)
	}
}

// flowStream builds UDP packets of distinct flows in one reused buffer.
type flowStream struct {
	frame []byte
	rec   pcapio.Record
}

// Offsets in the Ethernet + IPv4 + UDP template.
const (
	tmplIPSrc   = 14 + 12
	tmplUDPSrc  = 14 + 20
	tmplDataLen = 14 + 20 + 8 + 100
)

func newFlowStream() *flowStream {
	f := make([]byte, tmplDataLen)
	binary.BigEndian.PutUint16(f[12:], 0x0800)
	ip := f[14:]
	ip[0], ip[8], ip[9] = 0x45, 64, 17
	binary.BigEndian.PutUint16(ip[2:], 20+8+100)
	copy(ip[16:], []byte{198, 18, 0, 1})
	udp := f[tmplUDPSrc:]
	binary.BigEndian.PutUint16(udp[2:], 53)
	binary.BigEndian.PutUint16(udp[4:], 8+100)
	return &flowStream{frame: f, rec: pcapio.Record{LinkType: 1, CapLen: tmplDataLen, OrigLen: tmplDataLen, Data: f}}
}

// sized returns a packet of size bytes of flow id at capture time at.
func (s *flowStream) sized(id, size int, at int64) *pcapio.Record {
	if size > len(s.frame) {
		s.frame = append(s.frame, make([]byte, size-len(s.frame))...)
	}
	r := s.next(id)
	r.Data = s.frame[:size]
	r.CapLen, r.OrigLen = uint32(size), uint32(size)
	r.Sec, r.Nsec = at/1e9, uint32(at%1e9)
	return r
}

// next returns a packet of flow id at 1 µs per packet of i.
func (s *flowStream) next(id int) *pcapio.Record {
	binary.BigEndian.PutUint32(s.frame[tmplIPSrc:], 0x0a000000|uint32(id>>8))
	binary.BigEndian.PutUint16(s.frame[tmplUDPSrc:], 1024+uint16(id&0xff))
	s.rec.Sec, s.rec.Nsec = int64(id/1_000_000), uint32(id%1_000_000)*1000
	return &s.rec
}

// peakRSS returns the process's peak resident set (VmHWM) in MiB, or 0.
func peakRSS() float64 { return float64(procStatusKiB("VmHWM:")) / 1024 }

// procStatusKiB returns a field of /proc/self/status given in kB (such as
// "VmRSS:"), or 0.
func procStatusKiB(field string) int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == field {
			kb, _ := strconv.Atoi(f[1])
			return kb
		}
	}
	return 0
}

// BenchmarkLFU10MFlows streams 10 million distinct flows through the lfu
// router (default --max-flows 1,000,000: 9 million evictions), then
// measures packets of random flows among the last million, in a scattered
// order, each about once per million packets: the worst case for the
// caches. Metrics: new-flow Mpps, Mpps (the ns/op), hit-% (the share of
// packets whose flow was still in the table: the table holds a million
// flows but only approximates the least recently seen order, so a miss
// inserts the flow again and evicts another), peak RSS and live heap.
// Sub-benchmark route routes each packet as it comes; prefetch8 hands
// each to Router.Prefetch 8 packets before, as the engine does.
func BenchmarkLFU10MFlows(b *testing.B) {
	for _, name := range []string{"route", "prefetch8"} {
		b.Run(name, func(b *testing.B) {
			benchLFU10M(b, func(i int) int {
				return int(uint32(i) * 2654435761 % flowtable.DefaultMaxFlows)
			})
		})
	}
}

// BenchmarkLFU10MFlowsZipf is BenchmarkLFU10MFlows with the popularity of
// real links: flows among the last million chosen with a Zipf law (s =
// 1.1; rank 0, the heaviest, the newest), so heavy flows recur while
// their lines are still cached.
func BenchmarkLFU10MFlowsZipf(b *testing.B) {
	z := rand.NewZipf(rand.New(rand.NewPCG(5, 6)), 1.1, 1, flowtable.DefaultMaxFlows-1)
	ranks := make([]int, 1<<20)
	for i := range ranks {
		ranks[i] = int(z.Uint64())
	}
	for _, name := range []string{"route", "prefetch8"} {
		b.Run(name, func(b *testing.B) {
			benchLFU10M(b, func(i int) int { return ranks[i&(len(ranks)-1)] })
		})
	}
}

// benchLFU10M streams 10M distinct flows, then routes packets of flow
// 10M-1-age(i) for the i-th packet, age in [0, 1M).
func benchLFU10M(b *testing.B, age func(i int) int) {
	const distinct = 10_000_000
	r, err := NewRouter(RouteConfig{Hash: hashing.Config{Mode: hashing.ModeLFU}}, 8)
	if err != nil {
		b.Fatal(err)
	}
	s := newFlowStream()
	start := time.Now()
	for i := range distinct {
		r.Route(s.next(i))
	}
	newRate := distinct / time.Since(start).Seconds() / 1e6
	if st := r.Stats(); st.FlowTableSize != flowtable.DefaultMaxFlows {
		b.Fatalf("table holds %d flows, want %d", st.FlowTableSize, flowtable.DefaultMaxFlows)
	}
	ev := r.Stats().FlowEvictions
	// The packets are staged in an arena, a batch at a time outside the
	// timer, so that records can be handed to Prefetch ahead of Route as
	// the engine does on a mapped file (sub-benchmark prefetch8).
	const batch, hdr = 1 << 16, 64
	arena := make([]byte, batch*hdr)
	recs := make([]pcapio.Record, batch)
	stage := func(from int) {
		for j := range recs {
			rec := s.next(distinct - 1 - age(from+j))
			f := arena[j*hdr : (j+1)*hdr : (j+1)*hdr]
			copy(f, rec.Data)
			recs[j] = *rec
			recs[j].Data, recs[j].CapLen = f, hdr
		}
	}
	ahead := 0
	if strings.HasSuffix(b.Name(), "prefetch8") {
		ahead = 8
	}
	b.ReportAllocs()
	b.SetBytes(tmplDataLen)
	b.ResetTimer()
	for i := 0; i < b.N; i += batch {
		b.StopTimer()
		stage(i)
		b.StartTimer()
		n := min(batch, b.N-i)
		for j := range min(ahead, n) {
			r.Prefetch(&recs[j])
		}
		for j := range n {
			if ahead > 0 && j+ahead < n {
				r.Prefetch(&recs[j+ahead])
			}
			r.Route(&recs[j])
		}
	}
	b.StopTimer()
	misses := r.Stats().FlowEvictions - ev
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	b.ReportMetric(newRate, "new-flow-Mpps")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds()/1e6, "Mpps")
	b.ReportMetric(100*(1-float64(misses)/float64(b.N)), "hit-%")
	b.ReportMetric(peakRSS(), "peak-RSS-MiB")
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MiB")
	if ev := r.Stats().FlowEvictions; ev < distinct-flowtable.DefaultMaxFlows {
		b.Errorf("%d evictions, want at least %d", ev, distinct-flowtable.DefaultMaxFlows)
	}
}

// Router.Close gives the lfu table's memory back at once (it lives outside
// the Go heap), and a second Close is harmless.
func TestRouterCloseReleasesTable(t *testing.T) {
	r, err := NewRouter(RouteConfig{Hash: hashing.Config{Mode: hashing.ModeLFU}}, 8)
	if err != nil {
		t.Fatal(err)
	}
	s := newFlowStream()
	for i := range 1_000_000 { // a table of about 21 MB
		r.Route(s.next(i))
	}
	before := procStatusKiB("VmRSS:")
	r.Close()
	after := procStatusKiB("VmRSS:")
	if before == 0 {
		t.Skip("no VmRSS in /proc/self/status")
	}
	if before-after < 16<<10 {
		t.Errorf("resident set %d KiB -> %d KiB after Close, want at least 16 MiB less", before, after)
	}
	r.Close()
}
