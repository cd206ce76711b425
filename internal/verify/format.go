package verify

import (
	"fmt"
	"io"
	"net/netip"

	"github.com/flowsplit/flowsplit/hashing"
)

// datagramMark in Key.VLAN marks the key of an IP datagram whose first
// fragment is on no output (VLAN IDs are 12 bits).
const datagramMark = 0xffff

// FormatKey renders a flow key: "A:port <-> B:port proto N" (ports and
// protocol when the mode keys on them), "host A" for a host-mode key, or
// "datagram A > B proto N id I" for fragments whose first fragment is on
// no output.
func FormatKey(k *hashing.Key) string {
	a, b := addr(k.A, k.Family), addr(k.B, k.Family)
	if k.VLAN == datagramMark {
		return fmt.Sprintf("datagram %v > %v proto %d id %d", a, b, k.Proto, uint32(k.PortA)<<16|uint32(k.PortB))
	}
	var s string
	switch {
	case k.B == [16]byte{} && k.PortA == 0 && k.PortB == 0 && k.Proto == 0:
		s = fmt.Sprintf("host %v", a)
	case k.PortA == 0 && k.PortB == 0:
		s = fmt.Sprintf("%v <-> %v", a, b)
	default:
		s = fmt.Sprintf("%v <-> %v", netip.AddrPortFrom(a, k.PortA), netip.AddrPortFrom(b, k.PortB))
		if k.Proto != 0 {
			s += fmt.Sprintf(" proto %d", k.Proto)
		}
	}
	if k.VLAN != 0 || k.InnerVLAN != 0 {
		s += fmt.Sprintf(" vlan %d/%d", k.VLAN, k.InnerVLAN)
	}
	return s
}

// addr converts a packed address of family 4 or 6.
func addr(a [16]byte, family uint8) netip.Addr {
	if family == 4 {
		return netip.AddrFrom4([4]byte{a[0], a[1], a[2], a[3]})
	}
	return netip.AddrFrom16(a)
}

// maxListed bounds the split flows printed.
const maxListed = 100

// Write prints the per-output histogram and the split flows.
func (r *Report) Write(w io.Writer) {
	total := 0
	for _, o := range r.Outputs {
		total += o.Packets
	}
	fmt.Fprintf(w, "%d outputs, %d packets, %d flows\n", len(r.Outputs), total, r.Flows)
	for i, o := range r.Outputs {
		share := 0.0
		if r.Flows > 0 {
			share = 100 * float64(o.Flows) / float64(r.Flows)
		}
		fmt.Fprintf(w, "  output %d  %9d packets %9d flows %5.1f%%  %s  %s\n", i, o.Packets, o.Flows, share, bar(share), o.Path)
	}
	if len(r.Split) == 0 {
		fmt.Fprintln(w, "no flow is on more than one output")
		return
	}
	fmt.Fprintf(w, "%d flows on more than one output:\n", len(r.Split))
	for i, s := range r.Split {
		if i == maxListed {
			fmt.Fprintf(w, "  ... and %d more\n", len(r.Split)-maxListed)
			break
		}
		fmt.Fprintf(w, "  %s on outputs %v\n", s.Flow, s.Outputs)
	}
}

// bar draws a share of 100% as up to 20 '#'.
func bar(pct float64) string {
	n := int(pct/5 + 0.5)
	b := make([]byte, 20)
	for i := range b {
		b[i] = '.'
		if i < n {
			b[i] = '#'
		}
	}
	return string(b)
}
