package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/flowsplit/flowsplit/fifo"
	"github.com/flowsplit/flowsplit/internal/supervise"
	"github.com/flowsplit/flowsplit/splitter"
)

// exitWorkers is the exit code when a worker started by --exec failed
// (README "Exit codes").
const exitWorkers = 5

// Defaults of the --exec flags.
const (
	defaultWorkdir     = "./worker-{i}/"
	defaultMaxRestarts = 5
	defaultStopTimeout = 10 * time.Second
	// nudgeEvery is how often, after the split, the FIFO of a worker still
	// running is opened and closed for writing, so that a worker blocked
	// opening it (restarted just as its output closed) sees the end.
	nudgeEvery = 200 * time.Millisecond
)

// execFlags are the flags of --exec (worker processes).
func execFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "exec", Usage: "run a worker per output: `COMMAND` with {fifo} {i} {n} {dir} replaced, e.g. 'zeek -C -r {fifo} local'"},
		&cli.BoolFlag{Name: "shell", Usage: "run the --exec command with sh -c (placeholders are shell-quoted)"},
		&cli.StringFlag{Name: "workdir", Value: defaultWorkdir, Usage: "working directory of each worker (created); {i} is its index"},
		&cli.StringFlag{Name: "worker-output", Value: "files", Usage: "workers' stdout/stderr: files (stdout.log, stderr.log in the working directory) or prefix (on flowsplit's stderr, \"[worker I] \" before each line)"},
		&cli.StringFlag{Name: "restart", Value: "on-failure", Usage: "restart a worker that ends before its input: on-failure, always or never"},
		&cli.IntFlag{Name: "max-restarts", Value: defaultMaxRestarts, Usage: "restarts of each worker before giving up (backoff 100ms doubling to 5s)"},
		&cli.DurationFlag{Name: "stop-timeout", Value: defaultStopTimeout, Usage: "after a stop signal, how long workers get after SIGTERM before SIGKILL"},
		&cli.BoolFlag{Name: "print-commands", Usage: "print the worker commands (one per line, shell-quoted) and exit without splitting"},
	}
}

// workerSet supervises the worker processes of a split. The zero value
// (no --exec) does nothing.
type workerSet struct {
	group       *supervise.Group
	parent      context.Context // the command's: cancelled by a stop signal
	gaveUp      atomic.Bool     // the split was stopped because a worker is gone
	fifos       []string
	tmpDir      string // private FIFO directory, removed at the end
	stopTimeout time.Duration
	log         io.Writer
}

// setupExec starts the workers named by --exec, if any, before the split
// reads its input: it makes the FIFOs (in a private temporary directory
// when there is no -o), the working directories, and starts one worker per
// output. Under --on-full block a worker that is gone for good would stall
// the split forever, so the split gets a context of its own (cc.Context is
// replaced), cancelled then.
func setupExec(cc *cli.Context, cfg *splitter.Config) (*workerSet, error) {
	if cc.String("exec") == "" {
		for _, f := range []string{"shell", "workdir", "worker-output", "restart", "max-restarts", "stop-timeout", "print-commands"} {
			if cc.IsSet(f) {
				return nil, fmt.Errorf("%w: --%s needs --exec", errUsage, f)
			}
		}
		return &workerSet{}, nil
	}
	tmpl, opts, err := execOptions(cc)
	if err != nil {
		return nil, err
	}
	workdir := cc.String("workdir")
	if cfg.Workers > 1 && !strings.Contains(workdir, "{i}") {
		return nil, fmt.Errorf("%w: --workdir %q must contain {i}: workers must not share a directory", errUsage, workdir)
	}
	if cc.Bool("print-commands") {
		return nil, printCommands(cc.App.Writer, tmpl, cfg, workdir)
	}
	if _, err := exec.LookPath(tmpl.Program()); err != nil {
		return nil, fmt.Errorf("%w: --exec: %v", errUsage, err)
	}
	w := &workerSet{parent: cc.Context, stopTimeout: cc.Duration("stop-timeout"), log: cfg.Log}
	if w.log == nil {
		w.log = io.Discard
	}
	specs, err := w.prepare(cfg, tmpl, workdir)
	if err != nil {
		w.removeTmp()
		return nil, err
	}
	ctx, cancel := context.WithCancel(cc.Context)
	cc.Context = ctx // runSplit passes it to splitter.Run
	opts.GiveUp = func(i int) {
		if cfg.OnFull == splitter.Block {
			fmt.Fprintf(w.log, "flowsplit: output %d has no worker any more and would stall the split (--on-full block): stopping\n", i)
			w.gaveUp.Store(true)
			cancel()
		}
	}
	g, err := supervise.Start(specs, opts)
	if err != nil {
		cancel()
		w.removeTmp()
		if errors.Is(err, exec.ErrNotFound) || errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		return nil, err
	}
	w.group = g
	return w, nil
}

