package hashing

import "fmt"

// Mode selects which fields of a Tuple identify a flow.
type Mode uint8

const (
	// Mode2Tuple keys on the address pair.
	Mode2Tuple Mode = iota + 1
	// Mode3Tuple keys on the address pair and the IP protocol.
	Mode3Tuple
	// Mode4Tuple keys on the address pair and the port pair.
	Mode4Tuple
	// Mode5Tuple keys on the address pair, the port pair and the protocol.
	Mode5Tuple
	// ModeLFU keys flows like Mode5Tuple; the router assigns each new flow
	// to the least-loaded output instead of hashing it (splitter).
	ModeLFU
	// ModeHost keys on one host: the endpoint inside Config.LocalNets (or
	// outside, with SideRemote). A pair of two local or two remote hosts
	// is keyed like Mode2Tuple.
	ModeHost
)

// Modes lists the stateless tuple modes in order, for tests and benchmarks
// that need no further options. ModeLFU and ModeHost are not in it.
var Modes = []Mode{Mode2Tuple, Mode3Tuple, Mode4Tuple, Mode5Tuple}

var modeNames = map[Mode]string{
	Mode2Tuple: "2tuple",
	Mode3Tuple: "3tuple",
	Mode4Tuple: "4tuple",
	Mode5Tuple: "5tuple",
	ModeLFU:    "lfu",
	ModeHost:   "host",
}

// String returns the mode's command-line name, such as "5tuple".
func (m Mode) String() string {
	if s, ok := modeNames[m]; ok {
		return s
	}
	return fmt.Sprintf("mode(%d)", uint8(m))
}

// ParseMode parses a command-line mode name ("2tuple" ... "5tuple", "lfu",
// "host").
func ParseMode(s string) (Mode, error) {
	for m, name := range modeNames {
		if name == s {
			return m, nil
		}
	}
	return 0, fmt.Errorf("unknown hash mode %q (want 2tuple, 3tuple, 4tuple, 5tuple, lfu or host)", s)
}

// UsesPorts reports whether the mode keys on ports, so that an IP
// fragment without ports cannot be placed before its datagram's first
// fragment is seen.
func (m Mode) UsesPorts() bool { return m == Mode4Tuple || m == Mode5Tuple || m == ModeLFU }

// usesProto reports whether the mode keys on the IP protocol.
func (m Mode) usesProto() bool { return m == Mode3Tuple || m == Mode5Tuple || m == ModeLFU }
