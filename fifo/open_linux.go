package fifo

import (
	"fmt"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// mkfifo creates a FIFO at path with permission perm (before the umask).
// An existing path gives an error wrapping fs.ErrExist.
func mkfifo(path string, perm fs.FileMode) error {
	for {
		err := unix.Mkfifo(path, uint32(perm.Perm()))
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return &os.PathError{Op: "mkfifo", Path: path, Err: err}
		}
		return nil
	}
}

// TryOpenFIFO opens the FIFO at path for writing without blocking
// (O_WRONLY|O_NONBLOCK|O_CLOEXEC). If no process has the FIFO open for
// reading, it returns an error wrapping [ErrNoReader] at once. A path that
// is not a FIFO is an error.
//
// The descriptor stays non-blocking and the returned file is registered
// with the Go runtime's poller: a Write to a full pipe parks the goroutine,
// not a thread, until the reader drains the pipe, the write deadline
// ([os.File.SetWriteDeadline]) passes, or another goroutine closes the file;
// the last two make the Write return an error ([os.ErrDeadlineExceeded],
// [os.ErrClosed]).
func TryOpenFIFO(path string) (*os.File, error) {
	var fd int
	var err error
	for {
		fd, err = unix.Open(path, unix.O_WRONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
		if err != unix.EINTR {
			break
		}
	}
	switch {
	case err == unix.ENXIO:
		return nil, fmt.Errorf("open %s: %w", path, ErrNoReader)
	case err != nil:
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return nil, &os.PathError{Op: "fstat", Path: path, Err: err}
	}
	if st.Mode&unix.S_IFMT != unix.S_IFIFO {
		unix.Close(fd)
		return nil, fmt.Errorf("open %s: not a FIFO", path)
	}
	return os.NewFile(uintptr(fd), path), nil
}
