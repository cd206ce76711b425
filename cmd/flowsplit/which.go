package main

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/flowsplit/flowsplit/internal/pcapio"
	"github.com/flowsplit/flowsplit/internal/testpkt"
	"github.com/flowsplit/flowsplit/splitter"
)

// linkTypeEthernet is LINKTYPE_ETHERNET, the link type of the packet which
// routes.
const linkTypeEthernet = 1

// whichCommand is `flowsplit which`: the output a connection goes to.
func whichCommand() *cli.Command {
	return &cli.Command{
		Name:  "which",
		Usage: "print which output (worker) a connection goes to under the given routing flags",
		Description: "SRC and DST are ADDR or ADDR:PORT ([ADDR]:PORT for IPv6), in either order: both directions\n" +
			"of a connection go to the same output. PROTO is tcp, udp, sctp, icmp, icmp6 or a number\n" +
			"(default tcp when ports are given). Prints the 0-based output index (or, with --out, its path),\n" +
			"computed by routing a packet of that connection through the same code that splits.",
		ArgsUsage:    "SRC[:PORT] DST[:PORT] [PROTO]",
		OnUsageError: onUsageError,
		Flags: concatFlags(routeFlags(), []cli.Flag{
			&cli.IntFlag{Name: "workers", Aliases: []string{"n"}, Usage: "number of outputs of the split (1..1024), required"},
			&cli.StringFlag{Name: "vlan-id", Usage: "VLAN IDs of the connection, outermost first (e.g. 10 or 10,20); they matter with --vlan"},
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "print the output path made from this pattern (the split's --out) instead of the index"},
		}),
		Action: runWhich,
	}
}

// whichQuery is a connection to look up.
type whichQuery struct {
	src, dst         netip.AddrPort
	hasPorts         bool
	proto            uint8
	vlans            []uint16
	workers          int
	route            splitter.RouteConfig
	outPattern       string
	protoInsensitive bool // the mode ignores the protocol (2tuple, host)
}

// runWhich runs `flowsplit which`.
func runWhich(cc *cli.Context) error {
	q, err := whichConfig(cc)
	if err != nil {
		return err
	}
	out, err := whichOutput(q)
	if err != nil {
		return err
	}
	if q.outPattern != "" {
		fmt.Fprintln(cc.App.Writer, strings.Replace(q.outPattern, "%d", strconv.Itoa(out), 1))
		return nil
	}
	fmt.Fprintln(cc.App.Writer, out)
	return nil
}

// whichConfig reads the command line of `flowsplit which`.
func whichConfig(cc *cli.Context) (*whichQuery, error) {
	mode := cc.String("hash")
	if mode == "lfu" {
		return nil, fmt.Errorf("%w: --hash lfu cannot be predicted: it puts each new flow on the least-loaded output at the time, which depends on all the traffic before it", errUsage)
	}
	n := cc.Int("workers")
	if !cc.IsSet("workers") {
		return nil, fmt.Errorf("%w: --workers (-n) is required", errUsage)
	}
	if n < 1 || n > splitter.MaxWorkers {
		return nil, fmt.Errorf("%w: --workers %d out of range 1..%d", errUsage, n, splitter.MaxWorkers)
	}
	if cc.NArg() < 2 || cc.NArg() > 3 {
		return nil, fmt.Errorf("%w: want SRC[:PORT] DST[:PORT] [PROTO], got %d arguments", errUsage, cc.NArg())
	}
	rc, err := routeConfig(cc)
	if err != nil {
		return nil, err
	}
	q := &whichQuery{workers: n, route: rc, outPattern: cc.String("out"), protoInsensitive: mode == "2tuple" || mode == "host"}
	if q.outPattern != "" && strings.Count(q.outPattern, "%d") != 1 {
		return nil, fmt.Errorf("%w: --out %q must contain exactly one %%d", errUsage, q.outPattern)
	}
	var srcPort, dstPort bool
	if q.src, srcPort, err = parseEndpoint(cc.Args().Get(0)); err != nil {
		return nil, fmt.Errorf("%w: SRC: %v", errUsage, err)
	}
	if q.dst, dstPort, err = parseEndpoint(cc.Args().Get(1)); err != nil {
		return nil, fmt.Errorf("%w: DST: %v", errUsage, err)
	}
	if q.src.Addr().Is4() != q.dst.Addr().Is4() {
		return nil, fmt.Errorf("%w: SRC %v and DST %v are of different IP versions", errUsage, q.src.Addr(), q.dst.Addr())
	}
	if srcPort != dstPort {
		return nil, fmt.Errorf("%w: give a port on both SRC and DST, or on neither", errUsage)
	}
	q.hasPorts = srcPort
	if q.proto, err = parseProto(cc.Args().Get(2), q); err != nil {
		return nil, fmt.Errorf("%w: PROTO: %v", errUsage, err)
	}
	if q.vlans, err = parseVLANs(cc.String("vlan-id")); err != nil {
		return nil, fmt.Errorf("%w: --vlan-id: %v", errUsage, err)
	}
	return q, nil
}

