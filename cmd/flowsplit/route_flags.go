package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/flowsplit/flowsplit/hashing"
	"github.com/flowsplit/flowsplit/splitter"
)

// routeFlags are the flags that say how packets are assigned to outputs,
// shared by split, verify, which and bench.
func routeFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "hash", Value: "5tuple", Usage: "flow key: 2tuple, 3tuple, 4tuple or 5tuple"},
		&cli.BoolFlag{Name: "vlan", Usage: "put VLAN IDs into the flow key"},
		&cli.IntFlag{Name: "prefix4", Usage: "mask IPv4 addresses to this many bits before hashing (0: no mask)"},
		&cli.IntFlag{Name: "prefix6", Usage: "mask IPv6 addresses to this many bits before hashing (0: no mask)"},
		&cli.BoolFlag{Name: "24", Usage: "alias of --prefix4 24 (tcpsplit's -24)"},
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
	return splitter.RouteConfig{Hash: h}, nil
}
