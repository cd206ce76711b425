package fifo

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"testing"
	"time"
)

// fixedFit is the fit function for records of a fixed size.
func fixedFit(size int) func(b []byte, max int) int {
	return func(b []byte, max int) int {
		return min(len(b), max/size*size)
	}
}

// TestRecordPipeKeepsBoundaries: a reader that stops reading leaves only
// whole records in the pipe when the write gives up.
func TestRecordPipeKeepsBoundaries(t *testing.T) {
	const rec = 10000
	r, w := openPair(t)
	size := pipeSize(t, w)
	data := bytes.Repeat([]byte{'x'}, rec*((size/rec)+20))
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	w.SetWriteDeadline(time.Now().Add(200 * time.Millisecond))
	n, err := NewRecordPipe(w, size).Write(ctx, data, fixedFit(rec))
	if !errors.Is(err, os.ErrDeadlineExceeded) && !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
	if n%rec != 0 || n == 0 {
		t.Fatalf("wrote %d bytes, not a whole number of %d-byte records", n, rec)
	}
	if got := buffered(t, r); got != n {
		t.Fatalf("pipe holds %d bytes, RecordPipe says %d", got, n)
	}
}

// TestRecordPipeDelivers: with a reader draining slowly, every byte
// arrives in order.
func TestRecordPipeDelivers(t *testing.T) {
	r, w := openPair(t)
	size := pipeSize(t, w)
	var data []byte
	for i := 0; len(data) < 3*size; i++ {
		data = append(data, bytes.Repeat([]byte{byte(i)}, 777)...)
	}
	got := make(chan []byte)
	go func() {
		var b bytes.Buffer
		buf := make([]byte, 999)
		for {
			n, err := r.Read(buf)
			b.Write(buf[:n])
			if errors.Is(err, io.EOF) || b.Len() >= len(data) {
				got <- b.Bytes()
				return
			}
			if err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
				time.Sleep(time.Millisecond)
			}
		}
	}()
	n, err := NewRecordPipe(w, size).Write(context.Background(), data, fixedFit(777))
	if err != nil || n != len(data) {
		t.Fatalf("RecordPipe = %d, %v", n, err)
	}
	if b := <-got; !bytes.Equal(b, data) {
		t.Fatalf("reader got %d bytes, differing from the %d written", len(b), len(data))
	}
}

// TestRecordPipeBrokenPipe: a reader that went away is reported as a
// broken pipe.
func TestRecordPipeBrokenPipe(t *testing.T) {
	r, w := openPair(t)
	r.Close()
	_, err := NewRecordPipe(w, pipeSize(t, w)).Write(context.Background(), make([]byte, 100), fixedFit(10))
	if !IsBrokenPipe(err) {
		t.Fatalf("err = %v, want a broken pipe", err)
	}
}

// TestRecordPipeOddSizes: records of sizes that leave pages partly used,
// written one batch at a time into a reader that never reads, still end at
// a record boundary when writing stops.
func TestRecordPipeOddSizes(t *testing.T) {
	for _, rec := range []int{100, 3000, 5000, 10000, 70000} {
		r, w := openPair(t)
		size, err := SetPipeSize(w, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		p := NewRecordPipe(w, size)
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		total := 0
		for total < 2*size {
			batch := bytes.Repeat([]byte{'y'}, rec*(1+total/rec%7))
			w.SetWriteDeadline(time.Now().Add(300 * time.Millisecond))
			n, err := p.Write(ctx, batch, fixedFit(rec))
			total += n
			if err != nil {
				break
			}
		}
		cancel()
		if total%rec != 0 {
			t.Errorf("records of %d bytes: wrote %d bytes, not whole records", rec, total)
		}
		if got := buffered(t, r); got != total {
			t.Errorf("records of %d bytes: pipe holds %d, wrote %d", rec, got, total)
		}
		if total < size/2 {
			t.Errorf("records of %d bytes: only %d bytes fit in a %d-byte pipe", rec, total, size)
		}
	}
}
