package pcapio

import (
	"bytes"
	"io"
	"testing"
)

// loopReader repeats b forever, as an endless capture.
type loopReader struct {
	b []byte
	i int
}

func (l *loopReader) Read(p []byte) (int, error) {
	n := copy(p, l.b[l.i:])
	l.i = (l.i + n) % len(l.b)
	return n, nil
}

// endless returns a reader of header followed by records repeated forever.
func endless(t testing.TB, header, records []byte) *Reader {
	t.Helper()
	r, err := NewReader(io.MultiReader(bytes.NewReader(header), &loopReader{b: records}), ReaderOptions{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func steadyStreams(t testing.TB) map[string]*Reader {
	pcap := mustRead(t, realDir+"flows-tls-334conns.pcap")
	var epbs []byte
	for i := range 50 {
		epbs = append(epbs, ngEPB(le, uint32(i%2), uint64(i), payload(byte(i), 60+i*20), 2000, nil)...)
	}
	return map[string]*Reader{
		"pcap":   endless(t, pcap[:24], pcap[24:]),
		"pcapng": endless(t, cat(ngSHB(le), ngIDB(le, 1, 0, 9), ngIDB(le, 1, 0, 6)), epbs),
	}
}

func TestNextNoAllocs(t *testing.T) {
	for name, r := range steadyStreams(t) {
		var x Record
		for range 20000 { // wrap around the loop and the buffer several times
			if err := r.Next(&x); err != nil {
				t.Fatal(err)
			}
		}
		if n := testing.AllocsPerRun(5000, func() {
			if err := r.Next(&x); err != nil {
				t.Fatal(err)
			}
		}); n != 0 {
			t.Errorf("%s: Next allocates %v times per record", name, n)
		}
	}
}

func TestAppendNoAllocs(t *testing.T) {
	in := mustRead(t, realDir+"be-usec-pptp-gre.pcap") // big-endian: no Raw, encoded path
	r, err := NewReader(bytes.NewReader(in), ReaderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var x Record
	if err := r.Next(&x); err != nil {
		t.Fatal(err)
	}
	raw := x
	raw.Raw = make([]byte, 16+len(x.Data))
	buf := make([]byte, 0, 1<<16)
	for name, f := range map[string]func(){
		"AppendPcapRecord":          func() { buf = AppendPcapRecord(buf[:0], &x, Nano) },
		"AppendPcapRecord verbatim": func() { buf = AppendPcapRecord(buf[:0], &raw, Micro) },
		"AppendPcapngEPB":           func() { buf = AppendPcapngEPB(buf[:0], &x) },
	} {
		if n := testing.AllocsPerRun(1000, f); n != 0 {
			t.Errorf("%s allocates %v times", name, n)
		}
		if len(buf) < len(x.Data)+16 {
			t.Errorf("%s wrote %d bytes", name, len(buf))
		}
	}
}

func BenchmarkReaderNext(b *testing.B) {
	for name, r := range steadyStreams(b) {
		b.Run(name, func(b *testing.B) {
			var x Record
			var bytesIn int64
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				if err := r.Next(&x); err != nil {
					b.Fatal(err)
				}
				bytesIn += int64(len(x.Data)) + 16
				n++
			}
			b.SetBytes(bytesIn / int64(max(n, 1)))
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "packets/s")
		})
	}
}

// BenchmarkReaderNextBytes reads a real capture in memory, as a mapped
// input file is read: the per-record cost of the reader itself.
func BenchmarkReaderNextBytes(b *testing.B) {
	in := mustRead(b, realDir+"flows-tls-334conns.pcap")
	var x Record
	n := 0
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		r, err := NewReaderBytes(in, ReaderOptions{})
		if err != nil {
			b.Fatal(err)
		}
		for r.Next(&x) == nil {
			n++
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(max(n, 1)), "ns/record")
}

func BenchmarkAppendPcapRecord(b *testing.B) {
	x := Record{Sec: 1, Nsec: 2, OrigLen: 1500, Data: payload(1, 1500)}
	buf := make([]byte, 0, 4096)
	b.ReportAllocs()
	b.SetBytes(1516)
	for b.Loop() {
		buf = AppendPcapRecord(buf[:0], &x, Nano)
	}
}
