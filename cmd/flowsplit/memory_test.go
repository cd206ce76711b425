package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/flowsplit/flowsplit/internal/peakrss"
)

// TestMemoryBounded: the resident set of a split stays under the 64 MiB
// of issue 5 however long the input, from a file (mapped: its pages must
// leave the resident set as the split passes them) and from a pipe, and
// also when the workers are slower than the split, so that every output's
// queue fills (the queues share --queue-total: 8 outputs x --queue-size
// would be 512 MiB).
func TestMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 2 x 170 MB")
	}
	dir := t.TempDir()
	input := genCapture(t, dir, 700_000)
	if fi, err := os.Stat(input); err != nil || fi.Size() < 150<<20 {
		t.Fatalf("generated input: %v, %d bytes, want at least 150 MiB", err, fi.Size())
	}
	const limit = 64 << 10 // KiB
	for _, from := range []string{"file", "pipe", "slow workers"} {
		t.Run(from, func(t *testing.T) {
			out := filepath.Join(dir, from)
			if err := os.Mkdir(out, 0o755); err != nil {
				t.Fatal(err)
			}
			args := []string{"split", "-q", "-n", "8", "-o", filepath.Join(out, "out-%d.pcap")}
			cmd := exec.Command(bin, append(args, input)...)
			if from == "pipe" {
				cmd = exec.Command(bin, append(args, "-")...)
				f, err := os.Open(input)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				pr, pw, err := os.Pipe()
				if err != nil {
					t.Fatal(err)
				}
				cmd.Stdin = pr
				go func() {
					defer pw.Close()
					buf := make([]byte, 1<<20)
					for {
						n, err := f.Read(buf)
						if n > 0 {
							if _, werr := pw.Write(buf[:n]); werr != nil {
								return
							}
						}
						if err != nil {
							return
						}
					}
				}()
				defer pr.Close()
			}
			if from == "slow workers" {
				cmd = exec.Command(bin, "split", "-q", "-n", "8", "--fifo", "-o", filepath.Join(out, "out-%d.fifo"), input)
				for i := range 8 {
					go slowReader(t, filepath.Join(out, fmt.Sprintf("out-%d.fifo", i)), 60e6)
				}
			}
			// Not wait4's ru_maxrss: it counts this test's own peak
			// (see peakrss), which grew past the limit in -count runs.
			var output bytes.Buffer
			cmd.Stdout, cmd.Stderr = &output, &output
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			stop := peakrss.Watch(cmd.Process.Pid)
			err := cmd.Wait()
			rss := stop() >> 10
			if err != nil {
				t.Fatalf("split: %v\n%s", err, output.Bytes())
			}
			if rss == 0 {
				t.Skip("no /proc/PID/status to read the peak RSS from")
			}
			t.Logf("%s: peak RSS %d KiB", from, rss)
			if rss > limit {
				t.Errorf("%s: peak RSS %d KiB, want at most %d", from, rss, limit)
			}
		})
	}
}

// slowReader opens FIFO path once the split has made it and reads it to
// its end at about rate bytes a second, as a worker slower than the split.
func slowReader(t *testing.T, path string, rate float64) {
	var f *os.File
	for {
		if _, err := os.Stat(path); err == nil {
			if f, err = os.Open(path); err != nil {
				t.Error(err)
				return
			}
			break
		}
		time.Sleep(time.Millisecond)
	}
	defer f.Close()
	start, n := time.Now(), 0
	buf := make([]byte, 64<<10)
	for {
		k, err := f.Read(buf)
		n += k
		if err != nil {
			return
		}
		if ahead := time.Duration(float64(n)/rate*float64(time.Second)) - time.Since(start); ahead > 0 {
			time.Sleep(ahead)
		}
	}
}
