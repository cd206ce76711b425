package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/flowsplit/flowsplit/internal/metrics"
	"github.com/flowsplit/flowsplit/internal/status"
	"github.com/flowsplit/flowsplit/splitter"
)

// defaultStatsInterval is the default --stats-interval.
const defaultStatsInterval = time.Minute

// statusRefresh is how often the status line of a terminal is redrawn.
const statusRefresh = time.Second

// metricsShutdown bounds how long the end of a split waits for scrapes in
// progress.
const metricsShutdown = 2 * time.Second

// statusFlags are the flags of the live status, periodic statistics and
// metrics.
func statusFlags() []cli.Flag {
	return []cli.Flag{
		&cli.DurationFlag{Name: "stats-interval", Value: defaultStatsInterval, Usage: "how often a status line is logged when stderr is not a terminal, and --stats-json rewritten"},
		&cli.StringFlag{Name: "metrics", Usage: "serve Prometheus metrics at http://ADDR/metrics (ADDR as host:port, e.g. 127.0.0.1:9477)"},
	}
}

// statusOptions are what the status reporter needs from the command line.
type statusOptions struct {
	out      io.Writer // stderr
	tty      bool      // out is a terminal: a live status line
	width    int       // the terminal's width
	quiet    bool      // no status line, no status log lines
	interval time.Duration
	jsonPath string // --stats-json, rewritten every interval
	metrics  string // --metrics address, "" for none
	size     int64  // input size for progress, 0 when unknown
	clock    status.Clock
}

// statusReporter shows a split's progress while it runs: a status line on a
// terminal, or a log line every interval; --stats-json rewritten every
// interval; Prometheus metrics. The engine's snapshots arrive through
// observe; all output happens on the reporter's goroutine, off the engine's.
type statusReporter struct {
	opt      statusOptions
	latest   *status.Latest
	live     *status.Meter // fed every snapshot: the terminal line
	periodic *status.Meter // fed every interval: the log line
	server   *metrics.Server

	mu        sync.Mutex // serialises writes to opt.out
	lineShown bool       // a status line is on the terminal

	jsonWrites int
	jsonFailed bool
	stop       chan struct{}
	done       chan struct{}
}

// setupStatus starts the live status and metrics of a split and hooks them
// into cfg (Observe, and Log so that messages do not overwrite the line).
func setupStatus(cc *cli.Context, cfg *splitter.Config) (*statusReporter, error) {
	interval := cc.Duration("stats-interval")
	if interval <= 0 {
		return nil, fmt.Errorf("%w: --stats-interval %v: must be positive", errUsage, interval)
	}
	width, tty := status.Terminal(os.Stderr)
	r, err := startStatus(statusOptions{
		out:      os.Stderr,
		tty:      tty,
		width:    width,
		quiet:    cfg.Quiet,
		interval: interval,
		jsonPath: cfg.StatsJSON,
		metrics:  cc.String("metrics"),
		size:     inputsSize(cfg),
		clock:    status.SystemClock{},
	})
	if err != nil {
		return nil, err
	}
	if cfg.ObserveInterval <= 0 {
		cfg.ObserveInterval = min(statusRefresh, interval)
	}
	r.hook(cfg)
	return r, nil
}

// startStatus starts a reporter (and its metrics server).
func startStatus(o statusOptions) (*statusReporter, error) {
	r := &statusReporter{
		opt:      o,
		latest:   status.NewLatest(o.clock),
		live:     status.NewMeter(o.clock, status.MeterOptions{InputSize: o.size}),
		periodic: status.NewMeter(o.clock, status.MeterOptions{InputSize: o.size}),
		stop:     make(chan struct{}),
		done:     make(chan struct{}),
	}
	if o.metrics != "" {
		srv, err := metrics.Listen(o.metrics, r.latest.Load)
		if err != nil {
			return nil, fmt.Errorf("--metrics %s: %w", o.metrics, err)
		}
		r.server = srv
		if !o.quiet {
			r.printf("flowsplit: metrics at %s\n", srv.URL())
		}
	}
	go r.loop()
	return r, nil
}

