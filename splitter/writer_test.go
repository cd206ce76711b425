package splitter

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// After the drain time is over, a FIFO output whose writes were cut short
// stays down, even though its old reader (stopped, say) still holds the
// FIFO open: the idle check must not take that reader for a new one and
// write it a fresh capture header after the records it has not read yet.
func TestNoReopenAfterDrain(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.fifo")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	reader, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	var log bytes.Buffer
	header := make([]byte, 24)
	s := &sink{index: 0, path: path, isFIFO: true, log: &logger{w: &log}}
	s.header.Store(&header)
	s.stop, s.cancel = context.WithCancel(context.Background())
	s.waitCtx, s.cancelWait = context.WithCancel(s.stop)
	s.down.Store(true)

	s.cancel() // the drain is over
	s.checkReader()
	if s.f != nil {
		s.closeFile()
		t.Error("the output was reopened after the drain")
	}
	buf := make([]byte, 100)
	if n, _ := reader.Read(buf); n > 0 {
		t.Errorf("the old reader received %d more bytes after the drain", n)
	}

	// Before the drain, a reader found on the idle check is taken.
	s.stop, s.cancel = context.WithCancel(context.Background())
	defer s.cancel()
	s.checkReader()
	if s.f == nil || s.down.Load() {
		t.Fatal("a reader present during the run was not taken")
	}
	s.closeFile()
	if n, _ := reader.Read(buf); n != len(header) {
		t.Errorf("the new reader got %d bytes, want the %d-byte header", n, len(header))
	}
}
