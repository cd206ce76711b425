package splitter

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"

	"github.com/flowsplit/flowsplit/internal/pcapio"
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

// The writer starts a file output with the header the output had when it
// was opened, however late its goroutine gets to run: an interface
// declared meanwhile goes into the batches (declare), and a header loaded
// later would declare it a second time, shifting the numbers of the
// interfaces after it.
func TestWriterHeaderAtOpen(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1)) // the writer cannot run before the test yields
	path := filepath.Join(t.TempDir(), "out.pcapng")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	first := []byte("HEADER-WITH-ONE-INTERFACE")
	o := &sinkOptions{format: pcapio.FormatPcapNG, header: first, policy: Block,
		queueSize: 1 << 20, pool: newBatchPool(4096, 1<<20, 1),
		log: &logger{w: io.Discard}, reopenWait: DefaultReopenInterval}
	s := newSink(0, path, false, f, o)
	s.declare([]byte("+IDB"), []byte("HEADER-WITH-TWO-INTERFACES"))
	if err := finishAll([]*sink{s}, context.Background()); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := "HEADER-WITH-ONE-INTERFACE+IDB"; string(got) != want {
		t.Fatalf("output %q, want %q", got, want)
	}
}
