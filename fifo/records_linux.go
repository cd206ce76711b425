package fifo

import (
	"context"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// pipeSlack is subtracted from a pipe's free space: the kernel stores pipe
// data in page-sized slots, so partly used pages at both ends can make the
// room a little smaller than the size minus the bytes queued.
const pipeSlack = 2 * 4096

// WriteRecords writes data, a run of whole records, to the pipe or FIFO f
// of capacity pipeSize (from [SetPipeSize]), so that a record is never
// split across writes unless it is larger than the pipe can ever take:
// each write(2) carries fit(data, room) bytes, the longest run of whole
// records that fits in the room the pipe has now, and when not even one
// record fits the goroutine waits (in the poller) for the reader to make
// room.
//
// This keeps every output a valid capture on every exit path: when a write
// is cut short (the reader went away, or ctx ended because the reader is
// stopped), the bytes in the pipe end at a record boundary. A full pipe is
// waited for in the poller (the write deadline applies); a pipe with some
// room, but not enough for the next record, is polled every few
// milliseconds (the kernel signals writability only when a full pipe
// drains), until ctx ends. It returns the number of bytes written and the
// first error, like Write; ctx's error when ctx ended.
func WriteRecords(ctx context.Context, f *os.File, data []byte, pipeSize int, fit func(b []byte, max int) int) (int, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return 0, err
	}
	w := recordWriter{data: data, size: pipeSize, fit: fit}
	wait := time.Millisecond
	for {
		if err := rc.Write(w.write); err != nil {
			return w.n, &os.PathError{Op: "write", Path: f.Name(), Err: closedErr(err)}
		}
		if w.err != nil {
			return w.n, &os.PathError{Op: "write", Path: f.Name(), Err: w.err}
		}
		if !w.short {
			return w.n, nil
		}
		select {
		case <-ctx.Done():
			return w.n, &os.PathError{Op: "write", Path: f.Name(), Err: ctx.Err()}
		case <-time.After(wait):
		}
		wait = min(2*wait, 20*time.Millisecond)
	}
}

type recordWriter struct {
	data  []byte
	size  int
	fit   func(b []byte, max int) int
	n     int
	err   error
	short bool // the pipe has room, but not for the next record
}

// write is the RawConn Write callback: true when done, failed or short of
// room, false to wait in the poller until the full pipe is writable again.
func (w *recordWriter) write(fd uintptr) bool {
	w.short = false
	for w.n < len(w.data) {
		rest := w.data[w.n:]
		queued, err := unix.IoctlGetInt(int(fd), unix.TIOCINQ) // FIONREAD
		if err != nil {
			queued = 0 // not a pipe: plain writes
		}
		room := w.size - queued - pipeSlack
		k := 0
		if room > 0 {
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
