package supervise

import (
	"os/exec"
	"runtime"
)

// spawner starts every process of a Group from one goroutine locked to its
// OS thread.
//
// On Linux each worker gets a parent-death signal (Pdeathsig). The kernel
// sends it when the thread that forked the child ends, not the process: a
// child forked by an ordinary goroutine would be signalled as soon as the
// Go runtime retires that thread. The spawner's thread is locked and lives
// until the Group is closed, after every worker has been reaped; the loop
// then returns without unlocking, so the thread ends with it.
type spawner struct {
	reqs chan spawnReq
}

type spawnReq struct {
	cmd *exec.Cmd
	err chan<- error
}

func newSpawner() *spawner {
	s := &spawner{reqs: make(chan spawnReq)}
	go s.loop()
	return s
}

func (s *spawner) loop() {
	runtime.LockOSThread()
	for r := range s.reqs {
		r.err <- r.cmd.Start()
	}
}

// start starts cmd on the spawner's thread.
func (s *spawner) start(cmd *exec.Cmd) error {
	errc := make(chan error, 1)
	s.reqs <- spawnReq{cmd, errc}
	return <-errc
}

// close ends the spawner's thread: call it only when no child is left.
func (s *spawner) close() { close(s.reqs) }
