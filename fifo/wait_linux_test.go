package fifo

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// newFIFOs makes n FIFOs in one temporary directory.
func newFIFOs(t *testing.T, n int) []string {
	t.Helper()
	dir := t.TempDir()
	paths := make([]string, n)
	for i := range paths {
		paths[i] = filepath.Join(dir, "out"+strconv.Itoa(i))
		if err := mkfifo(paths[i], 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return paths
}

// TestWaitOpenFIFOsLateReaders lets the readers appear one by one from the
// report callback, and checks the reports and the order of the files.
func TestWaitOpenFIFOsLateReaders(t *testing.T) {
	paths := newFIFOs(t, 4)
	readers := make([]*os.File, len(paths))
	readers[1] = openReader(t, paths[1])

	var reports [][]int
	report := func(waiting []int) {
		reports = append(reports, slices.Clone(waiting))
		switch len(reports) {
		case 1: // 0, 2, 3 waiting: 0 appears at once
			readers[0] = openReader(t, paths[0])
		case 3: // 2, 3 waiting twice: both appear
			readers[2] = openReader(t, paths[2])
			readers[3] = openReader(t, paths[3])
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	files, err := waitOpenFIFOs(ctx, paths, report, time.Millisecond, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]int{{0, 2, 3}, {2, 3}, {2, 3}}
	if !slices.EqualFunc(reports, want, slices.Equal) {
		t.Errorf("reports = %v, want %v", reports, want)
	}
	if len(files) != len(paths) {
		t.Fatalf("got %d files, want %d", len(files), len(paths))
	}
	for i, f := range files {
		if _, err := f.WriteString("output " + strconv.Itoa(i)); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	for i, r := range readers {
		if b, err := io.ReadAll(r); err != nil || string(b) != "output "+strconv.Itoa(i) {
			t.Errorf("reader %d got %q, %v", i, b, err)
		}
	}
}

// TestWaitOpenFIFOsReportInterval checks that reports are spaced by the
// report interval, not by the poll interval.
func TestWaitOpenFIFOsReportInterval(t *testing.T) {
	paths := newFIFOs(t, 2)
	openReader(t, paths[0])
	var at []time.Time
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	report := func(waiting []int) {
		if !slices.Equal(waiting, []int{1}) {
			t.Errorf("waiting = %v, want [1]", waiting)
		}
		at = append(at, time.Now())
		if len(at) == 3 {
			openReader(t, paths[1])
		}
	}
	const every = 100 * time.Millisecond
	files, err := waitOpenFIFOs(ctx, paths, report, time.Millisecond, every)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		f.Close()
	}
	if len(at) != 3 {
		t.Fatalf("%d reports, want 3", len(at))
	}
	if d := at[0].Sub(start); d >= every {
		t.Errorf("first report after %v, want at once", d)
	}
	for i := 1; i < len(at); i++ {
		if d := at[i].Sub(at[i-1]); d < every {
			t.Errorf("report %d came %v after the previous one, want >= %v", i, d, every)
		}
	}
}

// TestWaitOpenFIFOsDefaults uses the exported function: one reader is late
// by less than a report interval, so there is one report.
func TestWaitOpenFIFOsDefaults(t *testing.T) {
	paths := newFIFOs(t, 2)
	openReader(t, paths[1])
	var reports [][]int
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	files, err := WaitOpenFIFOs(ctx, paths, func(waiting []int) {
		reports = append(reports, slices.Clone(waiting))
		openReader(t, paths[0])
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		f.Close()
	}
	if len(reports) != 1 || !slices.Equal(reports[0], []int{0}) {
		t.Errorf("reports = %v, want [[0]]", reports)
	}
	// All readers present: no report at all, nil report allowed.
	files, err = WaitOpenFIFOs(ctx, paths[1:], nil)
	if err != nil || len(files) != 1 {
		t.Fatalf("WaitOpenFIFOs = %v, %v", files, err)
	}
	files[0].Close()
}

func TestWaitOpenFIFOsCancel(t *testing.T) {
	paths := newFIFOs(t, 3)
	before := countFDs(t)
	r := openReader(t, paths[0])
	r2 := openReader(t, paths[2])
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Cancel from another goroutine while WaitOpenFIFOs sleeps between
	// polls.
	reported := make(chan struct{}, 1)
	canceled := make(chan time.Time, 1)
	go func() {
		<-reported
		time.Sleep(5 * time.Millisecond)
		canceled <- time.Now()
		cancel()
	}()
	report := func(waiting []int) {
		if !slices.Equal(waiting, []int{1}) {
			t.Errorf("waiting = %v, want [1]", waiting)
		}
		select {
		case reported <- struct{}{}:
		default:
		}
	}
	// A 10 s poll: returning sooner proves that cancellation wakes the wait.
	files, err := waitOpenFIFOs(ctx, paths, report, 10*time.Second, reportInterval)
	if !errors.Is(err, context.Canceled) || files != nil {
		t.Fatalf("WaitOpenFIFOs = %v, %v; want nil, context.Canceled", files, err)
	}
	if d := time.Since(<-canceled); d > 2*time.Second {
		t.Errorf("returned %v after cancel, want promptly", d)
	}
	// The writers opened for 0 and 2 were closed: the readers see EOF.
	for _, rd := range []*os.File{r, r2} {
		if b, err := io.ReadAll(rd); err != nil || len(b) != 0 {
			t.Errorf("reader: %q, %v; want EOF", b, err)
		}
		rd.Close()
	}
	if after := countFDs(t); after != before {
		t.Errorf("%d descriptors open after, %d before", after, before)
	}
}

func TestWaitOpenFIFOsError(t *testing.T) {
	paths := newFIFOs(t, 3)
	paths[2] = filepath.Join(filepath.Dir(paths[0]), "missing")
	before := countFDs(t)
	r := openReader(t, paths[0])
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	files, err := WaitOpenFIFOs(ctx, paths, nil)
	if !errors.Is(err, os.ErrNotExist) || !strings.HasPrefix(err.Error(), "output 2: ") || files != nil {
		t.Fatalf("WaitOpenFIFOs = %v, %v; want an error about output 2", files, err)
	}
	r.Close()
	if after := countFDs(t); after != before {
		t.Errorf("%d descriptors open after, %d before", after, before)
	}
}
