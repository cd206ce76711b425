package fifo

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func TestTryOpenFIFONoReader(t *testing.T) {
	p := newFIFO(t, "out")
	start := time.Now()
	f, err := TryOpenFIFO(p)
	if !errors.Is(err, ErrNoReader) || f != nil {
		t.Fatalf("TryOpenFIFO without reader = %v, %v; want nil, ErrNoReader", f, err)
	}
	if !strings.Contains(err.Error(), p) {
		t.Errorf("error %q does not name %s", err, p)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("TryOpenFIFO blocked for %v", d)
	}
}

func TestTryOpenFIFOErrors(t *testing.T) {
	dir := t.TempDir()
	regular := filepath.Join(dir, "regular")
	if err := os.WriteFile(regular, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ path, want string }{
		{filepath.Join(dir, "missing"), "no such file"},
		{regular, "not a FIFO"},
		{dir, "is a directory"}, // EISDIR from open(O_WRONLY)
	} {
		before := countFDs(t)
		f, err := TryOpenFIFO(tt.path)
		if err == nil || errors.Is(err, ErrNoReader) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tt.path) {
			t.Errorf("TryOpenFIFO(%s) = %v, %v; want an error naming the path and containing %q", tt.path, f, err, tt.want)
		}
		if after := countFDs(t); after != before {
			t.Errorf("TryOpenFIFO(%s) leaked %d descriptors", tt.path, after-before)
		}
	}
}

func TestTryOpenFIFOWithReader(t *testing.T) {
	r, w := openPair(t)
	if w.Name() == "" || !IsPipe(w) {
		t.Fatalf("writer %q: IsPipe = false", w.Name())
	}
	// Still non-blocking, so that the poller handles EAGAIN.
	rc, err := w.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var fl int
	rc.Control(func(fd uintptr) { fl, _ = unix.FcntlInt(fd, unix.F_GETFL, 0) })
	if fl&unix.O_NONBLOCK == 0 || fl&unix.O_ACCMODE != unix.O_WRONLY {
		t.Errorf("flags = %#x, want O_WRONLY|O_NONBLOCK", fl)
	}
	var fdfl int
	rc.Control(func(fd uintptr) { fdfl, _ = unix.FcntlInt(fd, unix.F_GETFD, 0) })
	if fdfl&unix.FD_CLOEXEC == 0 {
		t.Errorf("descriptor flags = %#x, want FD_CLOEXEC", fdfl)
	}
	if _, err := w.WriteString("hello"); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if b, err := io.ReadAll(r); err != nil || string(b) != "hello" {
		t.Fatalf("reader got %q, %v; want %q", b, err, "hello")
	}
}

// TestTryOpenFIFOCat writes through a FIFO to a real reader process.
func TestTryOpenFIFOCat(t *testing.T) {
	p := newFIFO(t, "out")
	out, wait := startCat(t, p)
	w, err := WaitReader(context.Background(), p, 5*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	want := bytes.Repeat([]byte("0123456789abcdef"), 64<<10) // 1 MiB: fills the pipe many times
	if n, err := w.Write(want); n != len(want) || err != nil {
		t.Fatalf("Write = %d, %v; want %d, nil", n, err, len(want))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := wait(); err != nil {
		t.Fatalf("cat: %v", err)
	}
	if got, err := os.ReadFile(out); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("cat wrote %d bytes, %v; want %d", len(got), err, len(want))
	}
}

// blockedWrite starts write in a goroutine, waits until the pipe is full
// (so write is blocked), and returns the channel of its result.
func blockedWrite(t *testing.T, r *os.File, write func() (int, error)) <-chan error {
	t.Helper()
	size := setSmallPipe(t, r)
	done := make(chan error, 1)
	go func() {
		_, err := write()
		done <- err
	}()
	waitFull(t, r, size)
	select {
	case err := <-done:
		t.Fatalf("write of more than the pipe returned early: %v", err)
	default:
	}
	return done
}

// result waits at most 5 s for the blocked write's result.
func result(t *testing.T, done <-chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(5 * time.Second):
		t.Fatal("blocked write did not return within 5 s")
		return nil
	}
}

// writers are the two ways to write a FIFO: os.File.Write and RecordPipe
// (what the splitter uses), here with records that may be cut anywhere.
var writers = []struct {
	name  string
	write func(w *os.File, b []byte) (int, error)
}{
	{"Write", (*os.File).Write},
	{"RecordPipe", func(w *os.File, b []byte) (int, error) {
		size, err := SetPipeSize(w, 0)
		if err != nil {
			return 0, err
		}
		return NewRecordPipe(w, size).Write(context.Background(), b, func(b []byte, max int) int { return min(len(b), max) })
	}},
}

