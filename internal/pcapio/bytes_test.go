package pcapio

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"testing"

	"github.com/flowsplit/flowsplit/internal/mapfile"
	"github.com/klauspost/compress/zstd"
)

// readOnly returns a copy of b in read-only memory, a mapped file as the
// splitter uses: a reader that wrote to it would crash the test.
func readOnly(t testing.TB, b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	p := filepath.Join(t.TempDir(), "input")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := mapfile.Map(f)
	if err != nil {
		t.Skip(err)
	}
	t.Cleanup(func() { m.Close() })
	return m.Bytes()
}

// drainBytes is drain for NewReaderBytes over read-only memory.
func drainBytes(t *testing.T, in []byte, opts ReaderOptions) []Record {
	r, err := NewReaderBytes(readOnly(t, in), opts)
	if err != nil {
		return nil
	}
	defer r.Close()
	var out []Record
	for range 1 << 16 {
		var x Record
		if err := r.Next(&x); err != nil {
			return out
		}
		x.Data = bytes.Clone(x.Data)
		x.Raw = nil
		out = append(out, x)
	}
	t.Fatalf("more than 65536 records from %d bytes", len(in))
	return nil
}

// equalRecords fails t unless a and b hold the same records.
func equalRecords(t *testing.T, what string, a, b []Record) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%s: %d records, want %d", what, len(a), len(b))
	}
	for i := range a {
		if !sameRecord(a[i], b[i]) {
			t.Fatalf("%s: record %d differs: %+v, want %+v", what, i, a[i], b[i])
		}
	}
}

// A capture held in memory (a mapped file) reads exactly as the same bytes
// read from a stream: every real capture, damaged ones included, and
// compressed input, which is decompressed into a buffer of its own.
func TestReaderBytesMatchesStream(t *testing.T) {
	files, err := filepath.Glob(realDir + "*")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil || len(b) < 4 {
			continue
		}
		if _, err := NewReader(bytes.NewReader(b), ReaderOptions{}); err != nil {
			continue // not a capture (the manifest, a README)
		}
		t.Run(filepath.Base(f), func(t *testing.T) {
			for _, strict := range []bool{false, true} {
				want := drain(t, b, ReaderOptions{Strict: strict})
				equalRecords(t, "bytes", drainBytes(t, b, ReaderOptions{Strict: strict}), want)
			}
		})
		n++
	}
	if n < 30 {
		t.Fatalf("only %d captures", n)
	}
	for _, f := range []string{"gzip", "zstd"} {
		t.Run(f, func(t *testing.T) {
			plain := mustRead(t, realDir+"icmp4-errors.pcap")
			var c []byte
			if f == "gzip" {
				c = gzipBytes(t, plain)
			} else {
				c = zstdBytes(t, plain)
			}
			got := drainBytes(t, c, ReaderOptions{BufSize: 100})
			if len(got) == 0 {
				t.Fatal("no records")
			}
			equalRecords(t, f, got, drain(t, plain, ReaderOptions{}))
		})
	}
}

// Raw and Data of a record read from memory alias that memory: nothing is
// copied.
func TestReaderBytesSlicesInPlace(t *testing.T) {
	b := readOnly(t, mustRead(t, realDir+"flows-tls-334conns.pcap"))
	r, err := NewReaderBytes(b, ReaderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var rec Record
	if err := r.Next(&rec); err != nil {
		t.Fatal(err)
	}
	if &rec.Data[0] != &b[rec.Offset+16] || rec.Raw == nil || &rec.Raw[0] != &b[rec.Offset] {
		t.Error("the record does not alias the input bytes")
	}
}

func gzipBytes(t *testing.T, b []byte) []byte {
	var out bytes.Buffer
	w := gzip.NewWriter(&out)
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func zstdBytes(t *testing.T, b []byte) []byte {
	enc, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	return enc.EncodeAll(b, nil)
}
