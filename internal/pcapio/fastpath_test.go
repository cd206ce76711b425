package pcapio

import (
	"bytes"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestFastPathMatchesGeneral: fastPcap, the shortcut for the common
// classic pcap record, yields exactly what the general path yields (every
// Record field, the warnings, the final error, the counters), on every
// real classic capture and on streams built to leave the shortcut halfway:
// concatenated headers, fractions out of range, a damaged caplen, a
// truncated tail, a big-endian file, records split across reads.
func TestFastPathMatchesGeneral(t *testing.T) {
	le, be := order{}, order{be: true}
	streams := map[string][]byte{
		"concatenated nano after micro": cat(
			pcapHdr(le, magicMicroLE, 65535, 1), pcapRec(le, 1, 5, payload(1, 60), 60),
			pcapHdr(le, magicNanoLE, 65535, 1), pcapRec(le, 2, 7, payload(2, 70), 70)),
		"fraction carries": cat(pcapHdr(le, magicNanoLE, 65535, 1),
			pcapRec(le, 1, 2_500_000_000, payload(3, 40), 40), pcapRec(le, 5, 9, payload(4, 40), 40)),
		"micro fraction carries": cat(pcapHdr(le, magicMicroLE, 65535, 1),
			pcapRec(le, 1, 3_000_001, payload(3, 40), 40), pcapRec(le, 5, 9, payload(4, 40), 40)),
		"damaged caplen": cat(pcapHdr(le, magicMicroLE, 65535, 1), pcapRec(le, 1, 1, payload(5, 50), 50),
			le.u32(2), le.u32(0), le.u32(1<<30), le.u32(60), payload(6, 30),
			pcapRec(le, 3, 3, payload(7, 50), 50), pcapRec(le, 4, 4, payload(8, 50), 50)),
		"truncated tail": cat(pcapHdr(le, magicMicroLE, 65535, 1),
			pcapRec(le, 1, 1, payload(9, 80), 80), pcapRec(le, 2, 2, payload(10, 80), 80)[:50]),
		"big-endian": cat(pcapHdr(be, magicNanoLE, 65535, 1), pcapRec(be, 1, 1, payload(11, 64), 64)),
	}
	paths, _ := filepath.Glob(realDir + "*.pcap")
	for _, p := range paths {
		streams[filepath.Base(p)] = mustRead(t, p)
	}
	for name, in := range streams {
		t.Run(name, func(t *testing.T) {
			fast, fastN := readAllPaths(t, in, false)
			slow, slowN := readAllPaths(t, in, true)
			if slowN == 0 && !strings.HasPrefix(name, "bad") {
				t.Fatalf("no record read")
			}
			if !reflect.DeepEqual(fast, slow) {
				t.Errorf("fast path differs from the general path:\nfast %+v\nslow %+v", fast, slow)
			}
			if fastN != slowN {
				t.Errorf("records: fast %d, general %d", fastN, slowN)
			}
		})
	}
}

// pathResult is everything a reader reports, in comparable form.
type pathResult struct {
	Records  []Record // Data and Raw copied
	Warnings []string
	Err      string
	Stats    ReaderStats
}

// readAllPaths reads in twice, mapped (NewReaderBytes) and through 100-byte
// reads (NewReader, so records straddle the buffer's end), with fastPcap
// disabled when slow is set, and returns both results and the record count.
func readAllPaths(t *testing.T, in []byte, slow bool) ([2]pathResult, int) {
	t.Helper()
	var res [2]pathResult
	for i := range res {
		out := &res[i]
		opts := ReaderOptions{Warn: func(m string) { out.Warnings = append(out.Warnings, m) }}
		var r *Reader
		var err error
		if i == 0 {
			r, err = NewReaderBytes(in, opts)
		} else {
			r, err = NewReader(&chunkReader{b: in, n: 100}, opts)
		}
		if err != nil {
			out.Err = err.Error()
			continue
		}
		r.slow = slow
		for range 1 << 16 { // a small compressed input can hold millions
			var rec Record
			if err = r.Next(&rec); err != nil {
				break
			}
			rec.Data = bytes.Clone(rec.Data)
			rec.Raw = bytes.Clone(rec.Raw)
			out.Records = append(out.Records, rec)
		}
		if err != nil {
			out.Err = err.Error()
		}
		out.Stats = r.Stats()
	}
	return res, len(res[0].Records)
}
