package gen

import (
	"slices"
	"time"

	"github.com/flowsplit/flowsplit/internal/testpkt"
)

// Scheduling and timing.
const (
	// unit is the virtual time of one packet slot; flows are spread over
	// Packets*unit.
	unit = 1024
	// minConcurrency and maxConcurrency bound the number of flows active
	// at once (about Flows/8).
	minConcurrency = 16
	maxConcurrency = 2048
	// meanSpacingNs is the mean timestamp spacing (about 1 Mpps); spacing
	// is uniform in [meanSpacingNs/2, 3*meanSpacingNs/2).
	meanSpacingNs = 1000
	bufSize       = 16 << 10
	patternSize   = 64 << 10
)

// startTime is the timestamp of the first packet.
var startTime = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Generator produces the packet stream of one Config. It is not safe for
// concurrent use.
type Generator struct {
	cfg   Config
	r     rng
	flows []flow
	// order lists flow indexes by start time; admitted counts those
	// already in the heap or finished.
	order    []int32
	admitted int
	// heap is a min-heap of active flow indexes keyed by flow.next.
	heap []int32

	emitted int
	ns      int64
	fragID  uint32
	frag    fragState
	// fragDebt counts fragmented datagrams drawn but not yet sent.
	fragDebt int

	spec    testpkt.Spec
	tags    [2]uint16
	pattern []byte
	// Reused buffers: frame is returned by Next; the others hold
	// intermediate packets.
	frame, ip, inner, tun, quote, dgram, payload []byte
}

// New returns a Generator for cfg (zero fields take their defaults, see
// Config). It plans every flow up front: memory is about 100 bytes a flow.
func New(cfg Config) *Generator {
	cfg = cfg.withDefaults()
	g := &Generator{cfg: cfg, r: newRNG(cfg.Seed)}
	r := &g.r
	sizes := flowSizes(r, cfg.Flows, cfg.Packets, cfg.Elephants)
	nFlows := len(sizes)
	elephants := min(cfg.Elephants, nFlows/4)
	nClients := max(1, nFlows/clientsPerFlow)
	nServers := min(maxServers, max(1, nFlows/flowsPerServer))
	conc := int64(min(maxConcurrency, max(minConcurrency, nFlows/8)))
	total := int64(cfg.Packets) * unit
	g.flows = make([]flow, nFlows)
	g.order = make([]int32, nFlows)
	for i, n := range sizes {
		f := newFlow(r, &cfg, i, n, nClients, nServers, i < elephants)
		span := total
		if i >= elephants {
			span = min(total, int64(n)*conc*unit)
		}
		f.gap = max(1, span/int64(n))
		f.start = r.int63n(total - span + 1)
		f.next = f.start
		g.flows[i] = f
		g.order[i] = int32(i)
	}
	slices.SortStableFunc(g.order, func(a, b int32) int {
		return cmpInt64(g.flows[a].start, g.flows[b].start)
	})
	g.heap = make([]int32, 0, nFlows)
	g.pattern = make([]byte, patternSize)
	for i := range g.pattern {
		g.pattern[i] = byte(r.next())
	}
	for _, b := range []*[]byte{&g.frame, &g.ip, &g.inner, &g.tun, &g.quote, &g.dgram, &g.payload} {
		*b = make([]byte, 0, bufSize)
	}
	g.fragID = uint32(r.next())
	g.ns = startTime.UnixNano()
	return g
}

// Next returns the next frame (Ethernet, link type 1) and its timestamp;
// ok is false once Config.Packets frames have been returned. The frame
// aliases a buffer of g: it is valid until the next call. Timestamps never
// decrease. Next does not allocate.
func (g *Generator) Next() (frame []byte, ts time.Time, ok bool) {
	if g.emitted >= g.cfg.Packets {
		return nil, time.Time{}, false
	}
	if g.emitted > 0 {
		g.ns += meanSpacingNs/2 + int64(g.r.intn(meanSpacingNs))
	}
	if g.frag.left > 0 {
		frame = g.nextFragment()
	} else {
		frame = g.nextFromFlow()
	}
	g.emitted++
	return frame, time.Unix(0, g.ns).UTC(), true
}

// nextFromFlow admits flows that have started, builds the packet of the
// active flow due first and reschedules it.
func (g *Generator) nextFromFlow() []byte {
	for g.admitted < len(g.order) {
		idx := g.order[g.admitted]
		if len(g.heap) > 0 && g.flows[idx].start >= g.flows[g.heap[0]].next {
			break
		}
		g.push(idx)
		g.admitted++
	}
	if len(g.heap) == 0 {
		return nil // unreachable: flow sizes sum to Packets
	}
	f := &g.flows[g.heap[0]]
	frame, used := g.packet(f)
	f.i += int32(used)
	if f.i >= f.n {
		g.pop()
	} else {
		f.next += f.gap/2 + g.r.int63n(f.gap+1)
		g.down(0)
	}
	return frame
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Heap operations on g.heap keyed by flow.next.
func (g *Generator) less(i, j int) bool {
	return g.flows[g.heap[i]].next < g.flows[g.heap[j]].next
}

func (g *Generator) push(idx int32) {
	g.heap = append(g.heap, idx)
	i := len(g.heap) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !g.less(i, p) {
			break
		}
		g.heap[i], g.heap[p] = g.heap[p], g.heap[i]
		i = p
	}
}

func (g *Generator) pop() {
	n := len(g.heap) - 1
	g.heap[0] = g.heap[n]
	g.heap = g.heap[:n]
	g.down(0)
}

func (g *Generator) down(i int) {
	n := len(g.heap)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		m := l
		if r := l + 1; r < n && g.less(r, l) {
			m = r
		}
		if !g.less(m, i) {
			return
		}
		g.heap[i], g.heap[m] = g.heap[m], g.heap[i]
		i = m
	}
}
