package splitter

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/flowsplit/flowsplit/internal/mapfile"
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
// files, subdirectories, FIFOs and devices left out) in the order of their first packet's
// timestamp, names breaking ties: the order in which a rotating writer
// made them, whatever their names (`tcpdump -C` numbers its files without
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

// source is one input being read.
type source struct {
	name   string
	rd     *pcapio.Reader
	mapped *mapfile.File // the input file, mapped; nil when read
	closes []func()      // in reverse order
}

func (s *source) close() {
	for i := len(s.closes) - 1; i >= 0; i-- {
		s.closes[i]()
	}
	s.closes = nil
}

// openSource opens input path and its reader: mapped when it is an
// uncompressed regular file, else read (through a pausingReader, so that
// outputs are flushed while a stream pauses).
func (e *engine) openSource(ctx context.Context, path string) (*source, error) {
	c := e.cfg
	in, closeIn, err := openInput(c, path)
	if err != nil {
		return nil, &InputError{fmt.Errorf("open input: %w", err)}
	}
	s := &source{name: displayName(path), closes: []func(){func() { closeIn() }}}
	opts := pcapio.ReaderOptions{
		Name:   s.name,
		Strict: c.Strict,
		Warn:   func(msg string) { e.log.printf("warning: %s", msg) },
	}
	if s.mapped = mapInput(c, path, in); s.mapped != nil {
		s.closes = append(s.closes, func() { s.mapped.Close() })
		s.rd, err = pcapio.NewReaderBytes(s.mapped.Bytes(), opts)
	} else {
		pr := newPausingReader(ctx, in, c.FlushInterval, e.flushAll)
		s.closes = append(s.closes, pr.close)
		s.rd, err = pcapio.NewReader(pr, opts)
	}
	if err != nil {
		s.close()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &InputError{err}
	}
	s.closes = append(s.closes, func() { s.rd.Close() })
	return s, nil
}

// isEmptyFile reports whether path is an empty regular file (a capture
// file just created by a rotating writer, say).
func isEmptyFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Size() == 0
}

// peekInputs reads the headers of the regular files among the inputs after
// the first (the first one's reader is rd) and returns what the outputs'
// header must declare: every interface, merged as the split will merge
// them (ifaceMap), the finest timestamp precision and the largest snaplen.
// A pcapng file is scanned whole when scan is set (the output format is
// still to choose, as allInterfaces does for one file). FIFOs and stdin
// cannot be read ahead: their interfaces are declared when they come. A
// file that is not a capture is an error now, before any packet is
// written.
func (e *engine) peekInputs(rd *pcapio.Reader, rest []string, scan bool) (m *ifaceMap, prec pcapio.Precision, snap uint32, err error) {
	m = &ifaceMap{}
	m.sync(rd.Interfaces())
	first := slices.Clone(m.local)
	prec, snap = rd.Precision(), rd.SnapLen()
	for _, p := range rest {
		fi, serr := os.Stat(p)
		if p == "-" || serr != nil || !fi.Mode().IsRegular() || fi.Size() == 0 {
			continue // read when it comes (or reported then)
		}
		ifs, pp, ps, perr := peekFile(p, scan)
		if perr != nil {
			return nil, 0, 0, &InputError{perr}
		}
		m.next()
		m.sync(ifs)
		prec, snap = max(prec, pp), max(snap, ps)
	}
	m.local, m.later = first, false // the split starts with the first input
	return m, prec, snap, nil
}

// peekFile reads the file header of capture file path (the header blocks of
// a pcapng file, or all of it when scan is set).
func peekFile(path string, scan bool) (ifs []pcapio.Interface, prec pcapio.Precision, snap uint32, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("open input: %w", err)
	}
	defer f.Close()
	rd, err := pcapio.NewReader(f, pcapio.ReaderOptions{Name: path, BufSize: peekBufSize})
	if err != nil {
		return nil, 0, 0, err
	}
	defer rd.Close()
	ifs = rd.Interfaces()
	if scan && rd.Format() == pcapio.FormatPcapNG {
		if all, ok := scanInterfaces(path); ok {
			ifs = all
		}
	}
	return ifs, rd.Precision(), rd.SnapLen(), nil
}

// peekBufSize is the first read size of peekFile and firstPacketTime: a
// file header, its first blocks or its first packet (the buffer grows for a
// larger one), not a megabyte of each of a directory's files.
const peekBufSize = 4 << 10