// hook makes cfg deliver its snapshots to r, and, on a terminal, routes
// cfg.Log through r so that a message first clears the status line.
func (r *statusReporter) hook(cfg *splitter.Config) {
	prev := cfg.Observe
	cfg.Observe = func(st *splitter.Stats) {
		if prev != nil {
			prev(st)
		}
		r.observe(st)
	}
	if r.showsLine() && cfg.Log != nil {
		cfg.Log = &clearingWriter{r: r, w: cfg.Log}
	}
}

// observe receives an engine snapshot. It runs on the engine goroutine
// and only records it.
func (r *statusReporter) observe(st *splitter.Stats) {
	r.latest.Store(st)
	r.live.Observe(st)
}

func (r *statusReporter) showsLine() bool { return r.opt.tty && !r.opt.quiet }
func (r *statusReporter) logsLines() bool { return !r.opt.tty && !r.opt.quiet }

// loop draws the status line every statusRefresh and does the periodic
// work every interval, until finish.
func (r *statusReporter) loop() {
	defer close(r.done)
	tick := min(statusRefresh, r.opt.interval)
	t := time.NewTicker(tick)
	defer t.Stop()
	every := status.NewThrottle(r.opt.clock, r.opt.interval)
	for {
		select {
		case <-r.stop:
			return
		case <-t.C:
		}
		if r.showsLine() {
			if v, ok := r.live.View(); ok {
				r.drawLine(v.FitLine(r.opt.width - 1))
			}
		}
		if every.Due() {
			r.periodicWork()
		}
	}
}

// periodicWork logs a status line (not on a terminal) and rewrites the
// JSON statistics.
func (r *statusReporter) periodicWork() {
	st := r.latest.Load()
	if st == nil {
		return
	}
	if r.logsLines() {
		r.periodic.Observe(st)
		if v, ok := r.periodic.View(); ok {
			r.printf("flowsplit: status: %s\n", v.LogLine())
		}
	}
	if r.opt.jsonPath != "" {
		r.jsonWrites++
		if err := st.WriteJSON(r.opt.jsonPath); err != nil && !r.jsonFailed {
			r.jsonFailed = true // once: the final write reports for good
			r.printf("flowsplit: warning: %v\n", err)
		}
	}
}

// drawLine replaces the status line on the terminal.
func (r *statusReporter) drawLine(line string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintf(r.opt.out, "\r%s\x1b[K", line)
	r.lineShown = true
}

// clearLineLocked erases the status line; r.mu is held.
func (r *statusReporter) clearLineLocked() {
	if r.lineShown {
		io.WriteString(r.opt.out, "\r\x1b[K")
		r.lineShown = false
	}
}

// printf writes a message, clearing the status line first.
func (r *statusReporter) printf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.clearLineLocked()
	fmt.Fprintf(r.opt.out, format, args...)
}

// finish stops the reporter at the end of the split: the status line is
// cleared, the JSON statistics are those of st (the whole run), and the
// metrics server, which reports st until then, shuts down.
func (r *statusReporter) finish(st *splitter.Stats) {
	if r == nil {
		return
	}
	close(r.stop)
	<-r.done
	r.mu.Lock()
	r.clearLineLocked()
	r.mu.Unlock()
	if st != nil {
		r.latest.Final(st)
		if r.jsonWrites > 0 {
			// A periodic write may have landed after the engine's
			// final one: write the final statistics again.
			st.WriteJSON(r.opt.jsonPath) //nolint:errcheck // the engine's write reported errors
		}
	}
	if r.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), metricsShutdown)
		defer cancel()
		if err := r.server.Close(ctx); err != nil {
			r.printf("flowsplit: warning: %v\n", err)
		}
	}
}

// clearingWriter is the engine's log on a terminal: each message clears
// the status line first (the next refresh draws it again).
type clearingWriter struct {
	r *statusReporter
	w io.Writer
}

func (c *clearingWriter) Write(p []byte) (int, error) {
	c.r.mu.Lock()
	defer c.r.mu.Unlock()
	c.r.clearLineLocked()
	return c.w.Write(p)
}

// inputsSize is the size of the capture the split reads (every input file,
// a directory's files), against which its progress is measured; 0 when
// unknown.
func inputsSize(cfg *splitter.Config) int64 {
	names := cfg.Inputs
	if len(names) == 0 {
		names = []string{cfg.Input}
	}
	paths, err := splitter.ExpandInputs(names)
	if err != nil {
		return 0
	}
	return status.InputsSize(paths)
}
