package splitter

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/flowsplit/flowsplit/hashing"
	"github.com/flowsplit/flowsplit/internal/oracle"
)

// A mapped input file and the same file read with read(2) give the same
// outputs, byte for byte, and the same statistics; in the lfu mode both
// read records ahead for Router.Prefetch (the read one copying them), and
// give what routing each record at once gives.
func TestMappedMatchesRead(t *testing.T) {
	names := append([]string{"icmp4-errors.pcap", "pcapng-2if-dns.pcapng", "corrupt-record-hdr-after-6.pcap", "ipv4-frags-vlan-ooo-padding.pcap"}, classicCaptures...)
	for _, name := range names {
		for _, mode := range []hashing.Mode{hashing.Mode5Tuple, hashing.ModeLFU} {
			t.Run(name+"/"+mode.String(), func(t *testing.T) {
				input := realDir + name
				h := hashing.Config{Mode: mode}
				cm, sm := splitFile(t, input, 3, h, nil)
				cr, sr := splitFile(t, input, 3, h, func(c *Config) { c.NoMap = true })
				// Routing each record at once gives the same outputs.
				cn, _ := splitFile(t, input, 3, h, func(c *Config) { c.NoMap, c.NoLookAhead = true, true })
				for i := range 3 {
					a, errA := os.ReadFile(cm.OutputPath(i))
					b, errB := os.ReadFile(cr.OutputPath(i))
					if errA != nil || errB != nil || !bytes.Equal(a, b) {
						t.Fatalf("output %d differs: mapped %d bytes, read %d bytes (%v, %v)", i, len(a), len(b), errA, errB)
					}
					if c, err := os.ReadFile(cn.OutputPath(i)); err != nil || !bytes.Equal(a, c) {
						t.Fatalf("output %d differs: mapped %d bytes, read without look-ahead %d bytes (%v)", i, len(a), len(c), err)
					}
				}
				if sm.Input.Packets != sr.Input.Packets || sm.Input.SkippedBytes != sr.Input.SkippedBytes || sm.Input.Packets == 0 {
					t.Errorf("input stats differ: mapped %+v, read %+v", sm.Input, sr.Input)
				}
			})
		}
	}
}

// An input file truncated by another process while flowsplit reads it
// ends the run with an input error naming the file, not a crash, and what
// was read before is written: every output is a valid capture holding
// every packet the statistics count as written, and every packet counted
// as read is written (the one whose bytes vanished while it was being
// handled counts as neither).
func TestInputFileShrinks(t *testing.T) {
	const packets = 100_000
	var (
		c   *Config
		st  *Stats
		err error
	)
	// The file is truncated at the first observation of a run still
	// reading; on a loaded machine the run may finish first: try again.
	for attempt := 0; c == nil; attempt++ {
		if attempt == 5 {
			t.Fatal("no run was observed before it had read its input")
		}
		input, _ := writeGenCapture(t, t.TempDir(), packets, 1000)
		truncated := false
		cfg := &Config{
			Input:           input,
			Workers:         4,
			OutPattern:      filepath.Join(t.TempDir(), "out-%d.pcap"),
			Route:           RouteConfig{Hash: hashing.Config{Mode: hashing.Mode5Tuple}},
			Quiet:           true,
			FlushInterval:   4 * time.Millisecond,
			ObserveInterval: time.Nanosecond,
			Observe: func(s *Stats) {
				if !truncated && s.Input.Packets < packets/2 {
					truncated = true
					if err := os.Truncate(input, 4096); err != nil {
						t.Error(err)
					}
				}
			},
		}
		st, err = Run(context.Background(), cfg)
		if truncated {
			c = cfg
		}
	}
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "shrank") || !strings.Contains(err.Error(), c.Input) || strings.Contains(err.Error(), "runtime error") {
		t.Fatalf("err %v, want an input error saying the file shrank", err)
	}
	var written uint64
	for i, o := range st.Outputs {
		recs, err := oracle.ReadFile(c.OutputPath(i))
		if err != nil {
			t.Fatalf("output %d: %v", i, err)
		}
		if uint64(len(recs)) != o.WrittenPackets {
			t.Errorf("output %d holds %d packets, stats say %d written", i, len(recs), o.WrittenPackets)
		}
		written += o.WrittenPackets
	}
	if written == 0 || written != st.Input.Packets {
		t.Errorf("%d packets written of %d read", written, st.Input.Packets)
	}
}
