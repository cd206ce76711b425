package supervise

import (
	"fmt"
	"os"
	"time"
)

// Result is how a worker fared.
type Result struct {
	Index int
	Argv  []string
	// PID is the last process's.
	PID int
	// Starts counts the processes started; Restarts the restarts (after
	// the first start).
	Starts, Restarts int
	// RunTime sums the time its processes ran.
	RunTime time.Duration
	// State is the last process's exit state; nil when none ended.
	State *os.ProcessState
	// StartErr is why the last start failed, nil when it did not.
	StartErr error
	// Early: the last process ended before its input did.
	Early bool
	// Stopped: the last process ended after Group.Stop.
	Stopped bool
	// Running: a process runs now.
	Running bool
}

// OK reports whether the worker finished its input and ended with status 0.
func (r Result) OK() bool {
	return !r.Running && r.StartErr == nil && r.State != nil && r.State.Success() && !r.Early
}

// Status says how the worker ended: "exit 0", "exit 1 before the end of its
// input", "signal terminated (stopped)", "not started: ...", "running".
func (r Result) Status() string {
	switch {
	case r.Running:
		return "running"
	case r.StartErr != nil:
		return fmt.Sprintf("not started: %v", r.StartErr)
	}
	s := describe(r.State)
	switch {
	case r.Stopped:
		s += " (stopped)"
	case r.Early:
		s += " before the end of its input"
	}
	return s
}
