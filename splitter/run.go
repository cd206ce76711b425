package splitter

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"strings"
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
	if e.router != nil {
		e.router.Close()
	}
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

	src         *source            // the input being read
	readDone    pcapio.ReaderStats // of the inputs read before src
	ifs         *ifaceMap          // the interfaces of the inputs, as the outputs number them
	remap       bool               // several inputs: records' interfaces are renumbered (ifs)
	router      *Router
	linkTypes   []uint16 // of the interfaces declared in pcapng outputs (noteLinkTypes)
	lastSec     int64    // timestamp of the last packet read
	lastNsec    uint32
	lastObserve time.Time
}

// ticksPerFlush is how finely FlushInterval is measured: a batch is handed
// over when it has held a packet for ticksPerFlush ticks.
const ticksPerFlush = 4

func (e *engine) run(ctx context.Context) (err error) {
	c := e.cfg
	paths := outputPaths(c)
	inputs, err := c.inputPaths()
	if err != nil {
		return &InputError{fmt.Errorf("input: %w", err)}
	}
	if err := checkNotOutput(inputs, paths); err != nil {
		return err
	}
	kinds, err := prepareOutputs(c, paths)
	if err != nil {
		return err
	}
	readCtx, cancelRead := context.WithCancel(ctx)
	defer cancelRead()
	first := e.skipEmpty(inputs, 0, true)
	src, err := e.openSource(readCtx, inputs[first])
	if err != nil {
		return err
	}
	e.src = src
	defer func() { e.src.close() }()
	if len(inputs) > 1 {
		e.stats.Input.Current = src.name
	}
	rd := src.rd
	want := c.Format
	if want == "auto" && strings.HasSuffix(strings.ToLower(c.OutPattern), ".pcapng") {
		want = "pcapng" // as the user's output names say
	}
	ifs, prec, snap, err := e.peekInputs(rd, inputs[first+1:], want == "auto")
	if err != nil {
		return err
	}
	e.ifs, e.remap = ifs, len(inputs) > 1
	format, err := pcapio.ChooseFormat(append(e.allInterfaces(inputs[first], rd, want), ifs.global...), want)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	w := newRecordWriter(format, ifs, prec, snap)
	e.stats.Input.Format = formatName(rd.Format())
	e.stats.OutputFormat = formatName(format)

	if err := e.openSinks(ctx, w, paths, kinds); err != nil {
		return err
	}
	if format == pcapio.FormatPcapNG {
		e.noteLinkTypes(ifs.global)
	}
	defer func() {
		// Under Block the drain waits for slow readers until a stop signal
		// (then DrainTimeout more); under Drop and Spill it is bounded by
		// DrainTimeout from the end of the input.
		drain, stopDrain := drainContext(ctx, c.DrainTimeout)
		if c.OnFull != Block {
			drain, stopDrain = context.WithTimeout(context.Background(), c.DrainTimeout)
		}
		if ferr := finishAll(e.all, drain); ferr != nil && err == nil {
			err = ferr
		}
		stopDrain()
		e.stats = *e.snapshot()
		if c.Observe != nil {
			c.Observe(e.snapshot())
		}
	}()

	stopTicker := e.startTicker(c.FlushInterval / ticksPerFlush)
	defer stopTicker()

	r, err := NewRouter(c.Route, c.Workers)
	if err != nil {
		return err
	}
	e.router = r
	e.lastObserve = time.Now()
	return e.readAll(ctx, readCtx, w, inputs, first)
}

