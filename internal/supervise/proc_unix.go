//go:build unix && !linux

package supervise

import "syscall"

// sysProcAttr puts the worker in its own process group. There is no
// parent-death signal outside Linux: workers outlive a flowsplit that is
// killed with SIGKILL (their FIFO ends, so they stop soon after).
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}

// signalGroup sends sig to the process group led by pid.
func signalGroup(pid int, sig syscall.Signal) error {
	return syscall.Kill(-pid, sig)
}

// holdsOpen is always false without /proc: every exit with a status of 0
// counts as the end of the worker's input.
func holdsOpen(string) bool { return false }
