package splitter

import (
	"github.com/flowsplit/flowsplit/hashing"
	"github.com/flowsplit/flowsplit/internal/decode"
	"github.com/flowsplit/flowsplit/internal/flowtable"
	"github.com/flowsplit/flowsplit/internal/fragtrack"
	"github.com/flowsplit/flowsplit/internal/pcapio"
)

// RouteConfig says how packets are assigned to outputs. The zero value of
// each option is the plain behaviour of a library caller (outer headers,
// ICMP errors keyed as their own packets); the command line turns Tunnels
// and ICMPErrors on by default.
type RouteConfig struct {
	// Hash is the flow key.
	Hash hashing.Config
	// Tunnels keys tunnelled packets by their innermost readable IP header
	// (GRE, ERSPAN, IP-in-IP, 6in4, 4in6, VXLAN, Geneve, GTP-U, Teredo).
	Tunnels bool
	// ICMPErrors routes ICMP and ICMPv6 errors with the flow of the packet
	// they quote.
	ICMPErrors bool
	// LFUByPackets makes the lfu mode balance packets instead of bytes.
	LFUByPackets bool
	// Flows bounds the lfu mode's flow table and sets its timeouts.
	Flows flowtable.Config
	// Frags bounds the buffer of IP fragments waiting for their first
	// fragment (modes with ports: 4tuple, 5tuple, lfu).
	Frags fragtrack.Config
}

// validate checks the routing options.
func (rc *RouteConfig) validate() error {
	if err := rc.Hash.Validate(); err != nil {
		return usageErr("%v", err)
	}
	fc := rc.Flows.WithDefaults()
	if err := fc.Validate(); err != nil {
		return usageErr("%v", err)
	}
	gc := rc.Frags.WithDefaults()
	if err := gc.Validate(); err != nil {
		return usageErr("%v", err)
	}
	return nil
}

// Router decides the output of each packet. It is the routing core of a
// run, exported for `flowsplit bench` and `flowsplit which`: no I/O, and no
// allocation per packet once its tables have reached their working size.
// It is not safe for concurrent use.
//
// IP fragments go where their datagram's flow goes. In the modes that key
// on ports (4tuple, 5tuple, lfu) a fragment that arrives before its
// datagram's first fragment is held (copied) until the first one arrives;
// a datagram whose first fragment does not come within the fragment
// buffer's limits goes, whole, to the fallback output: the 3-tuple hash
// (addresses and protocol) of the datagram. Records are emitted in input
// order, except that held fragments are written after packets of other
// flows that arrived while they waited.
type Router struct {
	cfg   RouteConfig
	n     int
	dopts decode.Options
	pkt   decode.Packet  // the packet being routed, unless hinted
	cur   *decode.Packet // the packet being routed: &pkt or a hint's
	fb    hashing.Config // the fallback key of given-up datagrams

	// Records decoded ahead by Prefetch, ahead[aheadTail%aheadSlots] the
	// next to route; lfu only.
	ahead                [aheadSlots]hint
	aheadHead, aheadTail uint

	frags *fragtrack.Tracker // nil in modes without ports
	flows *flowtable.Table   // lfu only
	load  []uint64           // lfu: bytes or packets emitted per output
	clock int64              // the latest capture time seen (ns)

	userEmit Emit // the caller's Emit during Release and Flush
	emitFn   Emit // r.emitHeld, made once
	stats    RouteStats
}

// NewRouter returns a Router over n outputs.
func NewRouter(rc RouteConfig, n int) (*Router, error) {
	if err := rc.validate(); err != nil {
		return nil, err
	}
	if n < 1 {
		return nil, usageErr("router needs at least one output, got %d", n)
	}
	r := &Router{
		cfg:   rc,
		n:     n,
		dopts: decode.Options{Tunnels: rc.Tunnels, ICMPErrors: rc.ICMPErrors},
		fb:    hashing.Config{Mode: hashing.Mode3Tuple, VLAN: rc.Hash.VLAN, Prefix4: rc.Hash.Prefix4, Prefix6: rc.Hash.Prefix6},
		load:  make([]uint64, n),
	}
	r.emitFn = r.emitHeld
	r.cfg.Hash.Compile()
	var err error
	if rc.Hash.Mode.UsesPorts() {
		if r.frags, err = fragtrack.New(rc.Frags); err != nil {
			return nil, usageErr("%v", err)
		}
	}
	if rc.Hash.Mode == hashing.ModeLFU {
		if r.flows, err = flowtable.New(rc.Flows); err != nil {
			return nil, usageErr("%v", err)
		}
	}
	return r, nil
}

// Close releases the router's memory at once (the lfu flow table lives
// outside the Go heap, which the garbage collector does not see grow). The
// Router must not be used afterwards.
func (r *Router) Close() {
	if r.flows != nil {
		r.flows.Close()
	}
}

