package fifo

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sys/unix"
)

// pipeMaxSizePath holds the largest pipe buffer an unprivileged process
// may ask for.
const pipeMaxSizePath = "/proc/sys/fs/pipe-max-size"

// pipeMaxSize is the content of pipeMaxSizePath, read once; 0 if unknown.
var pipeMaxSize = sync.OnceValue(func() int {
	return readPipeMaxSize(pipeMaxSizePath)
})

// readPipeMaxSize parses the decimal number in file path; 0 if it cannot.
func readPipeMaxSize(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// SetPipeSize raises the buffer of the pipe f (a FIFO output, a FIFO or pipe
// input) toward want bytes with fcntl F_SETPIPE_SZ, and returns the size in
// force afterwards (F_GETPIPE_SZ). want is capped at
// /proc/sys/fs/pipe-max-size (read once per process); the kernel rounds it
// up to a power-of-two number of pages. SetPipeSize never shrinks a buffer.
//
// Not being allowed to grow it (EPERM: over the per-user pipe quota, or
// over the cap without CAP_SYS_RESOURCE) is not an error: SetPipeSize
// returns the current size and nil. f not being a pipe is an error.
//
// SetPipeSize does not change f's blocking mode (it does not call
// [os.File.Fd]).
func SetPipeSize(f *os.File, want int) (int, error) {
	if !IsPipe(f) {
		return 0, fmt.Errorf("set pipe size of %s: not a pipe", f.Name())
	}
	if limit := pipeMaxSize(); limit > 0 && want > limit {
		want = limit
	}
	rc, err := f.SyscallConn()
	if err != nil {
		return 0, fmt.Errorf("set pipe size of %s: %w", f.Name(), err)
	}
	var size int
	var opErr error
	err = rc.Control(func(fd uintptr) {
		size, opErr = unix.FcntlInt(fd, unix.F_GETPIPE_SZ, 0)
		if opErr != nil || want <= size {
			return
		}
		var got int
		got, opErr = unix.FcntlInt(fd, unix.F_SETPIPE_SZ, want)
		switch {
		case opErr == nil:
			size = got
		case errors.Is(opErr, unix.EPERM):
			opErr = nil // keep the current size
		}
	})
	if err == nil {
		err = opErr
	}
	if err != nil {
		return 0, fmt.Errorf("set pipe size of %s to %d: %w", f.Name(), want, err)
	}
	return size, nil
}
