package splitter

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// spillChunk is how much of the spill file the writer replays at a time.
const spillChunk = 1 << 20

// spill is an output's overflow file under --on-full spill. The engine
// appends whole batches while the output's queue is full; from then on
// everything goes to the spill (so order is kept) until the writer has
// replayed it all, which removes the file and sends the engine back to the
// queue. The file is a valid capture (the output's header, then records) at
// every batch boundary, so what is not replayed at exit stays on disk as a
// capture that tcpdump or Zeek can read.
//
// Records the writer could not deliver (keep: the output is down at exit,
// or its file failed) come from its queue, so they are older than anything
// the engine appended: the engine queues nothing while the spill is on,
// and keep turns it on. They are held in memory ahead of the file (head,
// at most what the queue held) and replayed, or kept at exit, first.
type spill struct {
	s    *sink
	dir  string
	max  int64
	path string

	mu      sync.Mutex
	f       *os.File
	on      bool  // the engine must append here, not queue
	size    int64 // bytes in the file, header included
	hdrLen  int64 // the header's length (the output's header when the file was made)
	readOff int64 // next byte to replay
	// readIfaces is how many pcapng interfaces the stream declares before
	// readOff (the file's header and the blocks replayed since).
	readIfaces int
	buf        []byte

	head       []byte // records kept by the writer, before the file's
	headBefore int    // pcapng interfaces the stream declares before head
	out        []byte // what next returned last, if it was head

	spilled counter // records appended, by the engine or kept by the writer (under mu)
	kept    string  // the path of the spill file left at exit, if any
}

func newSpill(dir string, max int64, s *sink) *spill {
	name := fmt.Sprintf("flowsplit-spill-%d-output-%d.pcap", os.Getpid(), s.index)
	if s.index < 0 {
		name = fmt.Sprintf("flowsplit-spill-%d-weird.pcap", os.Getpid())
	}
	return &spill{s: s, dir: dir, max: max, path: filepath.Join(dir, name)}
}

// active reports whether the engine must append to the spill.
func (p *spill) active() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.on
}

// append writes the batch to the spill, starting the spill if needed. It
// returns false when the spill would exceed its limit or cannot be written
// (the caller then blocks), or when the writer has just finished replaying.
func (p *spill) append(b *batch) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.write(b.b, b.ifacesBefore) {
		return false
	}
	p.spilled.add(b.packets, b.bytes)
	return true
}

// keep stores records the writer could not deliver (the output is down at
// exit), so they are not lost: after those it kept before and ahead of
// what the engine appended, in stream order. The stream declares
// ifacesBefore pcapng interfaces before them.
func (p *spill) keep(data []byte, ifacesBefore int) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.size+int64(len(p.head)+len(data)) > p.max {
		return false
	}
	if len(p.head) == 0 {
		p.headBefore = ifacesBefore
	}
	p.head = append(p.head, data...)
	p.spilled.add(countRecords(p.s.format, data))
	p.on = true
	return true
}

// stats returns what was spilled and the spill file kept at exit.
func (p *spill) stats() (counter, string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.spilled, p.kept
}

