// Command worker is a test worker for `flowsplit split --exec`:
//
//	worker MODE FIFO DIR INDEX
//
// MODE copy: copy FIFO to DIR/out.pcap. crash-once: worker 0 reads 64 KiB
// and exits 1 the first time (leaving DIR/marker), then copies like copy;
// the others copy. fail: exit 1 at once. hang: copy, then sleep. hang-hard:
// like hang, ignoring SIGTERM.
package main

import (
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) != 5 {
		os.Exit(2)
	}
	mode, fifo, dir, index := os.Args[1], os.Args[2], os.Args[3], os.Args[4]
	switch mode {
	case "fail":
		os.Stderr.WriteString("failing on purpose\n")
		os.Exit(1)
	case "crash-once":
		marker := filepath.Join(dir, "marker")
		if _, err := os.Stat(marker); index == "0" && err != nil {
			os.WriteFile(marker, nil, 0o644)
			f, err := os.Open(fifo)
			if err != nil {
				os.Exit(3)
			}
			io.CopyN(io.Discard, f, 64<<10)
			os.Stderr.WriteString("crashing on purpose\n")
			os.Exit(1)
		}
	case "hang-hard":
		signal.Ignore(syscall.SIGTERM)
	}
	f, err := os.Open(fifo)
	if err != nil {
		os.Exit(3)
	}
	out, err := os.Create(filepath.Join(dir, "out.pcap"))
	if err != nil {
		os.Exit(4)
	}
	if _, err := io.Copy(out, f); err != nil {
		os.Exit(5)
	}
	if err := out.Close(); err != nil {
		os.Exit(6)
	}
	os.Stdout.WriteString("copied\n")
	if mode == "hang" || mode == "hang-hard" {
		time.Sleep(time.Hour)
	}
}
