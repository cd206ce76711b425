package supervise

import (
	"os"
	"syscall"
)

// sysProcAttr puts the worker in its own process group (signalled as a
// whole, and out of reach of the terminal's Ctrl-C, which flowsplit handles
// first by draining) and asks the kernel to send it SIGTERM if flowsplit
// dies (see spawner for the thread this is tied to). SIGTERM rather than
// SIGKILL lets Zeek write its logs; the worker's FIFO has lost its writer
// by then and ends anyway.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
}

// signalGroup sends sig to the process group led by pid.
func signalGroup(pid int, sig syscall.Signal) error {
	return syscall.Kill(-pid, sig)
}

// holdsOpen reports whether this process has a descriptor open on the file
// at path (found through /proc/self/fd).
func holdsOpen(path string) bool {
	want, err := os.Stat(path)
	if err != nil {
		return false
	}
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return false
	}
	for _, e := range ents {
		fi, err := os.Stat("/proc/self/fd/" + e.Name())
		if err == nil && os.SameFile(want, fi) {
			return true
		}
	}
	return false
}
