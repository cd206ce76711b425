package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// options are the command line.
type options struct {
	sizeMB  int
	flows   int
	workers int
	runs    int
	seed    int64
	dir     string // outputs, FIFOs and the tmpfs copy of the input
	inDir   string // the input, in the page cache of its filesystem
	bin     string
	core    bool
	keep    bool
}

func main() {
	if len(os.Args) > 2 && (os.Args[1] == fanoutArg || os.Args[1] == fanoutBigArg) {
		pipeSize := 0
		if os.Args[1] == fanoutBigArg {
			pipeSize = bigPipe
		}
		if err := fanout(os.Args[2], os.Args[3:], pipeSize); err != nil {
			fmt.Fprintf(os.Stderr, "pipeline fan-out: %v\n", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) > 2 && os.Args[1] == fanoutFilesArg {
		if err := fanoutFiles(os.Args[2], os.Args[3:]); err != nil {
			fmt.Fprintf(os.Stderr, "pipeline fan-out: %v\n", err)
			os.Exit(1)
		}
		return
	}
	var o options
	flag.IntVar(&o.sizeMB, "size", 512, "size of the generated capture in MB (10^6 bytes)")
	flag.IntVar(&o.flows, "flows", 100_000, "generated flows")
	flag.IntVar(&o.workers, "n", 8, "number of outputs")
	flag.IntVar(&o.runs, "runs", 3, "repetitions of each measurement (the median and the best are shown)")
	flag.Int64Var(&o.seed, "seed", 1, "generator seed")
	flag.StringVar(&o.dir, "dir", "/dev/shm", "tmpfs directory for the outputs, the FIFOs and the tmpfs copy of the capture")
	flag.StringVar(&o.inDir, "input-dir", os.TempDir(), "directory for the capture, read from the page cache (a disk filesystem, as stored captures are)")
	flag.StringVar(&o.bin, "bin", "bin/flowsplit", "flowsplit binary (make build)")
	flag.BoolVar(&o.core, "core", true, "also print the routing-core table of `flowsplit bench`")
	flag.BoolVar(&o.keep, "keep", false, "keep the generated capture")
	flag.Parse()
	if err := run(&o); err != nil {
		fmt.Fprintf(os.Stderr, "pipeline: %v\n", err)
		os.Exit(1)
	}
}

func run(o *options) error {
	if o.sizeMB < 1 || o.workers < 1 || o.runs < 1 {
		return fmt.Errorf("-size, -n and -runs must be positive")
	}
	bin, err := filepath.Abs(o.bin)
	if err != nil {
		return err
	}
	if _, err := os.Stat(bin); err != nil {
		return fmt.Errorf("flowsplit binary: %w (run make build)", err)
	}
	o.bin = bin
	dir, err := os.MkdirTemp(o.dir, "flowsplit-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	inDir, err := os.MkdirTemp(o.inDir, "flowsplit-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(inDir)
	in, err := generate(o, inDir)
	if err != nil {
		return err
	}
	if o.keep {
		kept := filepath.Join(o.inDir, filepath.Base(in.path))
		if err := os.Link(in.path, kept); err == nil {
			fmt.Printf("capture kept as %s\n", kept)
		}
	}
	// Reading the capture for its tmpfs copy also brings it into the page
	// cache (the setup the targets are stated for), for the first run too.
	if in.tmpfsPath, err = copyFile(in.path, filepath.Join(dir, "input.pcap")); err != nil {
		return err
	}
	fmt.Printf("input: %s IMIX capture, %.1f MB, %d packets, %d flows, in the page cache of %s (%s); a copy on %s (%s)\n",
		"generated", float64(in.bytes)/1e6, in.packets, o.flows, o.inDir, fsType(o.inDir), o.dir, fsType(o.dir))
	fmt.Printf("outputs: %d on %s (%s); median and best of %d runs\n\n", o.workers, o.dir, fsType(o.dir), o.runs)
	rows, err := measureAll(o, dir, in)
	if err != nil {
		return err
	}
	printTable(os.Stdout, rows, in)
	if o.core {
		fmt.Printf("\nrouting core (flowsplit bench -n %d):\n", o.workers)
		cmd := exec.Command(o.bin, "bench", "-n", fmt.Sprint(o.workers), "--flows", fmt.Sprint(o.flows))
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("flowsplit bench: %w", err)
		}
	}
	return nil
}
