package splitter

import "fmt"

// Policy says what happens to packets for an output that cannot take them
// (slow, stopped or absent worker) once its queue is full.
type Policy uint8

const (
	// Block waits for the output: lossless, but a stuck worker eventually
	// stalls the input and so every other output.
	Block Policy = iota
	// Drop drops that output's packets while its queue is full, counted;
	// the other outputs never stall.
	Drop
	// Spill writes the overflow to a spill file and replays it, in order,
	// once the worker catches up: lossless without stalling the others, up
	// to Config.SpillMax bytes per output (then it blocks).
	Spill
)

var policyNames = []string{Block: "block", Drop: "drop", Spill: "spill"}

func (p Policy) String() string {
	if int(p) < len(policyNames) {
		return policyNames[p]
	}
	return fmt.Sprintf("policy(%d)", uint8(p))
}

// ParsePolicy parses "block", "drop" or "spill".
func ParsePolicy(s string) (Policy, error) {
	for i, n := range policyNames {
		if n == s {
			return Policy(i), nil
		}
	}
	return 0, fmt.Errorf("unknown --on-full policy %q (want block, drop or spill)", s)
}