// Route decides where rec goes. out is the output index. weird is true when
// the packet could not be classified as IP; out is then the fallback
// choice: a symmetric hash of the MAC pair when the Ethernet header was
// read, else output 0. held is true when the router kept (a copy of) the
// record to emit it later through Release or Flush; out is then meaningless.
func (r *Router) Route(rec *pcapio.Record) (out int, weird, held bool) {
	p := &r.pkt
	hint := r.hinted(rec)
	if hint != nil {
		p = &hint.pkt
	} else {
		p.Decode(rec.LinkType, rec.Data, r.dopts)
	}
	r.cur = p
	// Capture time never goes back, like Zeek's network time: a packet
	// stamped in the past refreshes its flow at the latest time seen.
	now := max(r.clock, rec.Sec*1e9+int64(rec.Nsec))
	r.clock = now
	if r.frags != nil {
		r.frags.Expire(now)
	}
	switch p.Kind {
	case decode.KindIPv4, decode.KindIPv6:
		if p.ICMPError {
			r.stats.ICMPErrors++
		}
		if p.TunnelDepth > 0 {
			r.stats.Tunneled++
		}
		if !p.IsFragment && r.flows == nil {
			// The hash modes' hot path: hash straight from the packet.
			var sp, dp uint16
			if p.HasPorts {
				sp, dp = p.SrcPort, p.DstPort
			}
			h := r.cfg.Hash.HashFields(&p.Src, &p.Dst, sp, dp, p.Proto, p.Kind == decode.KindIPv6, p.VLAN, p.InnerVLAN)
			return r.direct(rec, hashing.Bucket(h, r.n), false)
		}
		if hint != nil && hint.hasFP {
			return r.direct(rec, r.decideFP(hint.fp, hint.proto, hint.fromA, now), false)
		}
		t := tupleOf(p)
		if p.IsFragment && r.frags != nil {
			return r.routeFragment(rec, &t, now)
		}
		return r.direct(rec, r.decide(&t, now), false)
	default:
		if p.HasMAC {
			return r.direct(rec, hashing.Bucket(hashing.MACPairHash(p.SrcMAC, p.DstMAC), r.n), true)
		}
		return r.direct(rec, 0, true)
	}
}

// decide returns the output of the flow t in the configured mode.
func (r *Router) decide(t *hashing.Tuple, now int64) int {
	if r.flows != nil {
		k, fromA := r.cfg.Hash.KeyDir(t)
		return r.decideLFU(&k, fromA, now)
	}
	return hashing.Bucket(r.cfg.Hash.Hash(t), r.n)
}

// direct returns rec's decision to the caller, or, when records released
// earlier are waiting to be emitted, queues rec behind them so that
// Release emits it in input order.
func (r *Router) direct(rec *pcapio.Record, out int, weird bool) (int, bool, bool) {
	if r.frags != nil && r.frags.Pending() && r.frags.Append(rec, out, weird) {
		return 0, false, true
	}
	if !weird {
		r.account(out, len(rec.Data))
	}
	return out, weird, false
}

// account adds an emitted record to its output's load (lfu only).
func (r *Router) account(out, size int) {
	if r.flows == nil {
		return
	}
	if r.cfg.LFUByPackets {
		size = 1
	}
	r.load[out] += uint64(size)
}

// RouteStats are the router's own counters.
type RouteStats struct {
	// FragmentsHeld is the number of fragments waiting for their first
	// fragment now; FragmentsTimedOut and FragmentsOverflow count those
	// released by the fallback choice for age or for lack of room.
	FragmentsHeld     int    `json:"fragments_held"`
	FragmentsTimedOut uint64 `json:"fragments_timed_out"`
	FragmentsOverflow uint64 `json:"fragments_overflow"`
	// FlowTableSize is the number of live flows in the least-loaded table;
	// FlowEvictions counts flows evicted by the --max-flows cap and
	// FlowExpirations those expired by the timeouts.
	FlowTableSize  int    `json:"flow_table_size"`
	FlowEvictions  uint64 `json:"flow_evictions"`
	FlowExpiration uint64 `json:"flow_expirations"`
	// ICMPErrors counts ICMP errors routed with the flow they quote;
	// Tunneled counts packets routed by an inner (tunnelled) header.
	ICMPErrors uint64 `json:"icmp_errors"`
	Tunneled   uint64 `json:"tunneled"`
}

// Stats returns the router's counters.
func (r *Router) Stats() RouteStats {
	s := r.stats
	if r.frags != nil {
		fs := r.frags.Stats()
		s.FragmentsHeld, s.FragmentsTimedOut, s.FragmentsOverflow = fs.Held, fs.TimedOut, fs.Overflow
	}
	if r.flows != nil {
		ts := r.flows.Stats()
		s.FlowTableSize, s.FlowEvictions, s.FlowExpiration = ts.Flows, ts.Evictions, ts.Expirations
	}
	return s
}

// Load returns the load (bytes, or packets with LFUByPackets) the lfu
// mode has counted per output, or nil in other modes. The slice is the
// router's own: read it between calls only.
func (r *Router) Load() []uint64 {
	if r.flows == nil {
		return nil
	}
	return r.load
}

// Emit receives a record the router held and now releases, with its
// decision. The record is valid only during the call.
type Emit func(rec *pcapio.Record, out int, weird bool)

// Release emits the held records that the last Route call released, in
// the order they must be written. Call it after every Route.
func (r *Router) Release(emit Emit) {
	if r.frags == nil || !r.frags.Pending() {
		return
	}
	r.userEmit = emit
	r.frags.Release(r.emitFn)
	r.userEmit = nil
}

// Flush emits every record still held (at the end of the input), with the
// documented fallback choice.
func (r *Router) Flush(emit Emit) {
	if r.frags == nil {
		return
	}
	r.userEmit = emit
	r.frags.Flush(r.emitFn)
	r.userEmit = nil
}

// emitHeld accounts a released record and passes it to the caller.
func (r *Router) emitHeld(rec *pcapio.Record, out int, weird bool) {
	if !weird {
		r.account(out, len(rec.Data))
	}
	r.userEmit(rec, out, weird)
}
