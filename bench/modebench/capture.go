package modebench

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/flowsplit/flowsplit/bench/gen"
	"github.com/flowsplit/flowsplit/internal/pcapio"
)

// Capture is a packet stream held in memory: the captured bytes of every
// record back to back in one arena, and a small metadata entry per record.
type Capture struct {
	arena []byte
	recs  []recMeta
	bytes uint64
	// Truncated is set when ReadCapture stopped at its Limit, before the
	// end of the input.
	Truncated bool
}

// recMeta locates one record in the arena and carries what Route may read
// besides the bytes.
type recMeta struct {
	off      int64
	sec      int64
	nsec     uint32
	capLen   uint32
	origLen  uint32
	linkType uint16
}

// Packets is the number of records.
func (c *Capture) Packets() int { return len(c.recs) }

// Bytes is the sum of the records' captured lengths.
func (c *Capture) Bytes() uint64 { return c.bytes }

// add appends one record; data is copied.
func (c *Capture) add(linkType uint16, sec int64, nsec uint32, origLen uint32, data []byte) {
	c.recs = append(c.recs, recMeta{
		off:      int64(len(c.arena)),
		sec:      sec,
		nsec:     nsec,
		capLen:   uint32(len(data)),
		origLen:  origLen,
		linkType: linkType,
	})
	c.arena = append(c.arena, data...)
	c.bytes += uint64(len(data))
}

// record fills rec with record i, its Data aliasing buf at off (the
// record's bytes staged there).
func (c *Capture) record(rec *pcapio.Record, i int, buf []byte, off int64) {
	m := &c.recs[i]
	rec.LinkType = m.linkType
	rec.Sec, rec.Nsec = m.sec, m.nsec
	rec.CapLen, rec.OrigLen = m.capLen, m.origLen
	rec.Data = buf[off : off+int64(m.capLen) : off+int64(m.capLen)]
	rec.Offset = int64(i)
}

// linkTypeEthernet is LINKTYPE_ETHERNET, the link type of generated frames.
const linkTypeEthernet = 1

// FromGenerator generates the stream of cfg (see bench/gen) into memory.
func FromGenerator(cfg gen.Config) *Capture {
	g := gen.New(cfg)
	c := &Capture{}
	for {
		frame, ts, ok := g.Next()
		if !ok {
			return c
		}
		c.add(linkTypeEthernet, ts.Unix(), uint32(ts.Nanosecond()), uint32(len(frame)), frame)
	}
}

// Limit bounds what ReadCapture and Read take into memory: the first
// Packets packets, and no more than Bytes bytes of captured packet data
// (zero: no bound). A capture file can be far larger than memory.
type Limit struct {
	Packets int
	Bytes   uint64
}

// ReadCapture reads the records of a pcap or pcapng file into memory, up
// to lim; Capture.Truncated says whether lim cut it short. Damaged
// stretches are skipped, as `flowsplit split` does.
func ReadCapture(path string, lim Limit) (*Capture, error) {
	return ReadCaptures([]string{path}, lim)
}

// ReadCaptures reads the records of capture files one after the other, as
// `flowsplit split` reads several inputs, up to lim over them all.
func ReadCaptures(paths []string, lim Limit) (*Capture, error) {
	c := &Capture{}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		if fi, serr := f.Stat(); serr == nil && fi.Size() == 0 && len(paths) > 1 {
			f.Close() // an empty file among several, as split skips it
			continue
		}
		err = c.read(f, p, lim)
		f.Close()
		if err != nil {
			return nil, err
		}
		if c.Truncated {
			break
		}
	}
	if len(c.recs) == 0 {
		return nil, fmt.Errorf("%s: no packets", strings.Join(paths, ", "))
	}
	return c, nil
}

// Read reads the records of a pcap or pcapng stream into memory, up to
// lim; name is used in error messages.
func Read(r io.Reader, name string, lim Limit) (*Capture, error) {
	c := &Capture{}
	if err := c.read(r, name, lim); err != nil {
		return nil, err
	}
	if len(c.recs) == 0 {
		return nil, fmt.Errorf("%s: no packets", name)
	}
	return c, nil
}

// read appends the records of stream r to c until lim (counted over all
// of c) is reached, which sets c.Truncated.
func (c *Capture) read(r io.Reader, name string, lim Limit) error {
	rd, err := pcapio.NewReader(r, pcapio.ReaderOptions{Name: name})
	if err != nil {
		return err
	}
	defer rd.Close()
	var rec pcapio.Record
	for {
		err := rd.Next(&rec)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if (lim.Packets > 0 && len(c.recs) >= lim.Packets) || (lim.Bytes > 0 && uint64(len(c.arena)+len(rec.Data)) > lim.Bytes) {
			c.Truncated = true
			return nil
		}
		c.add(rec.LinkType, rec.Sec, rec.Nsec, rec.OrigLen, rec.Data)
	}
}
