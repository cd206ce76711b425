package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// TestMemoryBounded: the resident set of a split stays under the 64 MiB
// of issue 5 however long the input, from a file (mapped: its pages must
// leave the resident set as the split passes them) and from a pipe.
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
	for _, from := range []string{"file", "pipe"} {
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
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("split: %v\n%s", err, b)
			}
			rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss
			t.Logf("%s: peak RSS %d KiB", from, rss)
			if rss > limit {
				t.Errorf("%s: peak RSS %d KiB, want at most %d", from, rss, limit)
			}
		})
	}
}
