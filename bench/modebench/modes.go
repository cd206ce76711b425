package modebench

import (
	"net/netip"

	"github.com/flowsplit/flowsplit/hashing"
	"github.com/flowsplit/flowsplit/splitter"
)

// Mode is one routing configuration to measure.
type Mode struct {
	// Name labels the table row, such as "5tuple" or "/24".
	Name string
	// Flags are the `flowsplit split` options that select the mode.
	Flags string
	// Route is the configuration handed to splitter.NewRouter.
	Route splitter.RouteConfig
}

// GeneratorLocalNets are the client networks of bench/gen, the local side
// of the host mode on generated traffic.
var GeneratorLocalNets = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("2001:db8::/32"),
}

// commandLine returns h with the routing defaults of `flowsplit split`:
// tunnels keyed by their inner header, ICMP errors with the flow they
// quote.
func commandLine(h hashing.Config) splitter.RouteConfig {
	return splitter.RouteConfig{Hash: h, Tunnels: true, ICMPErrors: true}
}

// DefaultModes returns the modes `flowsplit bench` measures, in table
// order; localNets are the local networks of the host mode.
func DefaultModes(localNets []netip.Prefix) []Mode {
	outer := commandLine(hashing.Config{Mode: hashing.Mode5Tuple})
	outer.Tunnels = false
	return []Mode{
		{"2tuple", "--hash 2tuple", commandLine(hashing.Config{Mode: hashing.Mode2Tuple})},
		{"3tuple", "--hash 3tuple", commandLine(hashing.Config{Mode: hashing.Mode3Tuple})},
		{"4tuple", "--hash 4tuple", commandLine(hashing.Config{Mode: hashing.Mode4Tuple})},
		{"5tuple", "--hash 5tuple (default; --tunnels inner)", commandLine(hashing.Config{Mode: hashing.Mode5Tuple})},
		{"/24", "--24", commandLine(hashing.Config{Mode: hashing.Mode5Tuple, Prefix4: 24})},
		{"2tuple/24", "--hash 2tuple --24", commandLine(hashing.Config{Mode: hashing.Mode2Tuple, Prefix4: 24})},
		{"lfu", "--hash lfu", commandLine(hashing.Config{Mode: hashing.ModeLFU})},
		{"host", "--hash host --local-nets " + joinPrefixes(localNets), commandLine(hashing.Config{Mode: hashing.ModeHost, LocalNets: localNets})},
		{"tunnels outer", "--tunnels outer", outer},
	}
}

func joinPrefixes(p []netip.Prefix) string {
	s := ""
	for i, x := range p {
		if i > 0 {
			s += ","
		}
		s += x.String()
	}
	return s
}
