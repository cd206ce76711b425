package splitter

import (
	"fmt"
	"os"
	"slices"

	"github.com/flowsplit/flowsplit/internal/pcapio"
)

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
