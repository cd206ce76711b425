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
)

// Modes lists every Mode in order, for tests and benchmarks.
var Modes = []Mode{Mode2Tuple, Mode3Tuple, Mode4Tuple, Mode5Tuple}

var modeNames = map[Mode]string{
	Mode2Tuple: "2tuple",
	Mode3Tuple: "3tuple",
	Mode4Tuple: "4tuple",
	Mode5Tuple: "5tuple",
}

// String returns the mode's command-line name, such as "5tuple".
func (m Mode) String() string {
	if s, ok := modeNames[m]; ok {
		return s
	}
	return fmt.Sprintf("mode(%d)", uint8(m))
}

// ParseMode parses a command-line mode name ("2tuple" ... "5tuple").
func ParseMode(s string) (Mode, error) {
	for m, name := range modeNames {
		if name == s {
			return m, nil
		}
	}
	return 0, fmt.Errorf("unknown hash mode %q (want 2tuple, 3tuple, 4tuple or 5tuple)", s)
}

// usesPorts reports whether the mode keys on ports.
func (m Mode) usesPorts() bool { return m == Mode4Tuple || m == Mode5Tuple }

// usesProto reports whether the mode keys on the IP protocol.
func (m Mode) usesProto() bool { return m == Mode3Tuple || m == Mode5Tuple }
