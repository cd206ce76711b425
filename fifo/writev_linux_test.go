package fifo

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// randomBufs returns n buffers of random content and sizes in [0, max],
// with some empty ones, and their concatenation.
func randomBufs(rng *rand.Rand, n, max int) ([][]byte, []byte) {
	bufs := make([][]byte, n)
	var all []byte
	for i := range bufs {
		b := make([]byte, rng.IntN(max+1))
		for j := range b {
			b[j] = byte(rng.Uint32())
		}
		if i%7 == 3 {
			b = b[:0]
		}
		bufs[i] = b
		all = append(all, b...)
	}
	return bufs, all
}

func TestWritevFile(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, iovBatch - 1, iovBatch, iovBatch + 1, 3*iovBatch + 5} {
		bufs, want := randomBufs(rng, n, 300)
		p := filepath.Join(t.TempDir(), "out")
		f, err := OpenFile(p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Writev(f, bufs)
		f.Close()
		if got != len(want) || err != nil {
			t.Fatalf("%d bufs: Writev = %d, %v; want %d, nil", n, got, err, len(want))
		}
		if b, err := os.ReadFile(p); err != nil || !bytes.Equal(b, want) {
			t.Fatalf("%d bufs: file holds %d bytes, %v; want %d", n, len(b), err, len(want))
		}
	}
}

func TestWritevEmpty(t *testing.T) {
	_, w := openPair(t)
	for _, bufs := range [][][]byte{nil, {}, {nil}, {{}, nil, {}}} {
		if n, err := Writev(w, bufs); n != 0 || err != nil {
			t.Errorf("Writev(%v) = %d, %v; want 0, nil", bufs, n, err)
		}
	}
}

// TestWritevPartial writes through a one-page pipe to a reader that takes
// small pieces, so that writev returns short counts and EAGAIN often.
func TestWritevPartial(t *testing.T) {
	r, w := openPair(t)
	setSmallPipe(t, w)
	rng := rand.New(rand.NewPCG(3, 4))
	bufs, want := randomBufs(rng, 500, 2000) // ~500 KB, many iovBatch batches
	orig := slices.Clone(bufs)
	wantCopy := slices.Clone(want)

	got := make(chan []byte, 1)
	go func() {
		var b []byte
		piece := make([]byte, 999)
		for {
			n, err := r.Read(piece)
			b = append(b, piece[:n]...)
			if err != nil {
				got <- b
				return
			}
		}
	}()
	n, err := Writev(w, bufs)
	w.Close()
	if n != len(want) || err != nil {
		t.Fatalf("Writev = %d, %v; want %d, nil", n, err, len(want))
	}
	if b := <-got; !bytes.Equal(b, want) {
		t.Fatalf("reader got %d bytes, want %d; first difference at %d", len(b), len(want), firstDiff(b, want))
	}
	// bufs and the data are untouched.
	for i := range bufs {
		if len(bufs[i]) != len(orig[i]) || cap(bufs[i]) != cap(orig[i]) || (len(bufs[i]) > 0 && &bufs[i][0] != &orig[i][0]) {
			t.Fatalf("Writev changed bufs[%d]", i)
		}
	}
	var after []byte
	for _, b := range bufs {
		after = append(after, b...)
	}
	if !bytes.Equal(after, wantCopy) {
		t.Fatal("Writev changed the data")
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func TestWritevClosedFile(t *testing.T) {
	_, w := openPair(t)
	w.Close()
	if _, err := Writev(w, [][]byte{[]byte("x")}); err == nil {
		t.Fatal("Writev on a closed file succeeded")
	}
}

// drain reads r into a fixed buffer until EOF, allocating nothing.
func drain(r *os.File, done chan<- struct{}) {
	buf := make([]byte, 64<<10)
	for {
		if _, err := r.Read(buf); err != nil {
			close(done)
			return
		}
	}
}

func TestWritevNoAllocs(t *testing.T) {
	r, w := openPair(t)
	done := make(chan struct{})
	go drain(r, done)
	defer func() { w.Close(); <-done }()
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{1, 8, iovBatch, 3 * iovBatch} {
		bufs, _ := randomBufs(rng, n, 1500) // up to ~290 KB: also waits for the reader
		if a := testing.AllocsPerRun(50, func() {
			if _, err := Writev(w, bufs); err != nil {
				t.Fatal(err)
			}
		}); a != 0 {
			t.Errorf("Writev of %d buffers to a FIFO: %v allocations, want 0", n, a)
		}
	}
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	bufs, _ := randomBufs(rng, 200, 100)
	if a := testing.AllocsPerRun(100, func() { Writev(null, bufs) }); a != 0 {
		t.Errorf("Writev to %s: %v allocations, want 0", os.DevNull, a)
	}
}

// benchWritev writes batches of 64 packets of 512 bytes to w.
func benchWritev(b *testing.B, w *os.File) {
	bufs := make([][]byte, iovBatch)
	for i := range bufs {
		bufs[i] = make([]byte, 512)
	}
	b.SetBytes(int64(len(bufs) * 512))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Writev(w, bufs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(bufs))/b.Elapsed().Seconds(), "packets/s")
}

func BenchmarkWritev(b *testing.B) {
	b.Run("devnull", func(b *testing.B) {
		null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
		if err != nil {
			b.Fatal(err)
		}
		defer null.Close()
		benchWritev(b, null)
	})
	b.Run("fifo", func(b *testing.B) {
		r, w, err := os.Pipe()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := SetPipeSize(w, 1<<20); err != nil {
			b.Fatal(err)
		}
		done := make(chan struct{})
		go drain(r, done)
		benchWritev(b, w)
		w.Close()
		<-done
		r.Close()
	})
}
