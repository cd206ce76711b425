package splitter

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/flowsplit/flowsplit/fifo"
)

// The writer goroutine of a sink: it writes queued batches in order,
// survives its reader (a FIFO whose reader goes away is reopened as soon as
// a new reader appears, which first gets a fresh capture header), and
// replays the spill file once the queue is empty.

// run is the writer goroutine, h the output's header when it was opened.
// It returns after full is closed and drained.
func (s *sink) run(h *outHeader, reopenWait time.Duration) {
	defer close(s.done)
	defer s.closeFile()
	s.stream = h.ifaces
	if s.f != nil {
		s.setFile(s.f)
		if _, err := s.write(h.b, whole); err != nil {
			s.writeFailed(err)
		}
	} else {
		s.down.Store(true)
	}
	// An idle FIFO output is watched: when its reader goes away the write
	// end is closed at once (so a new reader gets a fresh pipe, not the
	// dead reader's leftovers), and a new reader is taken as soon as it
	// opens the FIFO.
	var tick <-chan time.Time
	if s.isFIFO {
		t := time.NewTicker(min(reopenWait, readerCheck))
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case b, ok := <-s.full:
			if !ok {
				s.end(reopenWait)
				return
			}
			rest := s.deliver(b.b, b.packets, b.bytes, b.ifacesBefore, reopenWait)
			if len(rest) > 0 {
				before := b.ifacesBefore
				if b.idbs > 0 {
					before += countIDBs(s.format, b.b[:len(b.b)-len(rest)])
				}
				s.undelivered(rest, before)
			}
			s.stream = b.ifacesBefore + b.idbs
			s.pool.give(s, b)
		case <-tick:
			s.checkReader()
		}
		if s.spill != nil && len(s.full) == 0 {
			s.replay(reopenWait)
		}
	}
}

// readerCheck is how often an idle FIFO output checks that its reader is
// still there. It must be shorter than a worker restart: a new reader that
// opened the FIFO before the old write end was closed would receive the
// dead reader's unread bytes, starting mid-record.
const readerCheck = 10 * time.Millisecond

// checkReader notices, without writing, that an idle FIFO output's reader
// went away, or that a down output has a new reader.
func (s *sink) checkReader() {
	// After the drain (s.stop), the output stays down: its FIFO may still
	// be held by the old reader, stopped, which would otherwise receive a
	// fresh capture header after its unread data.
	if s.dead || s.stop.Err() != nil {
		return
	}
	if s.f != nil {
		if fifo.ReaderGone(s.f) {
			s.closeFile()
			s.down.Store(true)
			s.log.printf("%s: reader went away: output down until a new reader opens it", s.name())
		}
		return
	}
	f, err := fifo.TryOpenFIFO(s.path)
	if err != nil {
		return
	}
	s.up(f)
}

// end runs once the queue is closed and drained.
func (s *sink) end(reopenWait time.Duration) {
	if s.spill != nil {
		s.replay(reopenWait)
		s.spill.finish()
	}
	if s.f == nil && s.isFIFO && !s.dead && s.stop.Err() == nil {
		// A reader that came while the output was down and idle gets a
		// valid, empty capture instead of waiting forever. (Not after the
		// drain was cut short: that reader is the old one, stopped, with
		// our data still in its pipe.)
		if f, err := fifo.TryOpenFIFO(s.path); err == nil {
			f.Write(s.header.Load().upTo(s.stream)) //nolint:errcheck // best effort
			f.Close()
		}
	}
}

// deliver writes the records in data (packets of them, holding bytes
// captured bytes; -1 when unknown), after which the output's stream
// declares ifacesBefore pcapng interfaces, and returns what could not be
// delivered: the output is down and no reader may be waited for, or the
// write failed for good.
func (s *sink) deliver(data []byte, packets int, bytes uint64, ifacesBefore int, reopenWait time.Duration) []byte {
	orig := data
	for len(data) > 0 {
		if s.f == nil {
			// A new reader's header declares what the stream declared
			// before the data it gets first.
			s.stream = ifacesBefore + countIDBs(s.format, orig[:len(orig)-len(data)])
			if !s.reconnect(reopenWait) {
				return data
			}
		}
		n, err := s.write(data, s.fit)
		if err == nil {
			if packets < 0 {
				packets, bytes = countRecords(s.format, data)
			}
			s.written.add(packets, bytes)
			return nil
		}
		// Records completely written reached the reader (or its pipe);
		// resend from the first one that did not, whole.
		off, _ := recordBoundary(s.format, data, n)
		p, by := countRecords(s.format, data[:off])
		s.written.add(p, by)
		data, packets = data[off:], -1
		if !s.writeFailed(err) {
			return data
		}
	}
	return nil
}

