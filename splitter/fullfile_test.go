package splitter

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/flowsplit/flowsplit/internal/oracle"
	"github.com/flowsplit/flowsplit/internal/pcapio"
)

// TestFileWriteError: a file output whose writes fail (disk full: /dev/full
// answers every write with ENOSPC) names the output, and the policy
// applies: block fails the run with that error, drop counts every packet as
// dropped, spill keeps them in the spill file.
func TestFileWriteError(t *testing.T) {
	rec := pcapio.Record{LinkType: 1, Sec: 1, CapLen: 60, OrigLen: 60, Data: make([]byte, 60)}
	w := newRecordWriter(pcapio.FormatPcap, &ifaceMap{global: []pcapio.Interface{{LinkType: 1, SnapLen: 65535}}}, pcapio.Micro, 65535)
	for _, policy := range []Policy{Block, Drop, Spill} {
		f, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
		if err != nil {
			t.Skipf("no /dev/full: %v", err)
		}
		var log bytes.Buffer
		o := &sinkOptions{format: pcapio.FormatPcap, header: newOutHeader(w), policy: policy,
			queueSize: 1 << 20, pool: newBatchPool(4096, 1<<20, 1), spillDir: t.TempDir(), spillMax: 1 << 30,
			log: &logger{w: &log}, reopenWait: DefaultReopenInterval}
		s := newSink(2, "/data/out-2.pcap", false, f, o)
		for i := range 500 {
			rec.Sec = int64(i + 1)
			s.add(context.Background(), w, &rec, w.recordSize(&rec), 1)
		}
		err = finishAll([]*sink{s}, context.Background())
		st := s.stats()
		if !strings.Contains(log.String(), "output 2 (/data/out-2.pcap)") || !strings.Contains(log.String(), "no space") {
			t.Errorf("%v: the log does not name the output and the error:\n%s", policy, log.String())
		}
		switch policy {
		case Block:
			if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "output 2") {
				t.Errorf("block: err %v, want ENOSPC naming output 2", err)
			}
		case Drop:
			if err != nil || st.DroppedPackets != 500 || st.WrittenPackets != 0 {
				t.Errorf("drop: err %v, dropped %d written %d, want nil, 500, 0", err, st.DroppedPackets, st.WrittenPackets)
			}
		case Spill:
			if err != nil || st.SpilledPackets != 500 || st.SpillFile == "" {
				t.Errorf("spill: err %v, spilled %d file %q, want 500 in a kept file", err, st.SpilledPackets, st.SpillFile)
			}
			// The queued batches the writer kept come before those the
			// engine spilled meanwhile: the kept file is the stream.
			recs, err := oracle.ReadFile(st.SpillFile)
			if err != nil || len(recs) != 500 {
				t.Fatalf("spill: kept file has %d packets (%v), want 500", len(recs), err)
			}
			for i, r := range recs {
				if r.Time.Unix() != int64(i+1) {
					t.Fatalf("spill: kept packet %d has time %d, want %d: out of order", i, r.Time.Unix(), i+1)
				}
			}
		}
	}
}
