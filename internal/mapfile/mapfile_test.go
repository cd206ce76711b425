//go:build linux

package mapfile

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// mustMap maps f, failing t otherwise; the mapping is closed when t ends
// (Close may also be called earlier).
func mustMap(t *testing.T, f *os.File) *File {
	t.Helper()
	m, err := Map(f)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

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

// Advance takes the pages behind the reader out of the resident set, so
// that reading a huge file does not grow the process; the bytes stay
// readable. Without a spare core (GOMAXPROCS 1) it does so at once; with
// one, the pager does, soon after.
func TestAdvanceDropsBehind(t *testing.T) {
	for _, procs := range []int{1, 2} {
		t.Run(fmt.Sprintf("GOMAXPROCS=%d", procs), func(t *testing.T) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			const size = 64 << 20
			m, err := Map(writeFile(t, pattern(size)))
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			if (m.pager != nil) != (procs > 1) {
				t.Fatalf("pager %v with GOMAXPROCS %d", m.pager != nil, procs)
			}
			b := m.Bytes()
			for i := 0; i < len(b); i += 4096 {
				sink += b[i]
			}
			before := rssFile(t)
			m.Advance(size - 1)
			after := waitRSS(t, func(kb int) bool { return before-kb >= 48<<10 })
			if before-after < 48<<10 {
				t.Errorf("resident file pages %d KiB -> %d KiB after reading 64 MiB", before, after)
			}
			if b[12345] != pattern(12346)[12345] {
				t.Error("a dropped byte reads back wrong")
			}
		})
	}
}

// Inline, Advance drops in 4 MiB steps: a reader 2 MiB in drops nothing.
func TestAdvanceInlineSteps(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	m, err := Map(writeFile(t, pattern(16<<20)))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	b := m.Bytes()
	for i := 0; i < len(b); i += 4096 {
		sink += b[i]
	}
	before := rssFile(t)
	m.Advance(2 << 20)
	if after := rssFile(t); before-after > 1024 {
		t.Errorf("Advance 2 MiB in released %d KiB", before-after)
	}
	m.Advance(6 << 20)
	if after := rssFile(t); before-after < 5<<10 {
		t.Errorf("Advance 6 MiB in released %d KiB, want the first 6 MiB", before-after)
	}
}

// The pager maps the pages ahead of the reader into the process (they
// count in the resident set without having been read), and no more than
// pageAhead of them: the mapping's share of the resident set stays bounded
// wherever the reader is.
func TestPagerMapsAhead(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	const size = 64 << 20
	f := writeFile(t, pattern(size))
	before := rssFile(t)
	m := mustMap(t, f)
	if m.pager == nil {
		t.Skip("no pager on this kernel")
	}
	const ahead = pageAhead >> 10 // KiB
	got := waitRSS(t, func(kb int) bool { return kb-before >= ahead-64 })
	if got-before < ahead-64 || got-before > ahead+1024 {
		t.Fatalf("%d KiB mapped ahead of a reader at 0, want %d", got-before, ahead)
	}
	for off := int64(0); off < size; off += 1 << 20 {
		m.Advance(off)
	}
	// At the end: the last pageAhead bytes and at most dropStep behind.
	got = waitRSS(t, func(kb int) bool { return kb-before <= ahead+dropStep>>10 })
	if got-before > ahead+dropStep>>10+1024 {
		t.Errorf("%d KiB of the file resident after the reader passed, want at most %d", got-before, ahead+dropStep>>10)
	}
}

// A pager that never gets to run (its goroutine starved) does not let the
// resident set grow: past pageLagMax the reader drops the pages itself.
func TestStarvedPagerStillDrops(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1)) // Map starts no pager
	const size = 64 << 20
	m, err := Map(writeFile(t, pattern(size)))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	m.pager = &pager{pos: make(chan int64, 1), yield: runtime.Gosched} // no goroutine behind it
	m.next = 0
	b := m.Bytes()
	for i := 0; i < len(b); i += 4096 {
		sink += b[i]
	}
	before := rssFile(t)
	for off := int64(0); off < size; off += 64 << 10 {
		m.Advance(off)
	}
	m.pager = nil
	if after := rssFile(t); before-after < 40<<10 {
		t.Errorf("resident file pages %d KiB -> %d KiB with a starved pager", before, after)
	}
}