// writeFailed handles a write error. It returns true when delivery may go
// on (the output is a FIFO whose reader went away: it is now down and will
// be reopened), false when the data cannot be delivered.
func (s *sink) writeFailed(err error) bool {
	s.closeFile()
	s.down.Store(true)
	if s.stop.Err() != nil || errors.Is(err, os.ErrDeadlineExceeded) {
		return false // the drain is over
	}
	if s.isFIFO && fifo.IsBrokenPipe(err) {
		s.log.printf("%s: reader went away (broken pipe): output down until a new reader opens it", s.name())
		return true
	}
	s.log.printf("%s: write error: %v (--on-full %v)", s.name(), err, s.policy)
	s.dead = true
	if s.policy == Block {
		s.fail(fmt.Errorf("%s: %w", s.name(), err))
	}
	return false
}

// reconnect waits for a new reader on a FIFO output and writes it a fresh
// capture header. It returns false when the output cannot come back (a file,
// or the drain is over) or must not be waited for (the input has ended and
// the policy is not Block).
func (s *sink) reconnect(reopenWait time.Duration) bool {
	for {
		if !s.isFIFO || s.dead {
			return false
		}
		ctx := s.stop
		if s.policy != Block {
			ctx = s.waitCtx
		}
		f, err := fifo.WaitReader(ctx, s.path, reopenWait)
		if err != nil {
			return false
		}
		if s.up(f) {
			return true
		}
		if s.f == nil && (s.dead || s.stop.Err() != nil) {
			return false
		}
	}
}

// up takes f, a new reader's FIFO, as the output and writes it a fresh
// capture header. It returns false when that write fails.
func (s *sink) up(f *os.File) bool {
	s.setFile(f)
	if _, err := s.write(s.header.Load().upTo(s.stream), whole); err != nil {
		s.writeFailed(err)
		return false
	}
	s.reconnects.Add(1)
	s.down.Store(false)
	s.log.printf("%s: new reader: output up, starting with a fresh capture header", s.name())
	return true
}

// undelivered accounts for records that could not be delivered: under Spill
// they go to the spill file (kept at exit), otherwise they are dropped.
func (s *sink) undelivered(data []byte, ifacesBefore int) {
	if len(data) == 0 {
		return
	}
	if s.spill != nil && s.spill.keep(data, ifacesBefore) {
		return
	}
	s.dropped.add(countRecords(s.format, data))
}

// replay writes the spill file's records to the output, in order, until the
// spill is empty (it is then removed and the engine queues again) or the
// output cannot take them (they stay in the spill file).
func (s *sink) replay(reopenWait time.Duration) {
	for {
		chunk, before := s.spill.next()
		if chunk == nil {
			return
		}
		rest := s.deliver(chunk, -1, 0, before, reopenWait)
		done := len(chunk) - len(rest)
		s.replayed.add(countRecords(s.format, chunk[:done]))
		s.stream = before + countIDBs(s.format, chunk[:done])
		if len(rest) > 0 {
			s.spill.unread(rest)
			return
		}
	}
}

func (s *sink) setFile(f *os.File) {
	s.f = f
	s.file.Store(f)
	s.pipe = nil
	if s.isFIFO {
		if size, err := fifo.SetPipeSize(f, outputPipeSize); err == nil && size > 0 {
			s.pipe = fifo.NewRecordPipe(f, size)
		}
	}
}

// write writes whole records to the output. On a FIFO a record is never
// split across writes (see fifo.WriteRecords), so whatever stops a write
// (the reader dies, the drain time ends) the reader's capture ends at a
// record boundary.
func (s *sink) write(data []byte, fit func(b []byte, max int) int) (int, error) {
	if s.pipe == nil {
		return s.f.Write(data)
	}
	return s.pipe.Write(s.stop, data, fit)
}

// fit returns the length of the longest run of whole records at the start
// of b that is at most max bytes.
func (s *sink) fit(b []byte, max int) int {
	if len(b) <= max { // b is whole records: all of it fits
		return len(b)
	}
	off, _ := recordBoundary(s.format, b, max)
	return off
}

// whole is the fit of data that must not be split, such as a file header.
func whole(b []byte, max int) int {
	if len(b) <= max {
		return len(b)
	}
	return 0
}

func (s *sink) closeFile() {
	if s.f != nil {
		s.file.Store(nil)
		if err := s.f.Close(); err != nil && !s.down.Load() {
			s.log.printf("%s: close: %v", s.name(), err)
		}
		s.f = nil
	}
}

// unblock makes a write blocked on a full pipe return at once. It is called
// from another goroutine when the drain time is over.
func (s *sink) unblock() {
	if f := s.file.Load(); f != nil {
		f.SetWriteDeadline(time.Now()) //nolint:errcheck // files without deadlines do not block
	}
}
