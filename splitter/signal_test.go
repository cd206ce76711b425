package splitter

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/flowsplit/flowsplit/hashing"
	"github.com/flowsplit/flowsplit/internal/oracle"
)

// TestCancelMidStream: cancelling Run (what SIGTERM does) while the input
// is still coming through a FIFO leaves every output a valid capture
// holding a prefix of its packets, returns an interrupted error, and leaks
// no goroutine.
func TestCancelMidStream(t *testing.T) {
	defer goleak.VerifyNone(t)
	dir := t.TempDir()
	src := realDir + "flows-tls-334conns.pcap"
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "in.fifo")
	if err := syscall.Mkfifo(in, 0o600); err != nil {
		t.Fatal(err)
	}
	feeder := make(chan error, 1)
	stop := make(chan struct{})
	fed := make(chan struct{})
	defer func() { close(stop); <-fed }()
	go func() {
		defer close(fed)
		w, err := os.OpenFile(in, os.O_WRONLY, 0)
		if err != nil {
			feeder <- err
			return
		}
		defer w.Close()
		_, err = w.Write(data[:len(data)/2])
		feeder <- err
		<-stop // the input pauses until the test ends
	}()
	ctx, cancel := context.WithCancel(context.Background())
	var log bytes.Buffer
	c := &Config{Input: in, Workers: 3, OutPattern: filepath.Join(dir, "o-%d.pcap"),
		Route: RouteConfig{Hash: hashing.Config{Mode: hashing.Mode5Tuple}}, Log: &log}
	done := make(chan error, 1)
	var st *Stats
	go func() {
		var err error
		st, err = Run(ctx, c)
		done <- err
	}()
	if err := <-feeder; err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	cancel()
	select {
	case err = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if !IsInterrupted(err) {
		t.Fatalf("Run = %v, want an interrupted error", err)
	}
	ref, _ := oracle.ReadFile(src)
	total := 0
	for i := range 3 {
		got, err := oracle.ReadFile(c.OutputPath(i))
		if err != nil {
			t.Fatalf("output %d after cancel: %v", i, err)
		}
		total += len(got)
	}
	if total == 0 || total >= len(ref) || uint64(total) != st.Input.Packets {
		t.Errorf("outputs hold %d packets; read %d of %d", total, st.Input.Packets, len(ref))
	}
}
