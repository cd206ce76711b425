// Package peakrss measures the peak resident set of a child process.
//
// wait4's ru_maxrss cannot be used for that: os/exec starts children with
// vfork, and the kernel records the vforked parent's peak RSS as the
// child's when the child execs, so a child's ru_maxrss is at least its
// parent's. peakrss polls the child's own VmHWM instead.
package peakrss

import (
	"bytes"
	"os"
	"strconv"
	"sync/atomic"
	"time"
)

// poll is how often a measured process's VmHWM is read.
const poll = 2 * time.Millisecond

// Watch polls /proc/PID/status for VmHWM (the peak resident set) until
// stop is called, which returns the largest value seen, in bytes (0 where
// /proc is missing). Call stop once the process has exited.
func Watch(pid int) (stop func() int64) {
	var peak atomic.Int64
	done := make(chan struct{})
	finished := make(chan struct{})
	path := "/proc/" + strconv.Itoa(pid) + "/status"
	go func() {
		defer close(finished)
		t := time.NewTicker(poll)
		defer t.Stop()
		for {
			if v := readHWM(path); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() int64 {
		close(done)
		<-finished
		return peak.Load()
	}
}

// readHWM returns the VmHWM of a /proc/PID/status file in bytes, 0 when it
// cannot be read (the process is gone).
func readHWM(path string) int64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	i := bytes.Index(b, []byte("VmHWM:"))
	if i < 0 {
		return 0
	}
	f := bytes.Fields(b[i+len("VmHWM:"):])
	if len(f) < 2 {
		return 0
	}
	kb, err := strconv.ParseInt(string(f[0]), 10, 64)
	if err != nil {
		return 0
	}
	return kb << 10
}
