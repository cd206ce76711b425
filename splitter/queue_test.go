package splitter

import (
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/flowsplit/flowsplit/internal/oracle"
	"github.com/flowsplit/flowsplit/internal/pcapio"
)

// TestQueueCopiesAhead: reading ahead of a streamed reader whose small
// buffer is reused many times over, the queue returns every record, in
// order, with its bytes intact until the next call, after handing each to
// prefetch first; steady state allocates nothing.
func TestQueueCopiesAhead(t *testing.T) {
	for _, name := range []string{"flows-tls-334conns.pcap", "pcapng-2if-dns.pcapng"} {
		raw, err := os.ReadFile(realDir + name)
		if err != nil {
			t.Fatal(err)
		}
		want, err := oracle.ReadFile(realDir + name)
		if err != nil {
			t.Fatal(err)
		}
		rd, err := pcapio.NewReader(bytes.NewReader(raw), pcapio.ReaderOptions{BufSize: 4096})
		if err != nil {
			t.Fatal(err)
		}
		hinted := 0
		q := recordQueue{rd: rd, depth: lookAhead, copy: true, prefetch: func(*pcapio.Record) { hinted++ }}
		for i := 0; ; i++ {
			rec, err := q.next()
			if err == io.EOF {
				if i != len(want) {
					t.Fatalf("%s: %d records, want %d", name, i, len(want))
				}
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(rec.Data, want[i].Data) {
				t.Fatalf("%s: record %d differs from gopacket's", name, i)
			}
			if rec.Raw != nil && (!bytes.Equal(rec.Raw[16:], rec.Data) || len(rec.Raw) != 16+len(rec.Data)) {
				t.Fatalf("%s: record %d: Raw does not hold Data", name, i)
			}
			if hinted < min(i+1+lookAhead, len(want)) {
				t.Fatalf("%s: record %d returned after %d hints", name, i, hinted)
			}
		}
	}
}

// TestQueueNoAllocs: reading ahead with copies allocates nothing per
// record once its buffers have grown.
func TestQueueNoAllocs(t *testing.T) {
	raw, err := os.ReadFile(realDir + "flows-tls-334conns.pcap")
	if err != nil {
		t.Fatal(err)
	}
	src := bytes.NewReader(raw)
	rd, err := pcapio.NewReader(src, pcapio.ReaderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	q := recordQueue{rd: rd, depth: lookAhead, copy: true, prefetch: func(*pcapio.Record) {}}
	for range 1000 {
		if _, err := q.next(); err != nil {
			t.Fatal(err)
		}
	}
	if n := testing.AllocsPerRun(1000, func() {
		if _, err := q.next(); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("%v allocations per record", n)
	}
}
