package pcapio

import (
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"testing"
)

// rec is a copied record, comparable with ==-like helpers in tests.
type rec struct {
	Iface   int
	Link    uint16
	Sec     int64
	Nsec    uint32
	CapLen  uint32
	OrigLen uint32
	Data    string
	Offset  int64
}

// result is everything a full read produced.
type result struct {
	recs     []rec
	warnings []string
	err      error // nil at clean io.EOF
	stats    ReaderStats
	ifaces   []Interface
	prec     Precision
	snap     uint32
	format   Format
}

// readAll reads src to the end with opts, copying every record.
func readAll(t testing.TB, src io.Reader, opts ReaderOptions) result {
	t.Helper()
	var res result
	opts.Warn = func(m string) { res.warnings = append(res.warnings, m) }
	r, err := NewReader(src, opts)
	if err != nil {
		res.err = err
		return res
	}
	defer r.Close()
	var lastOff int64 = -1
	for {
		var x Record
		err := r.Next(&x)
		if err == io.EOF {
			break
		}
		if err != nil {
			res.err = err
			break
		}
		if x.Offset <= lastOff {
			t.Fatalf("record offset %d not after %d", x.Offset, lastOff)
		}
		lastOff = x.Offset
		if int(x.CapLen) != len(x.Data) {
			t.Fatalf("CapLen %d != len(Data) %d", x.CapLen, len(x.Data))
		}
		if x.Nsec >= 1e9 {
			t.Fatalf("Nsec %d out of range", x.Nsec)
		}
		res.recs = append(res.recs, rec{x.Interface, x.LinkType, x.Sec, x.Nsec, x.CapLen, x.OrigLen, string(x.Data), x.Offset})
	}
	res.stats = r.Stats()
	res.ifaces = r.Interfaces()
	res.prec = r.Precision()
	res.snap = r.SnapLen()
	res.format = r.Format()
	return res
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// chunkReader returns at most n bytes per Read, like a FIFO fed in pieces.
type chunkReader struct {
	b []byte
	n int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.b) == 0 {
		return 0, io.EOF
	}
	k := min(len(p), c.n, len(c.b))
	copy(p, c.b[:k])
	c.b = c.b[k:]
	return k, nil
}

// ---- classic pcap builders ----

type order struct{ be bool }

func (o order) bo() interface {
	binary.ByteOrder
	binary.AppendByteOrder
} {
	if o.be {
		return binary.BigEndian
	}
	return binary.LittleEndian
}

func (o order) u16(v uint16) []byte { return o.bo().AppendUint16(nil, v) }
func (o order) u32(v uint32) []byte { return o.bo().AppendUint32(nil, v) }

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// pcapHdr builds a classic file header; magic is the logical magic value,
// written in the byte order o.
func pcapHdr(o order, magic uint32, snap uint32, link uint32) []byte {
	return cat(o.u32(magic), o.u16(2), o.u16(4), o.u32(0), o.u32(0), o.u32(snap), o.u32(link))
}

func pcapRec(o order, sec, frac uint32, data []byte, orig uint32) []byte {
	return cat(o.u32(sec), o.u32(frac), o.u32(uint32(len(data))), o.u32(orig), data)
}

// payload returns n deterministic bytes seeded by s.
func payload(s byte, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = s + byte(i*7)
	}
	return b
}

// ---- pcapng builders ----

func ngBlock(o order, typ uint32, body []byte) []byte {
	for len(body)%4 != 0 {
		body = append(body, 0)
	}
	n := uint32(12 + len(body))
	return cat(o.u32(typ), o.u32(n), body, o.u32(n))
}

func ngSHB(o order) []byte {
	return ngBlock(o, blockSHB, cat(o.u32(byteOrderMagic), o.u16(1), o.u16(0), o.bo().AppendUint64(nil, ^uint64(0))))
}

// ngIDB builds an IDB; tsresol < 0 omits the if_tsresol option.
func ngIDB(o order, link uint16, snap uint32, tsresol int) []byte {
	body := cat(o.u16(link), o.u16(0), o.u32(snap))
	if tsresol >= 0 {
		body = cat(body, o.u16(optTsResol), o.u16(1), []byte{byte(tsresol), 0, 0, 0}, o.u32(0))
	}
	return ngBlock(o, blockIDB, body)
}

func ngEPB(o order, ifid uint32, ts uint64, data []byte, orig uint32, opts []byte) []byte {
	d := append([]byte(nil), data...)
	for len(d)%4 != 0 {
		d = append(d, 0)
	}
	return ngBlock(o, blockEPB, cat(o.u32(ifid), o.u32(uint32(ts>>32)), o.u32(uint32(ts)), o.u32(uint32(len(data))), o.u32(orig), d, opts))
}

func ngPB(o order, ifid uint16, ts uint64, data []byte, orig uint32) []byte {
	d := append([]byte(nil), data...)
	for len(d)%4 != 0 {
		d = append(d, 0)
	}
	return ngBlock(o, blockPB, cat(o.u16(ifid), o.u16(0), o.u32(uint32(ts>>32)), o.u32(uint32(ts)), o.u32(uint32(len(data))), o.u32(orig), d))
}

func ngSPB(o order, data []byte, orig uint32) []byte {
	return ngBlock(o, blockSPB, cat(o.u32(orig), data))
}
