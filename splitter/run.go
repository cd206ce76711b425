package splitter

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/flowsplit/flowsplit/fifo"
	"github.com/flowsplit/flowsplit/internal/pcapio"
)

// InputError is an error in the input stream itself: not a capture, a bad
// file header, or damage under Config.Strict (exit code 3).
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// Run splits the configured input into the configured outputs until the
// input ends or ctx is cancelled (a stop signal: reading stops, queued
// packets are still written for up to Config.DrainTimeout). It returns the
// run's statistics (also on error) and the first error. Whatever happens,
// every output that was opened has been flushed and closed when Run
// returns, so each is a valid capture.
func Run(ctx context.Context, c *Config) (*Stats, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	e := &engine{cfg: c, start: time.Now(), log: &logger{w: c.Log}}
	e.stats.Input.Name = c.inputName()
	err := e.run(ctx)
	e.stats.ElapsedSeconds = time.Since(e.start).Seconds()
	if err != nil {
		e.stats.Errors = append(e.stats.Errors, err.Error())
	}
	if c.StatsJSON != "" {
		if jerr := e.stats.WriteJSON(c.StatsJSON); jerr != nil && err == nil {
			err = jerr
		}
	}
	return &e.stats, err
}

// engine is one run's state.
type engine struct {
	cfg   *Config
	start time.Time
	stats Stats
	log   *logger

	sinks []*sink // worker outputs
	weird *sink   // nil without --weird
	all   []*sink // sinks plus weird

	// clock counts ticks of FlushInterval/ticksPerFlush; tick is set at each.
	clock atomic.Int64
	tick  atomic.Bool
}

// ticksPerFlush is how finely FlushInterval is measured: a batch is handed
// over when it has held a packet for ticksPerFlush ticks.
const ticksPerFlush = 4

func (e *engine) logf(format string, args ...any) {
	if !e.cfg.Quiet {
		e.log.printf(format, args...)
	}
}

func (e *engine) run(ctx context.Context) (err error) {
	c := e.cfg
	paths := outputPaths(c)
	kinds, err := prepareOutputs(c, paths)
	if err != nil {
		return err
	}
	readCtx, cancelRead := context.WithCancel(ctx)
	defer cancelRead()
	in, closeIn, err := openInput(c)
	if err != nil {
		return &InputError{fmt.Errorf("open input: %w", err)}
	}
	defer closeIn()
	pr := newPausingReader(readCtx, in, c.FlushInterval, e.flushAll)
	defer pr.close()

	rd, err := pcapio.NewReader(pr, pcapio.ReaderOptions{
		Name:   c.inputName(),
		Strict: c.Strict,
		Warn:   func(msg string) { e.log.printf("warning: %s", msg) },
	})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &InputError{err}
	}
	format, err := pcapio.ChooseFormat(rd.Interfaces(), c.Format)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	w := newRecordWriter(format, rd)
	e.stats.Input.Format = formatName(rd.Format())
	e.stats.OutputFormat = formatName(format)

	if err := e.openSinks(ctx, w, paths, kinds); err != nil {
		return err
	}
	drain, stopDrain := drainContext(ctx, c.DrainTimeout)
	defer func() {
		for _, s := range e.all {
			if ferr := s.finish(drain); ferr != nil && err == nil {
				err = ferr
			}
		}
		stopDrain()
		e.collect()
	}()

	stopTicker := e.startTicker(c.FlushInterval / ticksPerFlush)
	defer stopTicker()

	err = e.loop(ctx, rd, w)
	rs := rd.Stats()
	e.stats.Input.StreamBytes = rs.BytesRead
	e.stats.Input.SkippedBytes = rs.SkippedBytes
	e.stats.Input.Resyncs = rs.Resyncs
	return err
}

// drainContext returns a context that ends timeout after ctx does (a stop
// signal), bounding the drain, or when stop is called.
func drainContext(ctx context.Context, timeout time.Duration) (context.Context, func()) {
	drain, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
		case <-done:
			return
		}
		t := time.NewTimer(timeout)
		defer t.Stop()
		select {
		case <-t.C:
			cancel()
		case <-done:
		}
	}()
	return drain, func() { close(done); cancel() }
}

