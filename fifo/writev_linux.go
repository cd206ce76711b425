package fifo

import (
	"os"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// iovBatch is the number of buffers handed to one writev(2) call. Writev
// keeps its iovec array on the stack, so it allocates nothing for any
// number of buffers; more than iovBatch non-empty buffers take several
// system calls. It is well under IOV_MAX (1024).
const iovBatch = 64

// Writev writes all of bufs, in order, to f with writev(2), and returns the
// number of bytes written and the first error. It resumes after partial
// writes without modifying bufs or the slices in it.
//
// If f is registered with the runtime poller (a non-blocking FIFO from
// [TryOpenFIFO], a pipe from [os.Pipe]), EAGAIN parks the goroutine until
// the pipe has room, the write deadline passes ([os.ErrDeadlineExceeded])
// or another goroutine closes f ([os.ErrClosed]); errors are wrapped in an
// *os.PathError. A reader that went away gives an error for which
// [IsBrokenPipe] is true, even when f is standard output: unlike
// [os.File.Write], Writev never raises SIGPIPE.
//
// Writev allocates nothing unless it returns an error. It holds f's write
// lock for the whole call, like [os.File.Write]: concurrent writes through
// f do not interleave with it.
func Writev(f *os.File, bufs [][]byte) (int, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return 0, err
	}
	w := writer{bufs: bufs}
	if w.skipEmpty() {
		return 0, nil
	}
	if err := rc.Write(w.write); err != nil {
		return w.n, &os.PathError{Op: "writev", Path: f.Name(), Err: closedErr(err)}
	}
	if w.err != nil {
		return w.n, &os.PathError{Op: "writev", Path: f.Name(), Err: w.err}
	}
	return w.n, nil
}

// writer is the state of one Writev call: what is left to write is
// bufs[0][off:], then bufs[1:].
type writer struct {
	bufs [][]byte
	off  int
	n    int
	err  error
	iov  [iovBatch]unix.Iovec
}

// skipEmpty drops the empty buffers at the front of w.bufs and reports
// whether nothing is left to write.
func (w *writer) skipEmpty() bool {
	for len(w.bufs) > 0 && w.off == len(w.bufs[0]) {
		w.bufs, w.off = w.bufs[1:], 0
	}
	return len(w.bufs) == 0
}

// write is the syscall.RawConn Write callback: it writes until done or an
// error (true), or until the pipe is full (false: the poller waits).
func (w *writer) write(fd uintptr) bool {
	for {
		cnt := w.fill()
		n, _, errno := unix.Syscall(unix.SYS_WRITEV, fd, uintptr(unsafe.Pointer(&w.iov[0])), uintptr(cnt))
		clear(w.iov[:cnt]) // drop the pointers into bufs
		switch errno {
		case 0:
		case unix.EINTR:
			continue
		case unix.EAGAIN:
			return false
		default:
			w.err = errno
			return true
		}
		w.n += int(n)
		w.advance(int(n))
		if w.skipEmpty() {
			return true
		}
	}
}

// fill loads up to iovBatch non-empty buffers into w.iov and returns how
// many. w.bufs is not empty and does not start with an exhausted buffer.
func (w *writer) fill() int {
	cnt := 0
	off := w.off
	for _, b := range w.bufs {
		if cnt == iovBatch {
			break
		}
		if b = b[off:]; len(b) > 0 {
			w.iov[cnt].Base = &b[0]
			w.iov[cnt].SetLen(len(b))
			cnt++
		}
		off = 0
	}
	return cnt
}

// advance consumes n written bytes from the front of w.bufs.
func (w *writer) advance(n int) {
	for n > 0 {
		left := len(w.bufs[0]) - w.off
		if n < left {
			w.off += n
			return
		}
		n -= left
		w.bufs, w.off = w.bufs[1:], 0
	}
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
