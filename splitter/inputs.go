package splitter

import (
	"cmp"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/flowsplit/flowsplit/internal/pcapio"
)

// Several inputs (Config.Inputs) are read one after the other as one
// stream, as `cat` would join them, except that each file is mapped (or
// decompressed) on its own and every message names the file and an offset
// in it. The router's state (held fragments, the lfu table) carries over
// from one input to the next, so a connection or a fragmented datagram cut
// by a file rotation stays on one output.

// inputPaths returns the inputs to read, in order: Config.Inputs, or
// Config.Input alone, expanded by ExpandInputs.
func (c *Config) inputPaths() ([]string, error) {
	if len(c.Inputs) == 0 {
		return ExpandInputs([]string{c.Input})
	}
	return ExpandInputs(c.Inputs)
}

// ExpandInputs returns names with each directory replaced by the capture
// files in it, in the order the split reads them (see dirFiles); other
// names (files, FIFOs, "-" for stdin, paths that do not exist) are kept as
// they are.
func ExpandInputs(names []string) ([]string, error) {
	var paths []string
	for _, n := range names {
		fi, err := os.Stat(n)
		if n == "" || n == "-" || err != nil || !fi.IsDir() {
			paths = append(paths, n) // opening it reports any error
			continue
		}
		files, err := dirFiles(n)
		if err != nil {
			return nil, err
		}
		paths = append(paths, files...)
	}
	return paths, nil
}

// dirFiles lists the regular files of dir (symbolic links followed; hidden
// files, subdirectories, FIFOs and devices left out) in the order of their
// first packet's timestamp, names breaking ties: the order in which a
// rotating writer made them, whatever their names (`tcpdump -C` numbers its files without
// leading zeros, so that name order puts file 10 before file 2). Files
// without a readable first packet come first, in name order: the split
// then reports them (or skips them when empty) before it writes anything.
// No file at all is an error.
func dirFiles(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir) // sorted by name
	if err != nil {
		return nil, err
	}
	type file struct {
		path string
		time int64 // of the first packet, in ns; math.MinInt64 when none
	}
	var files []file
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			files = append(files, file{p, firstPacketTime(p)})
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no file in the directory", dir)
	}
	slices.SortStableFunc(files, func(a, b file) int { return cmp.Compare(a.time, b.time) })
	paths := make([]string, len(files))
	for i, f := range files {
		paths[i] = f.path
	}
	return paths, nil
}

// firstPacketTime returns the timestamp (ns since the epoch) of the first
// packet of capture file path, or math.MinInt64 when it has none or cannot
// be read.
func firstPacketTime(path string) int64 {
	f, err := os.Open(path)
	if err != nil {
		return math.MinInt64
	}
	defer f.Close()
	rd, err := pcapio.NewReader(f, pcapio.ReaderOptions{Name: path, BufSize: peekBufSize})
	if err != nil {
		return math.MinInt64
	}
	defer rd.Close()
	var rec pcapio.Record
	if rd.Next(&rec) != nil {
		return math.MinInt64
	}
	return rec.Sec*1e9 + int64(rec.Nsec)
}

// checkNotOutput returns a usage error when an input is one of the
// outputs (a directory of captures given as the input and as the outputs'
// place, say): the split would read what it writes.
func checkNotOutput(inputs, outputs []string) error {
	var outs []os.FileInfo
	for _, p := range outputs {
		if fi, err := os.Stat(p); err == nil {
			outs = append(outs, fi)
		}
	}
	for _, in := range inputs {
		fi, err := os.Stat(in)
		if in == "" || in == "-" || err != nil {
			continue
		}
		for _, fo := range outs {
			if os.SameFile(fi, fo) {
				return usageErr("%s is an input and an output", in)
			}
		}
	}
	return nil
}

// displayName is how messages name input path.
func displayName(path string) string {
	if path == "" || path == "-" {
		return "stdin"
	}
	return path
}
