package fifo

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// newFIFO makes a FIFO named name in a fresh temporary directory.
func newFIFO(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := unix.Mkfifo(p, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// openReader opens the FIFO at path for reading without waiting for a
// writer. Reads park in the poller until data or EOF.
func openReader(t *testing.T, path string) *os.File {
	t.Helper()
	r, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// openPair opens a reader and then a writer with TryOpenFIFO on a new FIFO.
func openPair(t *testing.T) (r, w *os.File) {
	t.Helper()
	p := newFIFO(t, "out")
	r = openReader(t, p)
	w, err := TryOpenFIFO(p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return r, w
}

// setSmallPipe shrinks the buffer of pipe f to one page, so that large
// writes are split.
func setSmallPipe(t *testing.T, f *os.File) int {
	t.Helper()
	rc, err := f.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var size int
	var opErr error
	if err := rc.Control(func(fd uintptr) {
		size, opErr = unix.FcntlInt(fd, unix.F_SETPIPE_SZ, os.Getpagesize())
	}); err != nil {
		t.Fatal(err)
	}
	if opErr != nil {
		t.Fatal(opErr)
	}
	return size
}

// buffered returns the number of bytes waiting in pipe r (FIONREAD, alias TIOCINQ).
func buffered(t *testing.T, r *os.File) int {
	t.Helper()
	rc, err := r.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	var opErr error
	if err := rc.Control(func(fd uintptr) {
		n, opErr = unix.IoctlGetInt(int(fd), unix.TIOCINQ)
	}); err != nil {
		t.Fatal(err)
	}
	if opErr != nil {
		t.Fatal(opErr)
	}
	return n
}

// waitFull waits until pipe r holds want bytes, that is until a writer of
// more than the pipe's capacity must be blocked.
func waitFull(t *testing.T, r *os.File, want int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for buffered(t, r) < want {
		if time.Now().After(deadline) {
			t.Fatalf("pipe holds %d bytes after 5 s, want %d", buffered(t, r), want)
		}
		time.Sleep(time.Millisecond)
	}
}

// pipeSize returns the buffer size of pipe f (F_GETPIPE_SZ).
func pipeSize(t *testing.T, f *os.File) int {
	t.Helper()
	rc, err := f.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	var opErr error
	if err := rc.Control(func(fd uintptr) {
		n, opErr = unix.FcntlInt(fd, unix.F_GETPIPE_SZ, 0)
	}); err != nil {
		t.Fatal(err)
	}
	if opErr != nil {
		t.Fatal(opErr)
	}
	return n
}

// countFDs returns the number of open descriptors of this process.
func countFDs(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("cannot count descriptors: %v", err)
	}
	return len(ents)
}

// startCat starts `cat fifo`, writing to a new file whose path it returns,
// and a function that waits for cat to exit (at most 10 s).
func startCat(t *testing.T, fifo string) (out string, wait func() error) {
	t.Helper()
	out = filepath.Join(t.TempDir(), "cat.out")
	of, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer of.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	cmd := exec.CommandContext(ctx, "cat", fifo)
	cmd.Stdout = of // an *os.File: no copying goroutine
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	done := false
	wait = func() error {
		if done {
			return nil
		}
		done = true
		defer cancel()
		return cmd.Wait()
	}
	t.Cleanup(func() {
		cancel()
		wait()
	})
	return out, wait
}
