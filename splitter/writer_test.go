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
	"time"

	"github.com/flowsplit/flowsplit/internal/oracle"
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
	s.header.Store(&outHeader{b: header})
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

// Interfaces that appear mid-run are declared once in each output, at
// their place in the stream, wherever the output's file or reader
// started: a file open from the start (its writer first runs only after
// every interface appeared: it must still start with the header the output
// had when opened), and a FIFO whose reader comes only then (its header
// declares what the stream declared before its first packet, and the
// stream's blocks the rest), also when the first batch it gets declares an
// interface itself. A block declared twice would number the next interface
// one off, and its packets would read as another link type.
func TestInterfacesDeclaredOnce(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1)) // the writers run only when the test waits
	ifs := &ifaceMap{global: []pcapio.Interface{{LinkType: 1, SnapLen: 65535}}}
	w := newRecordWriter(pcapio.FormatPcapNG, ifs, pcapio.Nano, 65535)
	dir := t.TempDir()
	file := filepath.Join(dir, "out.pcapng")
	fifos := []string{filepath.Join(dir, "out.fifo"), filepath.Join(dir, "from-second.fifo")}
	for _, p := range fifos {
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	o := &sinkOptions{format: pcapio.FormatPcapNG, header: newOutHeader(w), policy: Block,
		queueSize: 1 << 20, pool: newBatchPool(4096, 1<<20, 3),
		log: &logger{w: io.Discard}, reopenWait: 5 * time.Millisecond}
	// The last output gets no packet of the first interface: the first
	// batch its late reader gets declares the second one.
	sinks := []*sink{newSink(0, file, false, f, o), newSink(1, fifos[0], true, nil, o), newSink(2, fifos[1], true, nil, o)}
	linkTypes := []uint16{1, 0, 101} // Ethernet, then BSD loopback, then raw IP
	for i, lt := range linkTypes {
		if i > 0 { // a new interface, declared as the engine does
			ifs.global = append(ifs.global, pcapio.Interface{LinkType: lt, SnapLen: 65535})
			old := w.declared
			idbs := w.newInterfaces()
			h := newOutHeader(w)
			for _, s := range sinks {
				s.declare(idbs, h.ifaces-old, h)
			}
		}
		rec := pcapio.Record{LinkType: lt, Interface: i, Sec: int64(i + 1), CapLen: 40, OrigLen: 40, Data: make([]byte, 40)}
		for j, s := range sinks {
			if j == 2 && i == 0 {
				continue
			}
			s.add(context.Background(), w, &rec, w.recordSize(&rec), 1)
			s.submit(context.Background()) // each packet in a batch of its own
		}
	}
	got := make([]chan []byte, len(fifos))
	for i, p := range fifos {
		got[i] = make(chan []byte, 1)
		go func() {
			r, err := os.Open(p) // the FIFO's reader comes now
			if err != nil {
				got[i] <- nil
				return
			}
			defer r.Close()
			b, _ := io.ReadAll(r)
			got[i] <- b
		}()
	}
	if err := finishAll(sinks, context.Background()); err != nil {
		t.Fatal(err)
	}
	fromFile, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		b    []byte
		want []uint16
	}{
		{"file", fromFile, linkTypes},
		{"FIFO read late", <-got[0], linkTypes},
		{"FIFO read late, from the second interface", <-got[1], linkTypes[1:]},
	} {
		name, b := c.name, c.b
		recs, err := oracle.Read(bytes.NewReader(b))
		if err != nil || len(recs) != len(c.want) {
			t.Fatalf("%s: %d packets, %v; want %d", name, len(recs), err, len(c.want))
		}
		for i, r := range recs {
			if uint16(r.LinkType) != c.want[i] {
				t.Errorf("%s: packet %d reads as link type %d, want %d", name, i, r.LinkType, c.want[i])
			}
		}
		if n := countIDBs(pcapio.FormatPcapNG, b); n != len(linkTypes) {
			t.Errorf("%s: %d interface blocks, want %d", name, n, len(linkTypes))
		}
	}
}
