package supervise

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// Spec describes one worker.
type Spec struct {
	// Index numbers the worker in messages and in Result.
	Index int
	// Argv is the command; Argv[0] is looked up in $PATH.
	Argv []string
	// Dir is the worker's working directory; it must exist.
	Dir string
	// Input, when set, is the FIFO the worker reads. A worker that ends
	// while this process still holds Input open (for writing) ended before
	// its input did.
	Input string
}

// Options say how a Group runs its workers.
type Options struct {
	Restart     Restart
	MaxRestarts int
	Backoff     Backoff
	Output      OutputMode
	// Log receives the supervisor's messages ("flowsplit: worker 3: ...")
	// and, with OutputPrefix, the workers' output; nil discards them.
	Log io.Writer
	// GiveUp, when set, is called (from the worker's goroutine, once) when
	// a worker ended before its input and will not be restarted.
	GiveUp func(index int)
}

// Group runs and supervises a set of worker processes: each runs in its
// own process group, is restarted with backoff while its input lasts, and
// is signalled as a whole when stopped. A Group is safe for concurrent
// use.
type Group struct {
	opts  Options
	sp    *spawner
	log   io.Writer
	logMu sync.Mutex

	mu       sync.Mutex
	ended    bool // EndOfInput or Stop: no more restarts
	stopping bool
	endCh    chan struct{}
	workers  []*worker
	copiers  sync.WaitGroup
}

// worker is one supervised worker. cmd, started and res are guarded by
// Group.mu.
type worker struct {
	spec    Spec
	cmd     *exec.Cmd // the running process, nil between processes
	started time.Time
	res     Result
	done    chan struct{} // closed when the worker has ended for good
}

// StartError is a worker that could not be started at all.
type StartError struct {
	Index int
	Argv  []string
	Err   error
}

func (e *StartError) Error() string {
	return fmt.Sprintf("worker %d: cannot start %s: %v", e.Index, QuoteCommand(e.Argv), e.Err)
}

func (e *StartError) Unwrap() error { return e.Err }

// Start starts every worker of specs. If one cannot be started, the ones
// already started are stopped and Start returns a *StartError.
func Start(specs []Spec, opts Options) (*Group, error) {
	g := &Group{opts: opts, sp: newSpawner(), log: opts.Log, endCh: make(chan struct{})}
	if g.log == nil {
		g.log = io.Discard
	}
	for _, s := range specs {
		w := &worker{spec: s, done: make(chan struct{})}
		w.res.Index, w.res.Argv = s.Index, s.Argv
		g.mu.Lock()
		err := g.startLocked(w)
		g.mu.Unlock()
		if err != nil {
			g.Stop(5 * time.Second)
			g.Close()
			return nil, &StartError{s.Index, s.Argv, err}
		}
		g.workers = append(g.workers, w)
		go g.supervise(w)
	}
	return g, nil
}

// startLocked starts a process for w. g.mu is held.
func (g *Group) startLocked(w *worker) error {
	stdout, stderr, copy, err := g.openOutput(w)
	if err != nil {
		w.res.StartErr = err
		return err
	}
	cmd := exec.Command(w.spec.Argv[0], w.spec.Argv[1:]...)
	cmd.Dir = w.spec.Dir
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.SysProcAttr = sysProcAttr()
	err = g.sp.start(cmd)
	stdout.Close()
	if stderr != stdout {
		stderr.Close()
	}
	if copy != nil {
		g.copiers.Add(1)
		go func() { defer g.copiers.Done(); copy() }()
	}
	w.res.StartErr = err
	if err != nil {
		return err
	}
	w.cmd, w.started = cmd, time.Now()
	w.res.Starts++
	w.res.PID = cmd.Process.Pid
	g.logf("worker %d: started (pid %d): %s", w.spec.Index, w.res.PID, QuoteCommand(w.spec.Argv))
	return nil
}

func (g *Group) logf(format string, args ...any) {
	g.logMu.Lock()
	fmt.Fprintf(g.log, "flowsplit: "+format+"\n", args...)
	g.logMu.Unlock()
}

// supervise waits for w's processes and restarts them until w ends for
// good.
func (g *Group) supervise(w *worker) {
	defer close(w.done)
	for {
		if w.cmd != nil {
			g.reap(w)
		}
		restart, why := g.decide(w)
		if !restart {
			if why != "" {
				g.logf("worker %d: %s", w.spec.Index, why)
				if g.opts.GiveUp != nil {
					g.opts.GiveUp(w.spec.Index)
				}
			}
			return
		}
		delay := g.opts.Backoff.Delay(w.res.Restarts)
		g.logf("worker %d: restarting in %v (restart %d of %d)", w.spec.Index, delay, w.res.Restarts+1, g.opts.MaxRestarts)
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-g.endCh:
			t.Stop()
			g.logf("worker %d: not restarted: the input has ended", w.spec.Index)
			return
		}
		g.mu.Lock()
		if g.ended {
			g.mu.Unlock()
			return
		}
		w.res.Restarts++
		err := g.startLocked(w)
		g.mu.Unlock()
		if err != nil {
			g.logf("worker %d: cannot restart: %v", w.spec.Index, err)
		}
	}
}

