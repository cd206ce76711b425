package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/flowsplit/flowsplit/bench/gen"
)

// capture is the generated input.
type capture struct {
	path      string // in the page cache of -input-dir's filesystem
	tmpfsPath string // a copy on -dir (tmpfs)
	packets   int
	bytes     int64
}

// meanRecordBytes is the generator's mean pcap record size (16-byte record
// header included) on its default mix, to turn a size into a packet count.
const meanRecordBytes = 250

// generate writes an IMIX capture of about o.sizeMB megabytes into dir.
func generate(o *options, dir string) (capture, error) {
	path := filepath.Join(dir, "input.pcap")
	f, err := os.Create(path)
	if err != nil {
		return capture{}, err
	}
	cfg := gen.Config{Packets: o.sizeMB * 1_000_000 / meanRecordBytes, Flows: o.flows, Seed: o.seed}
	fmt.Fprintf(os.Stderr, "generating %d packets into %s\n", cfg.Packets, path)
	n, b, err := gen.WritePcap(f, cfg)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return capture{}, err
	}
	return capture{path: path, packets: n, bytes: b}, nil
}

// copyFile copies src to dst and returns dst.
func copyFile(src, dst string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return "", err
	}
	_, err = io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return dst, err
}
