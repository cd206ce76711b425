package fifo

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestReaderGone: the write end of a FIFO reports its reader's departure
// without a write, and not before.
func TestReaderGone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	w, err := TryOpenFIFO(path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if ReaderGone(w) {
		t.Fatal("ReaderGone with a reader attached")
	}
	if _, err := w.Write([]byte("some unread bytes")); err != nil {
		t.Fatal(err)
	}
	if ReaderGone(w) {
		t.Fatal("ReaderGone with a reader and data in the pipe")
	}
	r.Close()
	if !ReaderGone(w) {
		t.Fatal("ReaderGone false after the reader closed")
	}
}
