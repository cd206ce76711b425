package fifo

import (
	"context"
	"os"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// pageSize is the unit in which the kernel stores pipe data.
const pageSize = 4096

// recentWrites is how many past write sizes a RecordPipe remembers.
const recentWrites = 1024

// RecordPipe writes runs of whole records to a pipe or FIFO so that a
// record is never split across writes, unless it is larger than the pipe
// can ever take.
//
// This keeps every output a valid capture on every exit path: when writing
// stops (the reader went away, or the drain time ended because the reader
// is stopped), the bytes in the pipe end at a record boundary.
//
// A non-blocking write to a pipe without room for all of it writes part of
// it, so each write must fit. The kernel stores pipe data in page-sized
// slots and starts a new page for a write that does not fit in the last
// one, so the room is not the size minus the bytes queued: RecordPipe
// remembers the sizes of its recent writes and replays, conservatively, how
// the kernel laid out those still in the pipe.
//
// A RecordPipe is not safe for concurrent use.
type RecordPipe struct {
	f     *os.File
	slots int // pipe size in pages
	sizes [recentWrites]int
	head  int // next index in sizes
	count int // valid entries in sizes
}

// NewRecordPipe returns a RecordPipe writing to f, whose pipe buffer is
// size bytes (from [SetPipeSize]).
func NewRecordPipe(f *os.File, size int) *RecordPipe {
	return &RecordPipe{f: f, slots: size / pageSize}
}

// Write writes data, a run of whole records: each write(2) carries
// fit(rest, room) bytes, the longest run of whole records at the start of
// rest that fits in room bytes. When not even one record fits, it waits
// for the reader: in the poller when the pipe is full (the write deadline
// applies), else polling every few milliseconds (the kernel signals
// writability only when a full pipe drains), until ctx ends. It returns the
// number of bytes written and the first error, like Write; ctx's error
// when ctx ended.
func (p *RecordPipe) Write(ctx context.Context, data []byte, fit func(b []byte, max int) int) (int, error) {
	rc, err := p.f.SyscallConn()
	if err != nil {
		return 0, err
	}
	w := pipeWrite{p: p, data: data, fit: fit}
	wait := 50 * time.Microsecond
	for {
		if err := rc.Write(w.write); err != nil {
			return w.n, &os.PathError{Op: "write", Path: p.f.Name(), Err: closedErr(err)}
		}
		if w.err != nil {
			return w.n, &os.PathError{Op: "write", Path: p.f.Name(), Err: w.err}
		}
		if !w.short {
			return w.n, nil
		}
		// No write is tried while short of room, so a reader that went
		// away would not be noticed by a broken pipe.
		if ReaderGone(p.f) {
			return w.n, &os.PathError{Op: "write", Path: p.f.Name(), Err: unix.EPIPE}
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return w.n, &os.PathError{Op: "write", Path: p.f.Name(), Err: ctx.Err()}
		case <-t.C:
		}
		wait = min(2*wait, 2*time.Millisecond)
	}
}

// room returns how many bytes one more write can surely take, given the
// bytes queued in the pipe.
func (p *RecordPipe) room(queued int) int {
	if queued == 0 {
		p.count = 0
		return p.slots * pageSize
	}
	// The newest writes that account for the queued bytes are the ones
	// still in the pipe. Replay them, oldest first, as the kernel stores
	// them: a write whose length modulo the page size fits in the last
	// page's free end is merged there (the rest fills whole pages);
	// otherwise it starts on a new page.
	n, sum := 0, 0
	for n < p.count && sum < queued {
		sum += p.sizes[(p.head-1-n+recentWrites)%recentWrites]
		n++
	}
	pages, tail := 1, 0 // one page for data read only in part
	if sum < queued {
		pages += (queued-sum)/pageSize + 1
	}
	for i := n - 1; i >= 0; i-- {
		l := p.sizes[(p.head-1-i+recentWrites)%recentWrites]
		chars := l % pageSize
		if chars != 0 && tail > 0 && tail+chars <= pageSize {
			tail += chars
			full := (l - chars) / pageSize
			pages += full
			if full > 0 {
				tail = pageSize
			}
			continue
		}
		pages += (l + pageSize - 1) / pageSize
		tail = chars
		if tail == 0 {
			tail = pageSize
		}
	}
	// Two pages of margin for what the replay cannot know (how the first
	// write in the window was merged, data read in part).
	return (p.slots - pages - 2) * pageSize
}

func (p *RecordPipe) wrote(n int) {
	p.sizes[p.head] = n
	p.head = (p.head + 1) % recentWrites
	p.count = min(p.count+1, recentWrites)
}

type pipeWrite struct {
	p     *RecordPipe
	data  []byte
	fit   func(b []byte, max int) int
	n     int
	err   error
	short bool // the pipe has room, but not for the next record
}

// write is the RawConn Write callback: true when done, failed or short of
// room, false to wait in the poller until the full pipe is writable again.
func (w *pipeWrite) write(fd uintptr) bool {
	w.short = false
	for w.n < len(w.data) {
		rest := w.data[w.n:]
		queued, err := unix.IoctlGetInt(int(fd), unix.TIOCINQ) // FIONREAD
		if err != nil {
			queued = 0
		}
		k := 0
		if room := w.p.room(queued); room > 0 {
			k = w.fit(rest, room)
		}
		if k == 0 {
			if queued > 0 {
				w.short = true
				return true
			}
			k = len(rest) // an empty pipe that cannot hold the next record: split it
		}
		n, err := unix.Write(int(fd), rest[:k])
		if n > 0 {
			w.n += n
			w.p.wrote(n)
		}
		switch err {
		case nil:
		case unix.EINTR:
		case unix.EAGAIN:
			return false
		default:
			w.err = err
			return true
		}
	}
	return true
}

// errFileClosing is the unexported error (internal/poll.ErrFileClosing)
// that syscall.RawConn returns for a file closed by another goroutine; it
// is found once by closing a pipe.
var errFileClosing = sync.OnceValue(func() error {
	r, w, err := os.Pipe()
	if err != nil {
		return nil
	}
	r.Close()
	rc, err := w.SyscallConn()
	if err != nil {
		w.Close()
		return nil
	}
	w.Close()
	return rc.Control(func(uintptr) {})
})

// closedErr maps the poller's "file closing" error to [os.ErrClosed], as
// [os.File.Write] does.
func closedErr(err error) error {
	if ce := errFileClosing(); ce != nil && err == ce {
		return os.ErrClosed
	}
	return err
}
