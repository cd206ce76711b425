package fifo

import (
	"os"

	"golang.org/x/sys/unix"
)

// ReaderGone reports whether the FIFO or pipe that f writes to has no
// reader left. It does not block: Linux reports POLLERR on the write end of
// a pipe without readers.
//
// A writer that polls this while idle can close its end as soon as the
// reader goes away. That matters: while the write end stays open, whatever
// the dead reader left unread stays in the pipe and a new reader would
// receive it, starting mid-record instead of with a capture header.
func ReaderGone(f *os.File) bool {
	rc, err := f.SyscallConn()
	if err != nil {
		return false
	}
	gone := false
	rc.Control(func(fd uintptr) { //nolint:errcheck // a closed file is handled by the next write
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLOUT}}
		for {
			n, err := unix.Poll(fds, 0)
			if err == unix.EINTR {
				continue
			}
			gone = err == nil && n > 0 && fds[0].Revents&(unix.POLLERR|unix.POLLHUP) != 0
			return
		}
	})
	return gone
}