func TestFullPipeDrains(t *testing.T) {
	for _, wr := range writers {
		t.Run(wr.name, func(t *testing.T) {
			r, w := openPair(t)
			want := bytes.Repeat([]byte{1, 2, 3, 4, 5, 6, 7}, 10000)
			done := blockedWrite(t, r, func() (int, error) {
				n, err := wr.write(w, want)
				if err == nil && n != len(want) {
					err = errors.New("short write")
				}
				w.Close()
				return n, err
			})
			got, err := io.ReadAll(r)
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("read %d bytes, %v; want %d", len(got), err, len(want))
			}
			if err := result(t, done); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestFullPipeClose(t *testing.T) {
	for _, wr := range writers {
		t.Run(wr.name, func(t *testing.T) {
			r, w := openPair(t)
			done := blockedWrite(t, r, func() (int, error) {
				return wr.write(w, make([]byte, 1<<20))
			})
			closed := make(chan error, 1)
			go func() { closed <- w.Close() }() // Close waits for the writer to leave
			if err := result(t, done); !errors.Is(err, os.ErrClosed) {
				t.Errorf("write after Close = %v, want os.ErrClosed", err)
			}
			if err := result(t, closed); err != nil {
				t.Errorf("Close = %v", err)
			}
		})
	}
}

func TestFullPipeDeadline(t *testing.T) {
	for _, wr := range writers {
		t.Run(wr.name, func(t *testing.T) {
			r, w := openPair(t)
			done := blockedWrite(t, r, func() (int, error) {
				return wr.write(w, make([]byte, 1<<20))
			})
			if err := w.SetWriteDeadline(time.Now().Add(10 * time.Millisecond)); err != nil {
				t.Fatal(err)
			}
			if err := result(t, done); !errors.Is(err, os.ErrDeadlineExceeded) {
				t.Errorf("write past deadline = %v, want os.ErrDeadlineExceeded", err)
			}
		})
	}
}

// TestBrokenPipe checks the SIGPIPE contract: a write to a FIFO whose
// reader closed returns EPIPE and the process lives on (this test goes on
// running); a new reader can then be waited for and written to.
func TestBrokenPipe(t *testing.T) {
	for _, wr := range writers {
		t.Run(wr.name, func(t *testing.T) {
			p := newFIFO(t, "out")
			r := openReader(t, p)
			w, err := TryOpenFIFO(p)
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			if _, err := wr.write(w, []byte("lost")); err != nil {
				t.Fatal(err)
			}
			r.Close()
			_, err = wr.write(w, []byte("after close"))
			if !IsBrokenPipe(err) {
				t.Fatalf("write after the reader closed = %v, want EPIPE", err)
			}
			if !strings.Contains(err.Error(), p) {
				t.Errorf("error %q does not name %s", err, p)
			}
			w.Close()

			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			out, wait := startCat(t, p)
			w, err = WaitReader(ctx, p, 5*time.Millisecond)
			if err != nil {
				t.Fatal(err)
			}
			if n, err := wr.write(w, []byte("found")); n != 5 || err != nil {
				t.Fatalf("write to the new reader = %d, %v", n, err)
			}
			w.Close()
			if err := wait(); err != nil {
				t.Fatalf("cat: %v", err)
			}
			if b, err := os.ReadFile(out); err != nil || string(b) != "found" {
				t.Fatalf("new reader got %q, %v; want %q", b, err, "found")
			}
		})
	}
}

func TestWaitReaderCancel(t *testing.T) {
	p := newFIFO(t, "out")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	start := time.Now()
	f, err := WaitReader(ctx, p, 0)
	if !errors.Is(err, context.DeadlineExceeded) || f != nil {
		t.Fatalf("WaitReader = %v, %v; want context.DeadlineExceeded", f, err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("WaitReader returned %v after its context ended", d)
	}
	if _, err := WaitReader(ctx, filepath.Join(t.TempDir(), "missing"), 0); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("WaitReader with an ended context = %v, want its error", err)
	}
	if _, err := WaitReader(context.Background(), filepath.Join(t.TempDir(), "missing"), 0); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("WaitReader on a missing path = %v, want os.ErrNotExist", err)
	}
}
