package splitter

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// MaxWorkers is the largest number of outputs.
const MaxWorkers = 1024

// DefaultFlushInterval is the default Config.FlushInterval.
const DefaultFlushInterval = 100 * time.Millisecond

// Config is everything Run needs. Fill it from flags, then call Validate.
type Config struct {
	// Input is a capture path; "" or "-" reads Stdin.
	Input string
	// Inputs, when set instead of Input, are several captures read one
	// after the other as one stream (see inputs.go); a directory stands for
	// its files in the order of their first packets, "-" (at most once) for
	// Stdin. Input may be a directory too.
	Inputs []string
	// Stdin is read when Input is "" or "-".
	Stdin io.Reader
	// Workers is the number of outputs, 1..MaxWorkers.
	Workers int
	// OutPattern is the output path with exactly one "%d", replaced by the
	// 0-based output index.
	OutPattern string
	// MakeFIFOs creates missing output paths as FIFOs instead of files.
	MakeFIFOs bool
	// Force allows overwriting existing regular files.
	Force bool
	// Route says how packets are assigned to outputs.
	Route RouteConfig
	// Weird, when set, is the path that unclassifiable packets go to.
	Weird string
	// StatsJSON, when set, is written with the run's statistics at exit.
	StatsJSON string
	// Format is the output format: "auto" (or ""), "pcap" or "pcapng".
	Format string
	// Strict stops at the first damaged record instead of resynchronising.
	Strict bool
	// NoMap reads an input file with read(2) instead of mapping it (the
	// path a FIFO or stdin takes); for tests and comparisons.
	NoMap bool
	// NoLookAhead routes each record as soon as it is read, without
	// handing the next ones to Router.Prefetch first (lfu mode; for
	// tests and benchmarks comparing the two).
	NoLookAhead bool
	// FlushInterval bounds how long a packet may wait in a batch.
	FlushInterval time.Duration
	// Log receives progress messages and the summary; nil discards them.
	Log io.Writer
	// Quiet suppresses progress messages (the summary stays).
	Quiet bool

	// OnFull is what happens to an output whose queue is full.
	OnFull Policy
	// QueueSize bounds each output's queue, in bytes.
	QueueSize int64
	// QueueTotal bounds all the outputs' queues together, in bytes (but
	// each output can always double-buffer: see batchPool). When 0:
	// DefaultQueueTotal under Block; under Drop and Spill no bound but
	// each output's QueueSize, so that a stuck worker takes nothing from
	// the others' queues.
	QueueTotal int64
	// SpillDir and SpillMax say where Spill writes its files and how large
	// each may grow.
	SpillDir string
	SpillMax int64
	// NoWaitReaders starts at once: FIFO outputs without a reader are down
	// from the start (and opened when one comes).
	NoWaitReaders bool
	// DrainTimeout bounds how long queued packets are still written after a
	// stop signal (ctx cancelled).
	DrainTimeout time.Duration
	// ReopenInterval is how often a down FIFO output is polled for a new
	// reader.
	ReopenInterval time.Duration

	// Observe, when set, is called on the engine goroutine about every
	// ObserveInterval (default 1s) with a fresh snapshot of the statistics,
	// and once more at the end. It must not keep the engine long.
	Observe         func(*Stats)
	ObserveInterval time.Duration
	// StatusRequests prints a statistics snapshot on the log at each
	// receive (the command sends SIGUSR1 here).
	StatusRequests <-chan struct{}
}

// Defaults of the output-survival settings.
const (
	DefaultQueueSize      = 64 << 20
	DefaultQueueTotal     = 32 << 20 // under Block
	DefaultSpillMax       = 1 << 30
	DefaultDrainTimeout   = 10 * time.Second
	DefaultReopenInterval = 100 * time.Millisecond
)

// ErrUsage marks configuration errors (exit code 2).
var ErrUsage = errors.New("usage error")

func usageErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrUsage, fmt.Sprintf(format, args...))
}

// Validate checks the config and fills defaults.
func (c *Config) Validate() error {
	if c.Input != "" && len(c.Inputs) > 0 {
		return usageErr("Input and Inputs are both set")
	}
	if n := countStdin(c.Inputs); n > 1 {
		return usageErr("stdin (-) is given %d times as an input", n)
	}
	if c.Workers < 1 || c.Workers > MaxWorkers {
		return usageErr("--workers %d out of range 1..%d", c.Workers, MaxWorkers)
	}
	if c.OutPattern == "" {
		return usageErr("--out is required")
	}
	if n := strings.Count(c.OutPattern, "%d"); n != 1 {
		return usageErr("--out %q must contain exactly one %%d (has %d)", c.OutPattern, n)
	}
	if err := c.Route.validate(); err != nil {
		return err
	}
	switch c.Format {
	case "":
		c.Format = "auto"
	case "auto", "pcap", "pcapng":
	default:
		return usageErr("--format %q: want auto, pcap or pcapng", c.Format)
	}
	if c.FlushInterval <= 0 {
		c.FlushInterval = DefaultFlushInterval
	}
	if c.Log == nil {
		c.Log = io.Discard
	}
	if c.QueueSize == 0 {
		c.QueueSize = DefaultQueueSize
	}
	if c.QueueSize < 64<<10 {
		return usageErr("--queue-size %d: at least 64 KiB", c.QueueSize)
	}
	if c.QueueTotal == 0 && c.OnFull == Block {
		c.QueueTotal = DefaultQueueTotal
	}
	if c.QueueTotal != 0 && c.QueueTotal < 64<<10 {
		return usageErr("--queue-total %d: at least 64 KiB", c.QueueTotal)
	}
	if c.SpillMax == 0 {
		c.SpillMax = DefaultSpillMax
	}
	if c.SpillDir == "" {
		c.SpillDir = os.TempDir()
	}
	if c.OnFull > Spill {
		return usageErr("invalid --on-full policy %d", c.OnFull)
	}
	if c.DrainTimeout <= 0 {
		c.DrainTimeout = DefaultDrainTimeout
	}
	if c.ObserveInterval <= 0 {
		c.ObserveInterval = time.Second
	}
	if c.ReopenInterval <= 0 {
		c.ReopenInterval = DefaultReopenInterval
	}
	return nil
}

// queueTotal is the bound of n outputs' queues together: QueueTotal, or
// when unset the sum of their own bounds (no output then ever waits for
// another's memory).
func (c *Config) queueTotal(n int) int64 {
	if c.QueueTotal != 0 {
		return c.QueueTotal
	}
	return int64(n) * c.QueueSize
}

// OutputPath returns the path of output i.
func (c *Config) OutputPath(i int) string {
	return strings.Replace(c.OutPattern, "%d", strconv.Itoa(i), 1)
}

// inputName is how messages and statistics name the input: its path,
// "stdin", or for several inputs the first and the last.
func (c *Config) inputName() string {
	switch n := len(c.Inputs); {
	case n == 1:
		return displayName(c.Inputs[0])
	case n > 1:
		return fmt.Sprintf("%s ... %s (%d inputs)", displayName(c.Inputs[0]), displayName(c.Inputs[n-1]), n)
	}
	return displayName(c.Input)
}

func countStdin(inputs []string) (n int) {
	for _, in := range inputs {
		if in == "-" {
			n++
		}
	}
	return n
}