// readAll splits every input from inputs[first], src being open on it,
// one after the other. The router's held records are emitted after the
// last one (or when the split stops early): a fragmented datagram cut by a
// file rotation is still routed whole.
func (e *engine) readAll(ctx, readCtx context.Context, w *recordWriter, inputs []string, first int) error {
	defer e.router.Flush(func(rec *pcapio.Record, out int, weird bool) { e.write(ctx, w, rec, out, weird) })
	for i := first; ; {
		var err error
		if e.src.mapped != nil {
			err = e.loopMapped(ctx, w)
		} else {
			err = e.loop(ctx, w)
		}
		if err != nil {
			return err
		}
		if i = e.skipEmpty(inputs, i+1, false); i == len(inputs) {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		e.doneInput(e.src)
		e.src.close()
		if e.src, err = e.openSource(readCtx, inputs[i]); err != nil {
			e.src = &source{}
			return err
		}
		e.ifs.next()
		e.stats.Input.Current = e.src.name
		if f := formatName(e.src.rd.Format()); f != e.stats.Input.Format {
			e.stats.Input.Format = "mixed"
		}
	}
}

// skipEmpty returns the index of the first input from i on that is not an
// empty regular file (a file a rotating writer has just created), saying
// which ones it skips, or len(inputs). A lone input is never skipped, nor,
// with keepLast, the last one: the split then has an input to open, and a
// lone empty file gets its error.
func (e *engine) skipEmpty(inputs []string, i int, keepLast bool) int {
	for ; i < len(inputs) && len(inputs) > 1 && !(keepLast && i == len(inputs)-1) && isEmptyFile(inputs[i]); i++ {
		e.log.printf("warning: %s: empty file, skipped", inputs[i])
	}
	return i
}

// doneInput adds the counters of a finished input's reader to the totals.
func (e *engine) doneInput(s *source) {
	rs := s.rd.Stats()
	e.readDone.BytesRead += rs.BytesRead
	e.readDone.SkippedBytes += rs.SkippedBytes
	e.readDone.Resyncs += rs.Resyncs
}

// allInterfaces returns the interfaces of input path, read by rd, that
// decide the output format (format: "auto" after the output pattern's
// say). A pcapng stream can declare interfaces after its first packets;
// when the input is a regular file and the format is still to choose, it
// is read once ahead (scanInterfaces) to find all of them, so that "auto"
// does not pick pcap for a file with a second link type further on. A
// stream (FIFO, stdin) cannot be read ahead: a later interface of another
// link type then stops the run with a message to use pcapng.
func (e *engine) allInterfaces(path string, rd *pcapio.Reader, format string) []pcapio.Interface {
	ifs := rd.Interfaces()
	if rd.Format() != pcapio.FormatPcapNG || format != "auto" || path == "" || path == "-" {
		return ifs
	}
	if fi, err := os.Stat(path); err != nil || !fi.Mode().IsRegular() {
		return ifs
	}
	if all, ok := scanInterfaces(path); ok {
		return all
	}
	return ifs
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
		header:     newOutHeader(w),
		policy:     c.OnFull,
		queueSize:  c.QueueSize,
		pool:       newBatchPool(batchSize(len(paths)), c.queueTotal(len(paths)), len(paths)),
		spillDir:   c.SpillDir,
		spillMax:   c.SpillMax,
		log:        e.log,
		reopenWait: c.ReopenInterval,
		onWait:     e.observe,
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
func (e *engine) loop(ctx context.Context, w *recordWriter) error {
	r := e.router
	in := &e.stats.Input
	emit := func(rec *pcapio.Record, out int, weird bool) { e.write(ctx, w, rec, out, weird) }
	mapped := e.src.mapped
	// In the lfu mode the router sees records lookAhead records early
	// (Router.Prefetch): in place on a mapped input, else copied.
	q := recordQueue{rd: e.src.rd}
	if r.WantsPrefetch() && !e.cfg.NoLookAhead {
		q.depth, q.prefetch, q.copy = lookAhead, r.Prefetch, mapped == nil
	}
	for {
		if e.tick.Load() {
			if err := e.onTick(ctx); err != nil {
				return err
			}
		}
		rec, err := q.next()
		if err != nil {
			if err == io.EOF {
				return nil
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return &InputError{err}
		}
		e.lastSec, e.lastNsec = rec.Sec, rec.Nsec
		if err := e.checkInterface(w, rec); err != nil {
			return err
		}
		out, weird, held := r.Route(rec)
		if !held {
			e.write(ctx, w, rec, out, weird)
		}
		// Counted once handed over: a record whose bytes vanished meanwhile
		// (a mapped file truncated under the reader) is in no counter.
		in.Packets++
		in.Bytes += uint64(len(rec.Data))
		r.Release(emit)
		if mapped != nil {
			mapped.Advance(rec.Offset)
		}
	}
}

// checkInterface makes sure rec's interface can be written: a pcapng
// interface that appeared mid-stream is declared in every output first; in
// pcap output every packet must have the output's link type.
func (e *engine) checkInterface(w *recordWriter, rec *pcapio.Record) error {
	m := e.ifs
	if e.remap {
		if rec.Interface >= len(m.local) {
			m.sync(e.src.rd.Interfaces())
		}
		rec.Interface = m.local[rec.Interface]
	}
	if w.format == pcapio.FormatPcap {
		if rec.LinkType != w.linkType {
			return &InputError{fmt.Errorf("%s: byte offset %d: packet of link type %d, but the outputs are pcap of link type %d (use --format pcapng)",
				e.src.name, rec.Offset, rec.LinkType, w.linkType)}
		}
		return nil
	}
	if rec.Interface < w.declared {
		return nil
	}
	m.sync(e.src.rd.Interfaces()) // one input: its numbers, unchanged
	old := w.declared
	idbs := w.newInterfaces()
	h := newOutHeader(w)
	e.noteLinkTypes(m.global)
	for _, s := range e.all {
		s.declare(idbs, h.ifaces-old, h)
	}
	return nil
}

// write appends a routed record to its output.
func (e *engine) write(ctx context.Context, w *recordWriter, rec *pcapio.Record, out int, weird bool) {
	s := e.sinks[out]
	if weird && e.weird != nil {
		s = e.weird
	}
	s.add(ctx, w, rec, w.recordSize(rec), e.clock.Load())
	if weird {
		e.stats.Weird.Packets++
		e.stats.Weird.Bytes += uint64(len(rec.Data))
		if e.stats.Weird.ByLinkType == nil {
			e.stats.Weird.ByLinkType = map[uint16]uint64{}
		}
		e.stats.Weird.ByLinkType[rec.LinkType]++
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
	e.observe()
	return nil
}

// snapshot returns the statistics as of now. It runs on the engine
// goroutine (or after the writers stopped).
func (e *engine) snapshot() *Stats {
	st := e.stats
	st.Weird.ByLinkType = maps.Clone(st.Weird.ByLinkType)
	st.ElapsedSeconds = time.Since(e.start).Seconds()
	rs := e.readDone
	if e.src != nil && e.src.rd != nil {
		cur := e.src.rd.Stats()
		rs.BytesRead += cur.BytesRead
		rs.SkippedBytes += cur.SkippedBytes
		rs.Resyncs += cur.Resyncs
	}
	st.Input.StreamBytes = rs.BytesRead
	st.Input.SkippedBytes = rs.SkippedBytes
	st.Input.Resyncs = rs.Resyncs
	if e.lastSec != 0 || e.lastNsec != 0 {
		t := time.Unix(e.lastSec, int64(e.lastNsec))
		st.Input.LastPacketTime = float64(t.UnixNano()) / 1e9
		st.Input.LagSeconds = time.Since(t).Seconds()
	}
	if e.router != nil {
		st.Routing = e.router.Stats()
	}
	st.Outputs = make([]OutputStats, 0, len(e.sinks))
	st.Weird.Output = nil
	for _, s := range e.all {
		o := s.stats()
		if s.index < 0 {
			st.Weird.Output = &o
			st.Weird.Path = s.path
			continue
		}
		st.Outputs = append(st.Outputs, o)
	}
	return &st
}

// flushAll hands every non-empty batch to its writer. It runs on the engine
// goroutine while the input pauses, which also keeps the snapshots for
// Observe (status line, metrics) and SIGUSR1 coming.
func (e *engine) flushAll() {
	for _, s := range e.all {
		s.submit(context.Background())
	}
	e.observe()
}

// observe answers status requests and calls Observe when it is due. It
// runs on the engine goroutine.
func (e *engine) observe() {
	select {
	case <-e.cfg.StatusRequests:
		e.snapshot().WriteSummary(e.log)
	default:
	}
	if e.cfg.Observe != nil && e.router != nil && time.Since(e.lastObserve) >= e.cfg.ObserveInterval {
		e.lastObserve = time.Now()
		e.cfg.Observe(e.snapshot())
	}
}

// IsInterrupted reports whether err means the run was cancelled.
func IsInterrupted(err error) bool {
	return errors.Is(err, context.Canceled)
}
