package gen

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

func TestWritePcap(t *testing.T) {
	cfg := Config{Flows: 200, Packets: 3000, Seed: 5}
	var buf bytes.Buffer
	n, size, err := WritePcap(&buf, cfg)
	if err != nil || n != cfg.Packets || size != int64(buf.Len()) {
		t.Fatalf("WritePcap: %d packets, %d bytes (buffer %d), %v", n, size, buf.Len(), err)
	}
	r, err := pcapgo.NewReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if r.LinkType() != layers.LinkTypeEthernet {
		t.Errorf("link type %v", r.LinkType())
	}
	g := New(cfg)
	for i := 0; ; i++ {
		data, ci, err := r.ReadPacketData()
		if err != nil {
			if i != cfg.Packets {
				t.Fatalf("read %d packets, want %d: %v", i, cfg.Packets, err)
			}
			break
		}
		want, ts, _ := g.Next()
		if !bytes.Equal(data, want) || ci.Timestamp.UnixMicro() != ts.UnixMicro() || ci.Length != len(want) {
			t.Fatalf("packet %d differs from the generator's", i)
		}
	}
}

type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	if w.n -= len(p); w.n < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestWritePcapError(t *testing.T) {
	_, _, err := WritePcap(&failWriter{n: 3 << 20}, Config{Packets: 100000, Seed: 1})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("want an error from a failing writer, got %v", err)
	}
}
