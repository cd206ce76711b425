package fifo

import (
	"errors"
	"os"
	"syscall"
	"testing"
)

func TestIsBrokenPipe(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{syscall.EPIPE, true},
		{&os.PathError{Op: "write", Path: "x", Err: syscall.EPIPE}, true},
		{os.NewSyscallError("writev", syscall.EPIPE), true},
		{errors.Join(errors.New("output 2"), &os.PathError{Op: "write", Path: "x", Err: syscall.EPIPE}), true},
		{&os.PathError{Op: "write", Path: "x", Err: syscall.EAGAIN}, false},
		{os.ErrClosed, false},
		{errors.New("broken pipe"), false},
	} {
		if got := IsBrokenPipe(tt.err); got != tt.want {
			t.Errorf("IsBrokenPipe(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