// parseEndpoint parses ADDR, ADDR:PORT, [ADDR] or [ADDR]:PORT.
func parseEndpoint(s string) (ap netip.AddrPort, hasPort bool, err error) {
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		s = s[1 : len(s)-1]
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return netip.AddrPortFrom(a.Unmap(), 0), false, nil
	}
	ap, err = netip.ParseAddrPort(s)
	if err != nil {
		return netip.AddrPort{}, false, fmt.Errorf("%q is not ADDR, ADDR:PORT or [IPv6]:PORT", s)
	}
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port()), true, nil
}

// protoNames are the protocol names PROTO accepts.
var protoNames = map[string]uint8{
	"tcp": testpkt.ProtoTCP, "udp": testpkt.ProtoUDP, "sctp": testpkt.ProtoSCTP,
	"icmp6": testpkt.ProtoICMPv6, "icmpv6": testpkt.ProtoICMPv6,
}

// parseProto parses PROTO ("" takes the default, when there is one).
func parseProto(s string, q *whichQuery) (uint8, error) {
	if s == "" {
		if q.hasPorts || q.protoInsensitive {
			return testpkt.ProtoTCP, nil
		}
		return 0, fmt.Errorf("needed without ports (tcp, udp, sctp, icmp, icmp6 or a number)")
	}
	s = strings.ToLower(s)
	p, ok := protoNames[s]
	switch {
	case s == "icmp" && q.src.Addr().Is6():
		p = testpkt.ProtoICMPv6
	case s == "icmp":
		p = testpkt.ProtoICMP
	case !ok:
		n, err := strconv.ParseUint(s, 10, 8)
		if err != nil {
			return 0, fmt.Errorf("%q: want tcp, udp, sctp, icmp, icmp6 or a number 0..255", s)
		}
		p = uint8(n)
	}
	if q.hasPorts && p != testpkt.ProtoTCP && p != testpkt.ProtoUDP && p != testpkt.ProtoSCTP {
		return 0, fmt.Errorf("protocol %d has no ports: give addresses only", p)
	}
	return p, nil
}

// maxVLANs bounds --vlan-id.
const maxVLANs = 4

// parseVLANs parses a comma-separated list of VLAN IDs.
func parseVLANs(s string) ([]uint16, error) {
	if s == "" {
		return nil, nil
	}
	fields := strings.Split(s, ",")
	if len(fields) > maxVLANs {
		return nil, fmt.Errorf("%d tags: at most %d", len(fields), maxVLANs)
	}
	var ids []uint16
	for _, f := range fields {
		id, err := strconv.ParseUint(strings.TrimSpace(f), 10, 12)
		if err != nil || id == 0 || id == 4095 {
			return nil, fmt.Errorf("%q: want a VLAN ID 1..4094", f)
		}
		ids = append(ids, uint16(id))
	}
	return ids, nil
}

// whichOutput routes one packet of q's connection (from SRC to DST) through
// the splitter's router and returns its output.
func whichOutput(q *whichQuery) (int, error) {
	r, err := splitter.NewRouter(q.route, q.workers)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	spec := testpkt.Spec{
		SrcMAC: [6]byte{0x02, 0, 0, 0, 0, 1},
		DstMAC: [6]byte{0x02, 0, 0, 0, 0, 2},
		VLANs:  q.vlans,
		Src:    testpkt.Endpoint{Addr: q.src.Addr(), Port: q.src.Port()},
		Dst:    testpkt.Endpoint{Addr: q.dst.Addr(), Port: q.dst.Port()},
		Proto:  q.proto,
	}
	switch q.proto {
	case testpkt.ProtoTCP:
		spec.TCPFlags = testpkt.TCPAck
	case testpkt.ProtoICMP:
		spec.ICMPType = 8 // echo request
	case testpkt.ProtoICMPv6:
		spec.ICMPType = 128 // echo request
	}
	frame := testpkt.Frame(nil, spec)
	rec := pcapio.Record{
		LinkType: linkTypeEthernet,
		CapLen:   uint32(len(frame)),
		OrigLen:  uint32(len(frame)),
		Data:     frame,
	}
	out, weird, held := r.Route(&rec)
	if weird || held {
		return 0, fmt.Errorf("the router did not classify a packet of %v -> %v (weird %v, held %v)", q.src, q.dst, weird, held)
	}
	return out, nil
}
