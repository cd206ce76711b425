package gen

import (
	"crypto/sha256"
	"math"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// digest runs cfg to the end and hashes every frame and timestamp.
func digest(t *testing.T, cfg Config) (n int, sum [32]byte) {
	t.Helper()
	h := sha256.New()
	g := New(cfg)
	for {
		frame, ts, ok := g.Next()
		if !ok {
			break
		}
		h.Write(frame)
		h.Write([]byte(ts.Format(time.RFC3339Nano)))
		n++
	}
	copy(sum[:], h.Sum(nil))
	return n, sum
}

func TestDeterminism(t *testing.T) {
	cfg := Config{Flows: 300, Packets: 5000, Seed: 42, FragShare: 0.05, ICMPErrors: 0.05, Tunnels: 0.2}
	_, a := digest(t, cfg)
	_, b := digest(t, cfg)
	if a != b {
		t.Fatalf("same config, different streams")
	}
	cfg.Seed = 43
	if _, c := digest(t, cfg); c == a {
		t.Fatalf("different seeds, same stream")
	}
}

func TestPacketCountExact(t *testing.T) {
	for _, cfg := range []Config{
		{Packets: 1},
		{Packets: 7, Flows: 1000},
		{Packets: 1000, Flows: 1},
		{Packets: 1000, Flows: 3, Elephants: 10},
		{Packets: 5000, Flows: 100, Elephants: -1},
		{Packets: 20000, Flows: 20000, FragShare: 1},
		{Packets: 20000, Flows: 50, FragShare: 0.5, Tunnels: 0.5, ICMPErrors: 1},
	} {
		if n, _ := digest(t, cfg); n != cfg.Packets {
			t.Errorf("%+v: %d packets, want %d", cfg, n, cfg.Packets)
		}
	}
}

func TestFlowSizes(t *testing.T) {
	tests := []struct{ flows, packets, elephants int }{
		{10000, 1_000_000, 4},
		{10000, 20000, 4},
		{1000, 1000, 4},
		{5, 1_000_000, 0},
		{1000, 100, 4},
	}
	for _, tt := range tests {
		r := newRNG(1)
		sizes := flowSizes(&r, tt.flows, tt.packets, tt.elephants)
		total, small, eleph := 0, 0, 0
		e := min(tt.elephants, len(sizes)/4)
		for i, n := range sizes {
			if n < 1 {
				t.Fatalf("%+v: flow %d has %d packets", tt, i, n)
			}
			total += n
			if n <= 4 {
				small++
			}
			if i < e {
				eleph += n
			}
		}
		if len(sizes) != min(tt.flows, tt.packets) || total != tt.packets {
			t.Errorf("%+v: %d flows, %d packets", tt, len(sizes), total)
		}
		if tt.flows == 10000 && tt.packets == 1_000_000 {
			// heavy tail: most flows tiny, elephants ~40%
			if frac := float64(small) / float64(len(sizes)); frac < 0.5 {
				t.Errorf("only %.2f of flows have <= 4 packets", frac)
			}
			if share := float64(eleph) / float64(total); share < 0.35 || share > 0.6 {
				t.Errorf("elephants carry %.2f of packets, want about 0.4", share)
			}
		}
	}
}

// TestStream checks every frame of a mid-size stream with gopacket and the
// shape of the traffic.
func TestStream(t *testing.T) {
	cfg := Config{Flows: 2000, Packets: 40000, Seed: 7, FragShare: 0.05, ICMPErrors: 0.02, OneSidedVLAN: 0.05}
	g := New(cfg)
	type flowSeen struct {
		first, last int
		fwd, rev    bool
		firstFlags  uint8
		v6          bool
		tagged      [2]bool // by direction: [0] server to client, [1] client to server
	}
	flows := map[flowKey]*flowSeen{}
	var quoted []flowKey
	var prev time.Time
	var tcp, udp, icmp, frags, fragHeads, udpWhole, v6frames int
	for i := 0; ; i++ {
		frame, ts, ok := g.Next()
		if !ok {
			break
		}
		if i > 0 && !ts.After(prev) {
			t.Fatalf("packet %d: timestamp %v not after %v", i, ts, prev)
		}
		prev = ts
		fi := inspect(t, frame)
		if fi.v6 {
			v6frames++
		}
		switch {
		case fi.icmpErr:
			icmp++
			quoted = append(quoted, fi.quoted)
			continue
		case fi.frag:
			frags++
			if fi.fragHead {
				fragHeads++
			}
			continue
		case fi.proto == layers.IPProtocolTCP:
			tcp++
		case fi.proto == layers.IPProtocolUDP:
			udp++
			udpWhole++
		default:
			icmp++
			continue
		}
		ck := fi.key.canon()
		fs := flows[ck]
		if fs == nil {
			fs = &flowSeen{first: i, firstFlags: fi.tcpFlags, v6: fi.v6}
			flows[ck] = fs
		}
		fs.last = i
		// The client (10/8 or 2001:db8::/32) sends "forward".
		fwd := fi.key.src.Is4() && fi.key.src.As4()[0] == 10 || fi.key.src.Is6() && fi.key.src.As16()[0] == 0x20
		if fwd {
			fs.fwd = true
		} else {
			fs.rev = true
		}
		if fi.vlans > 0 {
			fs.tagged[btoi(fwd)] = true
		}
	}
	total := tcp + udp + icmp + frags
	if total != cfg.Packets {
		t.Fatalf("%d packets classified, want %d", total, cfg.Packets)
	}
	if f := float64(tcp) / float64(total); f < 0.6 {
		t.Errorf("TCP is %.2f of packets, want most", f)
	}
	if udp == 0 || icmp == 0 {
		t.Errorf("udp %d icmp %d packets, want some of each", udp, icmp)
	}
	// Fragments: the share of UDP datagrams sent as fragments.
	if share := float64(fragHeads) / float64(fragHeads+udpWhole); math.Abs(share-cfg.FragShare) > 0.01 {
		t.Errorf("%.3f of UDP datagrams fragmented, want about %.2f", share, cfg.FragShare)
	}
	if frags < 2*fragHeads {
		t.Errorf("%d fragments for %d datagrams", frags, fragHeads)
	}
	var v6, oneSided, tagged, tcpFlows, bothDirs, synFirst, maxActive int
	var starts, ends []int
	for k, fs := range flows {
		if fs.v6 {
			v6++
		}
		if fs.tagged[0] || fs.tagged[1] {
			tagged++
			if fs.tagged[0] != fs.tagged[1] && fs.fwd && fs.rev {
				oneSided++
			}
		}
		if k.proto == layers.IPProtocolTCP {
			tcpFlows++
			if fs.fwd && fs.rev {
				bothDirs++
			}
			if fs.firstFlags == 0x02 {
				synFirst++
			}
		}
		starts, ends = append(starts, fs.first), append(ends, fs.last)
	}
	n := float64(len(flows))
	if f := float64(v6) / n; math.Abs(f-0.3) > 0.05 {
		t.Errorf("%.2f of flows are IPv6, want about 0.3", f)
	}
	if f := float64(tagged) / n; math.Abs(f-0.2) > 0.05 {
		t.Errorf("%.2f of flows are tagged, want about 0.2", f)
	}
	if oneSided == 0 {
		t.Errorf("no flow is tagged in one direction only")
	}
	if f := float64(bothDirs) / float64(tcpFlows); f < 0.8 {
		t.Errorf("only %.2f of TCP flows have both directions", f)
	}
	if synFirst != tcpFlows {
		t.Errorf("%d of %d TCP flows start with a SYN", synFirst, tcpFlows)
	}
	// Every ICMP error quotes a flow of the stream.
	for _, q := range quoted {
		if flows[q.canon()] == nil {
			t.Errorf("ICMP error quotes unknown flow %+v", q)
		}
	}
	// Interleaving: many flows are active at once.
	maxActive = maxOverlap(starts, ends, cfg.Packets)
	t.Logf("packets: tcp %d udp %d icmp %d fragments %d (%d datagrams); flows %d: v6 %d tagged %d one-sided %d tcp %d both directions %d; max active %d; icmp errors %d",
		tcp, udp, icmp, frags, fragHeads, len(flows), v6, tagged, oneSided, tcpFlows, bothDirs, maxActive, len(quoted))
	if maxActive < 100 {
		t.Errorf("at most %d flows active at once, want many", maxActive)
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// maxOverlap returns the largest number of [start, end] intervals that
// contain one packet index.
func maxOverlap(starts, ends []int, n int) int {
	d := make([]int, n+1)
	for i := range starts {
		d[starts[i]]++
		d[ends[i]+1]--
	}
	best, cur := 0, 0
	for _, v := range d {
		cur += v
		best = max(best, cur)
	}
	return best
}

func TestTunnelStream(t *testing.T) {
	g := New(Config{Flows: 500, Packets: 10000, Seed: 3, Tunnels: 1, ICMPErrors: 0.05})
	seen := map[string]int{}
	for {
		frame, _, ok := g.Next()
		if !ok {
			break
		}
		fi := inspect(t, frame)
		if fi.tunnel == 0 {
			t.Fatalf("frame not tunnelled with Tunnels = 1")
		}
		seen[fi.tunnel.String()]++
	}
	for _, want := range []string{"GRE", "VXLAN", "Geneve", "GTPv1U", "IPv4"} {
		if seen[want] == 0 {
			t.Errorf("no %s tunnel in %v", want, seen)
		}
	}
}

func TestNextNoAllocs(t *testing.T) {
	g := New(Config{Flows: 1000, Packets: 1_000_000, Seed: 1, FragShare: 0.1, ICMPErrors: 0.05, Tunnels: 0.2})
	for range 5000 {
		g.Next()
	}
	if n := testing.AllocsPerRun(20000, func() { g.Next() }); n != 0 {
		t.Errorf("Next: %v allocations per packet, want 0", n)
	}
}

func TestNextAfterEnd(t *testing.T) {
	g := New(Config{Packets: 3})
	for range 3 {
		if _, _, ok := g.Next(); !ok {
			t.Fatal("stream ended early")
		}
	}
	for range 2 {
		if f, ts, ok := g.Next(); ok || f != nil || !ts.IsZero() {
			t.Fatalf("Next after the end: %v %v %v", f, ts, ok)
		}
	}
}

func BenchmarkNext(b *testing.B) {
	g := New(Config{Seed: 1})
	var bytes int64
	b.ReportAllocs()
	for b.Loop() {
		f, _, ok := g.Next()
		if !ok {
			g = New(Config{Seed: 1})
			continue
		}
		bytes += int64(len(f))
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pkts/s")
	b.ReportMetric(float64(bytes)/float64(b.N), "B/pkt")
}