// The reader yields to the pager only when the pages just ahead of it are
// not mapped: a pager that is late in taking the reader's reports but has
// mapped far enough ahead is left alone (yielding to it would only move
// its work onto the reader's core).
func TestKeepUpYieldsOnlyBeforeUnmappedPages(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1)) // Map starts no pager
	m, err := Map(writeFile(t, pattern(64<<20)))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	yields := 0
	p := &pager{pos: make(chan int64, 1), yield: func() { yields++ }}
	defer func() { m.pager = nil }()
	m.pager, m.next = p, 0
	// Advance acts once per pageStep: the offsets grow by at least that.
	for _, c := range []struct {
		off, mapped, handled int64
		yield                bool
	}{
		{off: 1 << 20, mapped: 9 << 20, handled: 0, yield: false}, // late, but far ahead
		{off: 2 << 20, mapped: 9 << 20, handled: 1 << 20, yield: false},
		{off: 8<<20 + 4096, mapped: 9 << 20, handled: 2 << 20, yield: true},     // within a step of the frontier
		{off: 10 << 20, mapped: 10 << 20, handled: 9 << 20, yield: true},        // at the frontier
		{off: 12 << 20, mapped: 64 << 20, handled: 0, yield: false},             // mapped to the end (or failed)
		{off: 63<<20 + 4096, mapped: 64 << 20, handled: 62 << 20, yield: false}, // in the last step, all mapped
	} {
		p.mapped.Store(c.mapped)
		p.handled.Store(c.handled)
		yields = 0
		m.Advance(c.off)
		if got := yields > 0; got != c.yield {
			t.Errorf("reader at %d, mapped to %d: yielded %v, want %v", c.off, c.mapped, got, c.yield)
		}
	}
}

// A file that shrinks under the pager stops the mapping ahead without a
// signal (populate reports the fault); Advance and Close go on working.
func TestPagerSurvivesTruncation(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	f := writeFile(t, pattern(32<<20))
	m := mustMap(t, f)
	if err := os.Truncate(f.Name(), 4096); err != nil {
		t.Fatal(err)
	}
	for off := int64(0); off < 32<<20; off += 1 << 20 {
		m.Advance(off)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
}

// waitRSS polls the resident file pages until ok accepts them or a few
// seconds pass (the pager works asynchronously) and returns the last value.
func waitRSS(t *testing.T, ok func(kb int) bool) int {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		kb := rssFile(t)
		if ok(kb) || time.Now().After(deadline) {
			return kb
		}
		time.Sleep(time.Millisecond)
	}
}

// sink keeps the compiler from removing test reads.
var sink byte

// A mapped file truncated by another process faults on the next access
// past its end; under SetPanicOnFault the fault is a recoverable panic
// that Fault recognises.
func TestFaultAfterTruncation(t *testing.T) {
	f := writeFile(t, pattern(1<<20))
	m := mustMap(t, f)
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

// Guard recovers a fault in the mapping (the file shrank), runs f's
// deferred calls, and lets any other panic through.
func TestGuard(t *testing.T) {
	f := writeFile(t, pattern(1<<20))
	m := mustMap(t, f)
	if m.Guard(func() { sink += m.Bytes()[1<<19] }) {
		t.Error("Guard reports a fault on a whole file")
	}
	if err := os.Truncate(f.Name(), 4096); err != nil {
		t.Fatal(err)
	}
	deferred := false
	if !m.Guard(func() {
		defer func() { deferred = true }()
		sink += m.Bytes()[1<<19]
	}) || !deferred {
		t.Errorf("read past the truncation: fault not reported (deferred calls ran: %v)", deferred)
	}
	defer func() {
		if p := recover(); p != "a bug" {
			t.Errorf("recovered %v, want the panic that is not a fault", p)
		}
	}()
	m.Guard(func() { panic("a bug") })
	t.Error("Guard swallowed a panic that is not a fault")
}

// faultAt is a fault panic value at an address.
type faultAt uintptr

func (f faultAt) Addr() uintptr { return uintptr(f) }
