package pcapio

import (
	"bytes"
	"compress/gzip"
	"io"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// pausingReader returns (0, nil) between pieces of n bytes, as a slow
// pipe may.
type pausingReader struct {
	chunkReader
	paused bool
}

func (p *pausingReader) Read(b []byte) (int, error) {
	if p.paused = !p.paused; p.paused {
		return 0, nil
	}
	return p.chunkReader.Read(b)
}

func streamInputs(t *testing.T) map[string][]byte {
	return map[string][]byte{
		"sll2-http.pcap (65 KB records)": mustRead(t, realDir+"sll2-http.pcap"),
		"pcapng-be-3sections-spb":        mustRead(t, realDir+"pcapng-be-3sections-spb.pcapng"),
		"pcapng-ether-sll-truncated":     mustRead(t, realDir+"pcapng-ether-sll-truncated.pcapng"),
		"be-usec-pptp-gre.pcap":          mustRead(t, realDir+"be-usec-pptp-gre.pcap"),
		"pcapdj head":                    cat(pcapdjHead, pcapdjHead[60:], pcapdjHead[60:]),
	}
}

func sameRecords(t *testing.T, what string, got, want result) {
	t.Helper()
	if got.err != nil || len(got.recs) != len(want.recs) {
		t.Fatalf("%s: %d records, err %v; want %d", what, len(got.recs), got.err, len(want.recs))
	}
	for i := range want.recs {
		if got.recs[i] != want.recs[i] {
			t.Fatalf("%s: record %d differs: %+v vs %+v", what, i, short(got.recs[i]), short(want.recs[i]))
		}
	}
}

func TestChunkedInput(t *testing.T) {
	for name, in := range streamInputs(t) {
		t.Run(name, func(t *testing.T) {
			want := readAll(t, bytes.NewReader(in), ReaderOptions{Strict: true})
			if want.err != nil || len(want.recs) == 0 {
				t.Fatalf("whole read: %d records, %v", len(want.recs), want.err)
			}
			sameRecords(t, "4 KiB pieces", readAll(t, &chunkReader{in, 4096}, ReaderOptions{Strict: true}), want)
			sameRecords(t, "pauses", readAll(t, &pausingReader{chunkReader: chunkReader{in, 1000}}, ReaderOptions{Strict: true}), want)
			sameRecords(t, "small buffer", readAll(t, &chunkReader{in, 4096}, ReaderOptions{Strict: true, BufSize: 100}), want)
			if len(in) < 300000 {
				sameRecords(t, "1-byte pieces", readAll(t, &chunkReader{in, 1}, ReaderOptions{Strict: true}), want)
			}
		})
	}
}

func TestCompressedInput(t *testing.T) {
	for name, in := range streamInputs(t) {
		t.Run(name, func(t *testing.T) {
			want := readAll(t, bytes.NewReader(in), ReaderOptions{Strict: true})

			var gz bytes.Buffer
			w := gzip.NewWriter(&gz)
			w.Write(in[:len(in)/2])
			w.Close()
			w = gzip.NewWriter(&gz) // second member: concatenated .gz files
			w.Write(in[len(in)/2:])
			w.Close()
			got := readAll(t, &chunkReader{gz.Bytes(), 4096}, ReaderOptions{Strict: true})
			sameRecords(t, "gzip", got, want)
			if got.stats.BytesRead != int64(len(in)) {
				t.Errorf("gzip: BytesRead %d, want decompressed size %d", got.stats.BytesRead, len(in))
			}

			enc, err := zstd.NewWriter(nil)
			if err != nil {
				t.Fatal(err)
			}
			zs := enc.EncodeAll(in, nil)
			enc.Close()
			sameRecords(t, "zstd", readAll(t, &chunkReader{zs, 4096}, ReaderOptions{Strict: true}), want)
			sameRecords(t, "zstd tiny", readAll(t, &chunkReader{zs, 3}, ReaderOptions{Strict: true}), want)
		})
	}
}

// errReader fails after its data.
type errReader struct{ b []byte }

func (e *errReader) Read(p []byte) (int, error) {
	if len(e.b) == 0 {
		return 0, io.ErrClosedPipe
	}
	n := copy(p, e.b)
	e.b = e.b[n:]
	return n, nil
}

func TestReadErrorIsReported(t *testing.T) {
	in := cat(pcapdjHead, pcapdjHead[60:100])
	got := readAll(t, &errReader{in}, ReaderOptions{Name: "fifo"})
	if len(got.recs) != 1 || got.err == nil || got.err.Error() != "fifo: byte offset 208: read: io: read/write on closed pipe" {
		t.Fatalf("%d records, err %v", len(got.recs), got.err)
	}
}
