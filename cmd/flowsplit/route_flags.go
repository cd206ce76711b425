package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/flowsplit/flowsplit/hashing"
	"github.com/flowsplit/flowsplit/internal/flowtable"
	"github.com/flowsplit/flowsplit/internal/fragtrack"
	"github.com/flowsplit/flowsplit/splitter"
)

// routeFlags are the flags that say how packets are assigned to outputs,
// shared by split, verify, which and bench.
func routeFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "hash", Value: "5tuple", Usage: "flow key: 2tuple, 3tuple, 4tuple, 5tuple, lfu (least-loaded, sticky) or host (--local-nets)"},
		&cli.BoolFlag{Name: "vlan", Usage: "put VLAN IDs into the flow key"},
		&cli.IntFlag{Name: "prefix4", Usage: "mask IPv4 addresses to this many bits before hashing (0: no mask)"},
		&cli.IntFlag{Name: "prefix6", Usage: "mask IPv6 addresses to this many bits before hashing (0: no mask)"},
		&cli.BoolFlag{Name: "24", Usage: "alias of --prefix4 24 (tcpsplit's -24)"},
		&cli.StringFlag{Name: "tunnels", Value: "inner", Usage: "key tunnelled packets by the inner or the outer header"},
		&cli.StringFlag{Name: "icmp-errors", Value: "flow", Usage: "ICMP errors go with the flow they quote (flow) or are keyed as their own packets (own)"},
		&cli.StringFlag{Name: "lfu-by", Value: "bytes", Usage: "--hash lfu balances bytes or packets"},
		&cli.IntFlag{Name: "max-flows", Value: flowtable.DefaultMaxFlows, Usage: "--hash lfu: most flows remembered; the least recently seen is evicted"},
		&cli.DurationFlag{Name: "tcp-timeout", Value: flowtable.DefaultTCPTimeout, Usage: "--hash lfu: a TCP flow idle this long (capture time) is forgotten"},
		&cli.DurationFlag{Name: "udp-timeout", Value: flowtable.DefaultUDPTimeout, Usage: "--hash lfu: a UDP flow idle this long is forgotten"},
		&cli.DurationFlag{Name: "other-timeout", Value: flowtable.DefaultOtherTimeout, Usage: "--hash lfu: a flow of another protocol (ICMP...) idle this long is forgotten"},
		&cli.DurationFlag{Name: "close-grace", Value: flowtable.DefaultCloseGrace, Usage: "--hash lfu: a TCP flow is forgotten this long after its last packet once it saw a RST or a FIN from each side"},
		&cli.IntFlag{Name: "frag-max", Value: fragtrack.DefaultMaxHeld, Usage: "most IP fragments held while they wait for their datagram's first fragment"},
		&cli.DurationFlag{Name: "frag-timeout", Value: fragtrack.DefaultTimeout, Usage: "longest wait (capture time) of a held fragment; then its datagram goes to the 3-tuple fallback"},
		&cli.StringFlag{Name: "local-nets", Usage: "--hash host: local networks, CIDR[,CIDR...]"},
		&cli.StringFlag{Name: "side", Value: "local", Usage: "--hash host: key on the local or the remote host"},
	}
}

// routeConfig reads the routing flags.
func routeConfig(cc *cli.Context) (splitter.RouteConfig, error) {
	mode, err := hashing.ParseMode(cc.String("hash"))
	if err != nil {
		return splitter.RouteConfig{}, fmt.Errorf("%w: %v", errUsage, err)
	}
	h := hashing.Config{
		Mode:    mode,
		VLAN:    cc.Bool("vlan"),
		Prefix4: cc.Int("prefix4"),
		Prefix6: cc.Int("prefix6"),
	}
	if cc.Bool("24") {
		if cc.IsSet("prefix4") && h.Prefix4 != 24 {
			return splitter.RouteConfig{}, fmt.Errorf("%w: --24 conflicts with --prefix4 %d", errUsage, h.Prefix4)
		}
		h.Prefix4 = 24
	}
	if h.LocalNets, err = hashing.ParseLocalNets(strings.Split(cc.String("local-nets"), ",")); err != nil {
		return splitter.RouteConfig{}, fmt.Errorf("%w: --local-nets: %v", errUsage, err)
	}
	if mode == hashing.ModeHost && len(h.LocalNets) == 0 {
		return splitter.RouteConfig{}, fmt.Errorf("%w: --hash host needs --local-nets CIDR[,CIDR...]", errUsage)
	}
	rc := splitter.RouteConfig{Hash: h}
	choices := []struct {
		flag, yes, no string
		dst           *bool
	}{
		{"side", "remote", "local", nil},
		{"tunnels", "inner", "outer", &rc.Tunnels},
		{"icmp-errors", "flow", "own", &rc.ICMPErrors},
		{"lfu-by", "packets", "bytes", &rc.LFUByPackets},
	}
	for _, c := range choices {
		v := cc.String(c.flag)
		if v != c.yes && v != c.no {
			return splitter.RouteConfig{}, fmt.Errorf("%w: --%s %q: want %s or %s", errUsage, c.flag, v, c.no, c.yes)
		}
		if c.dst != nil {
			*c.dst = v == c.yes
		} else if v == c.yes {
			rc.Hash.Side = hashing.SideRemote
		}
	}
	rc.Flows = flowtable.Config{
		MaxFlows:     cc.Int("max-flows"),
		TCPTimeout:   cc.Duration("tcp-timeout"),
		UDPTimeout:   cc.Duration("udp-timeout"),
		OtherTimeout: cc.Duration("other-timeout"),
		CloseGrace:   cc.Duration("close-grace"),
	}
	rc.Frags = fragtrack.Config{MaxHeld: cc.Int("frag-max"), Timeout: cc.Duration("frag-timeout")}
	return rc, nil
}