// execOptions parses the --exec flags.
func execOptions(cc *cli.Context) (*supervise.Template, supervise.Options, error) {
	var o supervise.Options
	tmpl, err := supervise.ParseTemplate(cc.String("exec"), cc.Bool("shell"))
	if err != nil {
		return nil, o, fmt.Errorf("%w: --exec: %v", errUsage, err)
	}
	if o.Restart, err = supervise.ParseRestart(cc.String("restart")); err != nil {
		return nil, o, fmt.Errorf("%w: %v", errUsage, err)
	}
	if o.Output, err = supervise.ParseOutput(cc.String("worker-output")); err != nil {
		return nil, o, fmt.Errorf("%w: %v", errUsage, err)
	}
	if o.MaxRestarts = cc.Int("max-restarts"); o.MaxRestarts < 0 {
		return nil, o, fmt.Errorf("%w: --max-restarts %d: want 0 or more", errUsage, o.MaxRestarts)
	}
	o.Backoff = supervise.Backoff{Min: supervise.DefaultBackoffMin, Max: supervise.DefaultBackoffMax}
	o.Log = os.Stderr
	return tmpl, o, nil
}

// workerVars returns the placeholders of worker i; paths are absolute
// because each worker runs in its own directory.
func workerVars(cfg *splitter.Config, workdir string, i int) (supervise.Vars, error) {
	v := supervise.Vars{Index: i, N: cfg.Workers}
	var err error
	if v.FIFO, err = filepath.Abs(cfg.OutputPath(i)); err != nil {
		return v, err
	}
	v.Dir, err = filepath.Abs(supervise.Substitute(workdir, v, nil))
	return v, err
}

// printCommands writes the worker commands for --print-commands and
// returns the error that ends the command with exit code 0.
func printCommands(out io.Writer, tmpl *supervise.Template, cfg *splitter.Config, workdir string) error {
	if cfg.OutPattern == "" {
		return fmt.Errorf("%w: --print-commands needs -o: the FIFO paths the workers will read", errUsage)
	}
	if out == nil {
		out = os.Stdout
	}
	for i := range cfg.Workers {
		v, err := workerVars(cfg, workdir, i)
		if err != nil {
			return err
		}
		fmt.Fprintln(out, supervise.QuoteCommand(tmpl.Argv(v)))
	}
	return commandsPrinted{}
}

// commandsPrinted ends `split --print-commands` with exit code 0.
type commandsPrinted struct{}

func (commandsPrinted) Error() string {
	return "--print-commands: worker commands printed, nothing split"
}
func (commandsPrinted) ExitCode() int { return exitOK }

