//go:build linux

package mapfile

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

func writeFile(t *testing.T, b []byte) *os.File {
	t.Helper()
	p := filepath.Join(t.TempDir(), "in.pcap")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i>>12)
	}
	return b
}

func TestMapReadsTheFile(t *testing.T) {
	want := pattern(3<<20 + 123)
	m, err := Map(writeFile(t, want))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if !bytes.Equal(m.Bytes(), want) {
		t.Fatal("mapped bytes differ from the file")
	}
	if err := m.Close(); err != nil || m.Bytes() != nil {
		t.Fatalf("Close: %v, bytes %d", err, len(m.Bytes()))
	}
}

func TestMapRefusesWhatIsNotAFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(fifo, os.O_RDWR, 0) // RDWR: does not wait for a writer
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for name, f := range map[string]*os.File{"fifo": f, "empty file": writeFile(t, nil)} {
		if _, err := Map(f); !errors.Is(err, ErrNotMappable) {
			t.Errorf("%s: %v, want ErrNotMappable", name, err)
		}
	}
}

// rssFile returns the process's resident memory that is file-backed
// (RssFile, or RssShmem when the test directory is on tmpfs), in KiB.
func rssFile(t *testing.T) int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip(err)
	}
	n, found := 0, false
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && (f[0] == "RssFile:" || f[0] == "RssShmem:") {
			k, _ := strconv.Atoi(f[1])
			n += k
			found = true
		}
	}
	if !found {
		t.Skip("no RssFile in /proc/self/status")
	}
	return n
}

// Drop takes the pages behind the reader out of the resident set, so that
// reading a huge file does not grow the process; the bytes stay readable.
func TestDropShrinksResidentSet(t *testing.T) {
	const size = 64 << 20
	m, err := Map(writeFile(t, pattern(size)))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	b := m.Bytes()
	for i := 0; i < len(b); i += 4096 {
		sink += b[i]
	}
	before := rssFile(t)
	m.Drop(2 << 20) // less than a step past the start: no effect yet
	if after := rssFile(t); before-after > 1024 {
		t.Errorf("Drop before 4 MiB released %d KiB", before-after)
	}
	m.Drop(size - 1)
	after := rssFile(t)
	if before-after < 48<<10 {
		t.Errorf("resident file pages %d KiB -> %d KiB after dropping 64 MiB", before, after)
	}
	if b[12345] != pattern(12346)[12345] {
		t.Error("a dropped byte reads back wrong")
	}
}

// sink keeps the compiler from removing test reads.
var sink byte

// A mapped file truncated by another process faults on the next access
// past its end; under SetPanicOnFault the fault is a recoverable panic
// that Fault recognises.
func TestFaultAfterTruncation(t *testing.T) {
	f := writeFile(t, pattern(1<<20))
	m, err := Map(f)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := os.Truncate(f.Name(), 4096); err != nil {
		t.Fatal(err)
	}
	var p any
	func() {
		defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
		defer func() { p = recover() }()
		sink += m.Bytes()[1<<19]
	}()
	if p == nil || !m.Fault(p) {
		t.Fatalf("reading past the truncation: recovered %v, want a fault in the mapping", p)
	}
	if m.Fault("some bug") || m.Fault(errors.New("x")) {
		t.Error("Fault accepts a non-fault panic")
	}
	if m.Fault(faultAt(0xdead0000)) {
		t.Error("Fault accepts a fault outside the mapping")
	}
}

// faultAt is a fault panic value at an address.
type faultAt uintptr

func (f faultAt) Addr() uintptr { return uintptr(f) }