// reap waits for w's process and records how it ended. Whatever is left of
// its process group gets SIGTERM.
func (g *Group) reap(w *worker) {
	w.cmd.Wait() //nolint:errcheck // the state says it all
	held := w.spec.Input != "" && holdsOpen(w.spec.Input)
	pid := w.cmd.Process.Pid
	signalGroup(pid, syscall.SIGTERM) //nolint:errcheck // usually empty (ESRCH)
	g.mu.Lock()
	defer g.mu.Unlock()
	st := w.cmd.ProcessState
	ran := time.Since(w.started)
	w.res.State, w.res.StartErr = st, nil
	w.res.RunTime += ran
	w.res.Stopped = g.stopping
	w.res.Early = !g.ended && (held || !st.Success())
	w.cmd = nil
	if !g.ended {
		g.logf("worker %d: ended (%s) after %v", w.spec.Index, describe(st), ran.Round(time.Millisecond))
	}
}

// decide says whether w, which has no process, is started again; when not
// and it ended before its input, why says so.
func (g *Group) decide(w *worker) (restart bool, why string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	r := &w.res
	if g.ended || (!r.Early && r.StartErr == nil) {
		return false, ""
	}
	status := "could not start"
	if r.StartErr == nil {
		status = describe(r.State)
	}
	switch {
	case g.opts.Restart == RestartNever:
		return false, fmt.Sprintf("ended before its input (%s) and is not restarted (--restart never)", status)
	case g.opts.Restart == RestartOnFailure && r.StartErr == nil && r.State.Success():
		return false, "ended before its input with status 0 and is not restarted (--restart on-failure)"
	case r.Restarts >= g.opts.MaxRestarts:
		return false, fmt.Sprintf("ended before its input (%s): giving up after %d restarts", status, r.Restarts)
	}
	return true, ""
}

// EndOfInput says that the workers' inputs have been closed: a worker that
// ends now has finished, and none is restarted any more.
func (g *Group) EndOfInput() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.endLocked()
}

func (g *Group) endLocked() {
	if !g.ended {
		g.ended = true
		close(g.endCh)
	}
}

// Running reports whether worker i (its position in the specs) has a
// process now.
func (g *Group) Running(i int) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return i < len(g.workers) && g.workers[i].cmd != nil
}

// Wait waits until every worker has ended for good, without a time limit,
// or until ctx is done (then it returns ctx's error and the workers run
// on).
func (g *Group) Wait(ctx context.Context) error {
	for _, w := range g.workers {
		select {
		case <-w.done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// Stop ends every worker: SIGTERM to each worker's process group, then,
// after timeout, SIGKILL to those still running. It returns when every
// worker has ended for good.
func (g *Group) Stop(timeout time.Duration) {
	g.mu.Lock()
	g.stopping = true
	g.endLocked()
	g.signalAll(syscall.SIGTERM)
	g.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if g.Wait(ctx) == nil {
		return
	}
	g.mu.Lock()
	g.signalAll(syscall.SIGKILL)
	g.mu.Unlock()
	g.Wait(context.Background()) //nolint:errcheck // cannot fail
}

// signalAll signals every running worker's process group. g.mu is held.
func (g *Group) signalAll(sig syscall.Signal) {
	for _, w := range g.workers {
		if w.cmd != nil {
			if err := signalGroup(w.cmd.Process.Pid, sig); err != nil && !errors.Is(err, syscall.ESRCH) {
				g.logf("worker %d: %v: %v", w.spec.Index, sig, err)
			}
		}
	}
}

// Results returns how each worker has fared so far, in the order of the
// specs.
func (g *Group) Results() []Result {
	g.mu.Lock()
	defer g.mu.Unlock()
	rs := make([]Result, len(g.workers))
	for i, w := range g.workers {
		rs[i] = w.res
		if w.cmd != nil {
			rs[i].Running = true
			rs[i].RunTime += time.Since(w.started)
		}
	}
	return rs
}

// copyDrain bounds how long Close waits for output copied from processes
// that left children holding it open.
const copyDrain = 2 * time.Second

// Close releases the Group once every worker has ended for good (after
// Wait returned nil, or Stop): it ends the spawner's thread and waits a
// little for the workers' output to be copied out.
func (g *Group) Close() {
	g.sp.close()
	done := make(chan struct{})
	go func() { g.copiers.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(copyDrain):
	}
}

// describe says how a process ended: "exit 1", "signal: killed".
func describe(st *os.ProcessState) string {
	if st == nil {
		return "not started"
	}
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return "signal " + ws.Signal().String()
	}
	return fmt.Sprintf("exit %d", st.ExitCode())
}