// prepare makes the FIFOs and working directories and returns the
// workers' specs.
func (w *workerSet) prepare(cfg *splitter.Config, tmpl *supervise.Template, workdir string) ([]supervise.Spec, error) {
	if cfg.OutPattern == "" {
		dir, err := os.MkdirTemp("", "flowsplit-")
		if err != nil {
			return nil, fmt.Errorf("FIFO directory: %w", err)
		}
		w.tmpDir = dir
		cfg.OutPattern = filepath.Join(dir, "worker-%d.fifo")
	}
	cfg.MakeFIFOs = true
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	specs := make([]supervise.Spec, cfg.Workers)
	for i := range specs {
		path := cfg.OutputPath(i)
		kind, err := fifo.Prepare(path, true, cfg.Force)
		if err != nil {
			return nil, fmt.Errorf("%w: output %d: %v", errUsage, i, err)
		}
		if kind != fifo.KindFIFO {
			return nil, fmt.Errorf("%w: output %d (%s) is a regular file: --exec workers read FIFOs", errUsage, i, path)
		}
		v, err := workerVars(cfg, workdir, i)
		if err != nil {
			return nil, err
		}
		if err := os.MkdirAll(v.Dir, 0o755); err != nil {
			return nil, fmt.Errorf("worker %d: working directory: %w", i, err)
		}
		specs[i] = supervise.Spec{Index: i, Argv: tmpl.Argv(v), Dir: v.Dir, Input: v.FIFO}
		w.fifos = append(w.fifos, v.FIFO)
	}
	return specs, nil
}

// abort stops the workers when the split could not start.
func (w *workerSet) abort() {
	if w.group != nil {
		w.group.Stop(w.stopTimeout)
		w.group.Close()
	}
	w.removeTmp()
}

// finish waits for the workers after the split and returns the command's
// error. After the end of the input every worker is waited for without a
// time limit (Zeek may take long to write its logs) unless a stop signal
// comes; after a stop signal or a failed split they get SIGTERM, and
// SIGKILL after --stop-timeout. The error is the split's, or else a
// *workersFailed (exit code 5) when a worker did not end with status 0.
func (w *workerSet) finish(st *splitter.Stats, err error) error {
	if w.group == nil {
		return err
	}
	defer w.removeTmp()
	w.group.EndOfInput()
	stopNudge := w.nudge()
	signalled := w.parent.Err() != nil
	if signalled || (err != nil && !w.gaveUp.Load()) {
		w.group.Stop(w.stopTimeout)
	} else if werr := w.group.Wait(w.parent); werr != nil {
		fmt.Fprintln(w.log, "flowsplit: stopping the workers")
		w.group.Stop(w.stopTimeout)
		signalled = true
		if err == nil {
			err = fmt.Errorf("stopped while waiting for the workers: %w", context.Canceled)
		}
	}
	stopNudge()
	w.group.Close()
	rs := w.group.Results()
	var traffic []supervise.Traffic
	if st != nil {
		for _, o := range st.Outputs {
			if o.Index >= 0 {
				traffic = append(traffic, supervise.Traffic{Packets: o.Packets, Bytes: o.Bytes})
			}
		}
	}
	supervise.WriteSummary(w.log, rs, traffic) //nolint:errcheck // best effort on stderr
	if err != nil && (signalled || !w.gaveUp.Load()) {
		return err
	}
	var failed []string
	for _, r := range rs {
		if !r.OK() {
			failed = append(failed, fmt.Sprintf("worker %d: %s", r.Index, r.Status()))
		}
	}
	if len(failed) > 0 {
		return &workersFailed{failed: failed, of: len(rs)}
	}
	return err
}

// nudge opens and closes, for writing, the FIFO of every worker still
// running until stop is called: a worker blocked opening its FIFO after the
// split closed it then reads the end of its input instead of waiting
// forever.
func (w *workerSet) nudge() (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(nudgeEvery)
		defer t.Stop()
		for {
			for i, p := range w.fifos {
				if w.group.Running(i) {
					if f, err := fifo.TryOpenFIFO(p); err == nil {
						f.Close()
					}
				}
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); <-finished }
}

func (w *workerSet) removeTmp() {
	if w.tmpDir != "" {
		os.RemoveAll(w.tmpDir)
		w.tmpDir = ""
	}
}

// workersFailed lists the workers that did not end with status 0.
type workersFailed struct {
	failed []string
	of     int
}

func (e *workersFailed) Error() string {
	return fmt.Sprintf("%d of %d workers failed: %s", len(e.failed), e.of, strings.Join(e.failed, "; "))
}

// ExitCode makes the command exit with exitWorkers.
func (e *workersFailed) ExitCode() int { return exitWorkers }
