package fifo

import (
	"errors"
	"syscall"
)

// ErrNoReader is returned (wrapped with the path) by [TryOpenFIFO] when the
// FIFO has no reader yet, so that opening it for writing would block. The
// caller retries later, or uses [WaitOpenFIFOs] or [WaitReader].
var ErrNoReader = errors.New("fifo has no reader")

// IsBrokenPipe reports whether err means that the reader of a pipe went
// away: it is EPIPE, bare or wrapped (in *os.PathError, *os.SyscallError,
// or with %w).
func IsBrokenPipe(err error) bool {
	return errors.Is(err, syscall.EPIPE)
}