// write appends data, creating the file with the output's header first:
// the header declaring the ifacesBefore interfaces the stream declares
// before data (data's own blocks declare the others). Called with mu held.
func (p *spill) write(data []byte, ifacesBefore int) bool {
	if p.size+int64(len(p.head)+len(data)) > p.max {
		if p.on {
			p.s.log.printf("%s: spill file %s reached --spill-max %d bytes: blocking", p.s.name(), p.path, p.max)
		}
		return false
	}
	if p.f == nil {
		f, err := os.OpenFile(p.path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
		if err != nil {
			p.s.log.printf("%s: cannot spill: %v", p.s.name(), err)
			return false
		}
		header := p.s.header.Load().upTo(ifacesBefore)
		if _, err := f.Write(header); err != nil {
			p.s.log.printf("%s: cannot spill: %v", p.s.name(), err)
			f.Close()
			os.Remove(p.path)
			return false
		}
		p.f = f
		p.size = int64(len(header))
		p.hdrLen, p.readOff, p.readIfaces = p.size, p.size, ifacesBefore
		p.s.log.printf("%s: queue full, spilling to %s", p.s.name(), p.path)
	}
	if _, err := p.f.WriteAt(data, p.size); err != nil {
		p.s.log.printf("%s: cannot spill: %v", p.s.name(), err)
		return false
	}
	p.size += int64(len(data))
	p.on = true
	return true
}

// next returns the next whole records to replay and how many pcapng
// interfaces the stream declares before them, or nil when everything was
// replayed: the spill file is then removed and the spill turned off. The
// returned slice is valid until the next call.
func (p *spill) next() ([]byte, int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.out = nil
	if len(p.head) > 0 {
		p.out, p.head = p.head, nil
		return p.out, p.headBefore
	}
	if p.f == nil {
		p.on = false
		return nil, 0
	}
	if p.readOff >= p.size {
		p.f.Close()
		os.Remove(p.path)
		p.f, p.on, p.size, p.readOff = nil, false, 0, 0
		return nil, 0
	}
	n := min(int64(spillChunk), p.size-p.readOff)
	if int64(cap(p.buf)) < n {
		p.buf = make([]byte, n)
	}
	buf := p.buf[:n]
	if _, err := p.f.ReadAt(buf, p.readOff); err != nil && err != io.EOF {
		p.s.log.printf("%s: reading spill file: %v", p.s.name(), err)
		return nil, 0
	}
	// Whole records only; a record larger than the chunk is read whole.
	end, _ := recordBoundary(p.s.format, buf, len(buf))
	if end == 0 {
		rn := recordEnd(p.s.format, buf, 0)
		if rn >= 0 {
			end = rn
		} else if need := recordNeed(p.s.format, buf); need > 0 && p.readOff+int64(need) <= p.size {
			big := make([]byte, need)
			if _, err := p.f.ReadAt(big, p.readOff); err != nil {
				return nil, 0
			}
			buf, end = big, need
		} else {
			return nil, 0
		}
	}
	before := p.readIfaces
	p.readOff += int64(end)
	p.readIfaces += countIDBs(p.s.format, buf[:end])
	return buf[:end], before
}

// unread gives back rest, the end of what next returned last: it was not
// delivered.
func (p *spill) unread(rest []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.out != nil {
		p.headBefore += countIDBs(p.s.format, p.out[:len(p.out)-len(rest)])
		p.head, p.out = rest, nil
		return
	}
	p.readOff -= int64(len(rest))
	p.readIfaces -= countIDBs(p.s.format, rest)
}

// finish runs at exit: records left (kept by the writer, or not replayed)
// stay on disk as a valid capture of them, in stream order, and its path
// is logged.
func (p *spill) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	left := int64(len(p.head))
	if p.f != nil {
		left += p.size - p.readOff
	}
	if left == 0 {
		if p.f != nil {
			p.f.Close()
			os.Remove(p.path)
			p.f = nil
		}
		return
	}
	if len(p.head) > 0 || p.readOff > p.hdrLen {
		// A new file: a header declaring the pcapng interfaces declared
		// before the records left (also those whose blocks were in the
		// replayed part), then those records.
		if err := p.rewrite(); err != nil {
			// The file stays as it is: the records not replayed after
			// some replayed ones. Those held in memory are lost: they
			// count as dropped, no longer as spilled.
			p.s.log.printf("%s: cannot rewrite spill file %s: %v: %d bytes of packets not delivered are lost", p.s.name(), p.path, err, len(p.head))
			n, b := countRecords(p.s.format, p.head)
			p.spilled.packets -= uint64(n)
			p.spilled.bytes -= b
			p.s.dropped.add(n, b)
			p.head = nil
			if p.f == nil {
				return
			}
			left = p.size - p.readOff
		}
	}
	p.f.Close()
	p.f = nil
	p.kept = p.path
	p.s.log.printf("%s: %d bytes of packets not delivered are kept in %s", p.s.name(), left, p.path)
}

// rewrite replaces the spill file by one holding the output's header, the
// records kept in memory and the file's records not replayed. Called with
// mu held.
func (p *spill) rewrite() error {
	before := p.readIfaces
	if len(p.head) > 0 {
		before = p.headBefore
	}
	tmp := p.path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	err = p.copyLeft(f, p.s.header.Load(), before)
	if err == nil {
		err = os.Rename(tmp, p.path)
	}
	if err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if p.f != nil {
		p.f.Close()
	}
	p.f, p.head = f, nil
	return nil
}

// copyLeft writes the header declaring the first before pcapng
// interfaces and the records left to f. Should the file's records follow
// the kept ones after interfaces these do not declare (records delivered
// between them declared those), their blocks come in between.
func (p *spill) copyLeft(f *os.File, h *outHeader, before int) error {
	if _, err := f.Write(h.upTo(before)); err != nil {
		return err
	}
	if _, err := f.Write(p.head); err != nil {
		return err
	}
	if p.f == nil {
		return nil
	}
	if len(p.head) > 0 {
		declared := len(h.upTo(p.headBefore + countIDBs(p.s.format, p.head)))
		if gap := h.upTo(p.readIfaces); len(gap) > declared {
			if _, err := f.Write(gap[declared:]); err != nil {
				return err
			}
		}
	}
	if _, err := p.f.Seek(p.readOff, io.SeekStart); err != nil {
		return err
	}
	_, err := io.Copy(f, io.LimitReader(p.f, p.size-p.readOff))
	return err
}
