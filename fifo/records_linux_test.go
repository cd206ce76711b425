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

// TestWriteRecordsKeepsBoundaries: a reader that stops reading leaves only
// whole records in the pipe when the write gives up.
func TestWriteRecordsKeepsBoundaries(t *testing.T) {
	const rec = 10000
	r, w := openPair(t)
	size := pipeSize(t, w)
	data := bytes.Repeat([]byte{'x'}, rec*((size/rec)+20))
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	w.SetWriteDeadline(time.Now().Add(200 * time.Millisecond))
	n, err := WriteRecords(ctx, w, data, size, fixedFit(rec))
	if !errors.Is(err, os.ErrDeadlineExceeded) && !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
	if n%rec != 0 || n == 0 {
		t.Fatalf("wrote %d bytes, not a whole number of %d-byte records", n, rec)
	}
	if got := buffered(t, r); got != n {
		t.Fatalf("pipe holds %d bytes, WriteRecords says %d", got, n)
	}
}

// TestWriteRecordsDelivers: with a reader draining slowly, every byte
// arrives in order.
func TestWriteRecordsDelivers(t *testing.T) {
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
	n, err := WriteRecords(context.Background(), w, data, size, fixedFit(777))
	if err != nil || n != len(data) {
		t.Fatalf("WriteRecords = %d, %v", n, err)
	}
	if b := <-got; !bytes.Equal(b, data) {
		t.Fatalf("reader got %d bytes, differing from the %d written", len(b), len(data))
	}
}

// TestWriteRecordsBrokenPipe: a reader that went away is reported as a
// broken pipe.
func TestWriteRecordsBrokenPipe(t *testing.T) {
	r, w := openPair(t)
	r.Close()
	_, err := WriteRecords(context.Background(), w, make([]byte, 100), pipeSize(t, w), fixedFit(10))
	if !IsBrokenPipe(err) {
		t.Fatalf("err = %v, want a broken pipe", err)
	}
}
