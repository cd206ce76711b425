package modebench

import (
	"github.com/flowsplit/flowsplit/hashing"
	"github.com/flowsplit/flowsplit/internal/decode"
	"github.com/flowsplit/flowsplit/internal/pcapio"
	"github.com/flowsplit/flowsplit/splitter"
)

// Balance says how evenly a mode spreads a capture over its outputs.
type Balance struct {
	// Outputs is the number of outputs.
	Outputs int `json:"outputs"`
	// Packets and Bytes are the per-output loads (captured bytes), weird
	// packets included where the router sent them.
	Packets []uint64 `json:"packets"`
	Bytes   []uint64 `json:"bytes"`
	// Flows is the number of distinct flows (canonical 5-tuples, see
	// FlowKey; inner headers when the mode routes tunnels by them) with at
	// least one packet on each output.
	Flows []int `json:"flows"`
	// Weird counts the packets the router could not classify.
	Weird uint64 `json:"weird"`
	// MaxMeanPackets and MaxMeanBytes are the largest load over the mean
	// load: 1 is perfect, N means everything on one output.
	MaxMeanPackets float64 `json:"max_mean_packets"`
	MaxMeanBytes   float64 `json:"max_mean_bytes"`
	// MaxMeanFlows is the same for flows; FlowsMin and FlowsMax bound them.
	MaxMeanFlows float64 `json:"max_mean_flows"`
	FlowsMin     int     `json:"flows_min"`
	FlowsMax     int     `json:"flows_max"`
	// SplitFlows counts flows whose packets went to more than one output:
	// 0 unless the router had to fall back (fragments whose first fragment
	// never came).
	SplitFlows int `json:"split_flows"`
	// Jain is Jain's fairness index over the byte loads: 1 is perfect, 1/N
	// means everything on one output.
	Jain float64 `json:"jain_bytes"`
}

// MaxMean returns max(x)/mean(x), 0 for an empty or all-zero x.
func MaxMean(x []float64) float64 {
	var sum, hi float64
	for _, v := range x {
		sum += v
		hi = max(hi, v)
	}
	if sum == 0 {
		return 0
	}
	return hi / (sum / float64(len(x)))
}

// Jain returns Jain's fairness index (Σx)² / (n·Σx²) of x: 1 when every
// value is equal, 1/n when one value holds everything. It is 0 for an empty
// or all-zero x.
func Jain(x []float64) float64 {
	var sum, sq float64
	for _, v := range x {
		sum += v
		sq += v * v
	}
	if sq == 0 {
		return 0
	}
	return sum * sum / (float64(len(x)) * sq)
}

func floats[T uint64 | int](x []T) []float64 {
	f := make([]float64, len(x))
	for i, v := range x {
		f[i] = float64(v)
	}
	return f
}

// flowKeyConfig is the flow identity used to count flows per output: the
// symmetric 5-tuple without VLAN IDs.
var flowKeyConfig = hashing.Config{Mode: hashing.Mode5Tuple}

// FlowKey returns the canonical 5-tuple of a frame (ports left out for
// fragments, as the router does), and false for a frame that is not IP.
// opts say whether a tunnel's inner header and an ICMP error's quoted
// packet are used, as the mode's router does.
func FlowKey(p *decode.Packet, linkType uint16, data []byte, opts decode.Options) (hashing.Key, bool) {
	p.Decode(linkType, data, opts)
	if p.Kind != decode.KindIPv4 && p.Kind != decode.KindIPv6 {
		return hashing.Key{}, false
	}
	t := hashing.Tuple{Src: p.Src, Dst: p.Dst, Proto: p.Proto, IPv6: p.Kind == decode.KindIPv6}
	if p.HasPorts && !p.IsFragment {
		t.SrcPort, t.DstPort = p.SrcPort, p.DstPort
	}
	return flowKeyConfig.Key(&t), true
}

// balanceOf routes the whole capture once with a fresh Router and tallies
// the decisions.
func balanceOf(c *Capture, rc splitter.RouteConfig, n int) (Balance, error) {
	r, err := splitter.NewRouter(rc, n)
	if err != nil {
		return Balance{}, err
	}
	defer r.Close()
	b := Balance{Outputs: n, Packets: make([]uint64, n), Bytes: make([]uint64, n), Flows: make([]int, n)}
	flowOut := make(map[hashing.Key]int32) // output of the flow's first packet, -1 once split
	type flowOnOutput struct {
		k   hashing.Key
		out int32
	}
	seen := make(map[flowOnOutput]struct{})
	var p decode.Packet
	dopts := decode.Options{Tunnels: rc.Tunnels, ICMPErrors: rc.ICMPErrors}
	count := func(rec *pcapio.Record, out int, weird bool) {
		if out < 0 || out >= n {
			out = 0 // defensive: a router bug must not crash the benchmark
		}
		b.Packets[out]++
		b.Bytes[out] += uint64(len(rec.Data))
		if weird {
			b.Weird++
		}
		k, ok := FlowKey(&p, rec.LinkType, rec.Data, dopts)
		if !ok {
			return
		}
		fo := flowOnOutput{k, int32(out)}
		if _, dup := seen[fo]; !dup {
			seen[fo] = struct{}{}
			b.Flows[out]++
		}
		switch prev, ok := flowOut[k]; {
		case !ok:
			flowOut[k] = int32(out)
		case prev >= 0 && prev != int32(out):
			flowOut[k] = -1
			b.SplitFlows++
		}
	}
	var rec pcapio.Record
	for i := range c.recs {
		c.record(&rec, i, c.arena, c.recs[i].off)
		out, weird, held := r.Route(&rec)
		if !held {
			count(&rec, out, weird)
		}
		r.Release(count)
	}
	r.Flush(count)
	b.summarise()
	return b, nil
}

// summarise fills the ratios from the per-output tallies.
func (b *Balance) summarise() {
	b.MaxMeanPackets = MaxMean(floats(b.Packets))
	b.MaxMeanBytes = MaxMean(floats(b.Bytes))
	b.MaxMeanFlows = MaxMean(floats(b.Flows))
	b.Jain = Jain(floats(b.Bytes))
	if len(b.Flows) > 0 {
		b.FlowsMin, b.FlowsMax = b.Flows[0], b.Flows[0]
		for _, f := range b.Flows[1:] {
			b.FlowsMin, b.FlowsMax = min(b.FlowsMin, f), max(b.FlowsMax, f)
		}
	}
}
