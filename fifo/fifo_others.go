//go:build !linux

package fifo

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// mkfifo is not supported on this system.
func mkfifo(path string, _ fs.FileMode) error {
	return &os.PathError{Op: "mkfifo", Path: path, Err: errors.ErrUnsupported}
}

// TryOpenFIFO is not supported on this system: it returns an error
// wrapping [errors.ErrUnsupported].
func TryOpenFIFO(path string) (*os.File, error) {
	return nil, &os.PathError{Op: "open", Path: path, Err: errors.ErrUnsupported}
}

// SetPipeSize is not supported on this system: it returns an error
// wrapping [errors.ErrUnsupported].
func SetPipeSize(f *os.File, _ int) (int, error) {
	return 0, fmt.Errorf("set pipe size of %s: %w", f.Name(), errors.ErrUnsupported)
}

// ReaderGone is not supported on this system: it always reports false.
func ReaderGone(f *os.File) bool { return false }

// RecordPipe writes to f with plain writes on this system.
type RecordPipe struct{ f *os.File }

// NewRecordPipe returns a RecordPipe writing to f.
func NewRecordPipe(f *os.File, _ int) *RecordPipe { return &RecordPipe{f: f} }

// Write writes data with one Write.
func (p *RecordPipe) Write(_ context.Context, data []byte, _ func(b []byte, max int) int) (int, error) {
	return p.f.Write(data)
}