// openSinks opens every output and starts its writer.
func (e *engine) openSinks(ctx context.Context, w *recordWriter, paths []string, kinds []fifo.Kind) error {
	c := e.cfg
	files, err := openOutputs(ctx, c, paths, kinds)
	if err != nil {
		return err
	}
	o := &sinkOptions{
		format:     w.format,
		header:     w.appendHeader(nil),
		policy:     c.OnFull,
		queueSize:  c.QueueSize,
		batchSize:  batchSize(len(paths)),
		spillDir:   c.SpillDir,
		spillMax:   c.SpillMax,
		log:        e.log,
		reopenWait: c.ReopenInterval,
	}
	for i, f := range files {
		idx := i
		if i == c.Workers {
			idx = -1
		}
		s := newSink(idx, paths[i], kinds[i] == fifo.KindFIFO, f, o)
		if f == nil {
			e.log.printf("%s: no reader: down until one opens it", s.name())
		}
		e.all = append(e.all, s)
		if idx < 0 {
			e.weird = s
		} else {
			e.sinks = append(e.sinks, s)
		}
	}
	return nil
}

// startTicker advances the flush clock every d until the returned func is
// called.
func (e *engine) startTicker(d time.Duration) (stop func()) {
	e.clock.Store(1)
	t := time.NewTicker(d)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-t.C:
				e.clock.Add(1)
				e.tick.Store(true)
			case <-done:
				return
			}
		}
	}()
	return func() { t.Stop(); close(done) }
}

// loop is the per-packet path.
func (e *engine) loop(ctx context.Context, rd *pcapio.Reader, w *recordWriter) error {
	r := newRouter(e.cfg.Hash, e.cfg.Workers)
	var rec pcapio.Record
	in := &e.stats.Input
	for {
		if e.tick.Load() {
			if err := e.onTick(ctx); err != nil {
				return err
			}
		}
		if err := rd.Next(&rec); err != nil {
			if err == io.EOF {
				return nil
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return &InputError{err}
		}
		in.Packets++
		in.Bytes += uint64(len(rec.Data))
		out, weird := r.route(rec.LinkType, rec.Data)
		s := e.sinks[out]
		if weird {
			e.stats.Weird.Packets++
			e.stats.Weird.Bytes += uint64(len(rec.Data))
			if e.weird != nil {
				s = e.weird
			}
		}
		s.add(ctx, w, &rec, w.recordSize(&rec), e.clock.Load())
	}
}

// onTick runs a few times per FlushInterval on the engine goroutine: it
// stops on cancellation, fails on a fatal write error and hands over
// batches that have held a packet for a whole FlushInterval.
func (e *engine) onTick(ctx context.Context) error {
	e.tick.Store(false)
	if err := ctx.Err(); err != nil {
		return err
	}
	now := e.clock.Load()
	for _, s := range e.all {
		if s.failed.Load() {
			return s.error()
		}
		if s.pending != 0 && now-s.pending >= ticksPerFlush {
			s.submit(ctx)
		}
	}
	return nil
}

// flushAll hands every non-empty batch to its writer. It runs on the engine
// goroutine when the input pauses.
func (e *engine) flushAll() {
	for _, s := range e.all {
		s.submit(context.Background())
	}
}

// collect fills the per-output statistics; the writers have stopped.
func (e *engine) collect() {
	for _, s := range e.all {
		o := s.stats()
		if s.index < 0 {
			e.stats.Weird.Output = &o
			continue
		}
		e.stats.Outputs = append(e.stats.Outputs, o)
	}
	if e.weird != nil {
		e.stats.Weird.Path = e.weird.path
	}
}

// IsInterrupted reports whether err means the run was cancelled.
func IsInterrupted(err error) bool {
	return errors.Is(err, context.Canceled)
}
