package pcapio

import (
	"bytes"
	"reflect"
	"testing"
)

// fuzzSeeds are the hand-built fixtures and a few small real captures.
func fuzzSeeds(t testing.TB) [][]byte {
	seeds := [][]byte{
		pcapdjHead,
		cat(pcapHdr(le, magicMicroLE, 65535, 1), pcapRec(le, 1, 2, eth73, 73), pcapRec(le, 2, 3, eth73[:9], 73)),
		cat(pcapHdr(be, magicNanoLE, 65535, 1), pcapRec(be, 1, 2, eth73, 73)),
		cat(pcapHdr(le, magicModifiedLE, 65535, 1), le.u32(1), le.u32(2), le.u32(4), le.u32(4), make([]byte, 8), eth73[:4]),
		cat(ngSHB(be), ngIDB(be, 1, 16, 0x80|20), ngSPB(be, eth73[:16], 73), ngPB(be, 0, 5, eth73, 74), ngSHB(le), ngIDB(le, 1, 0, 9), ngEPB(le, 0, 7, eth73, 73, nil)),
	}
	for _, f := range []string{"qinq-88a8-8100-icmp.pcap", "wlan-lt105-llc-dns.pcap", "icmp4-errors.pcap", "pcapng-2if-dns.pcapng"} {
		seeds = append(seeds, mustRead(t, realDir+f))
	}
	return seeds
}

// drain reads every record from in, checking the invariants any input must
// keep: no panic, offsets strictly increasing and inside the consumed
// stream, CapLen == len(Data), Nsec < 1e9, and Next is sticky after an error.
func drain(t *testing.T, in []byte, opts ReaderOptions) []Record {
	opts.BufSize = 512 // small: exercise compaction and growth
	r, err := NewReader(&chunkReader{in, 97}, opts)
	if err != nil {
		return nil
	}
	defer r.Close()
	var out []Record
	last := int64(-1)
	for range 1 << 16 {
		var x Record
		err := r.Next(&x)
		if err != nil {
			if err2 := r.Next(&x); err2 != err {
				t.Fatalf("Next after %v returned %v", err, err2)
			}
			if st := r.Stats(); st.BytesRead > int64(len(in)) && !bytes.HasPrefix(in, gzipMagic) && !bytes.HasPrefix(in, zstdMagic) {
				t.Fatalf("BytesRead %d beyond input length %d", st.BytesRead, len(in))
			}
			return out
		}
		if x.Offset <= last || int(x.CapLen) != len(x.Data) || x.Nsec >= 1e9 {
			t.Fatalf("bad record at %d (previous %d): caplen %d len %d nsec %d", x.Offset, last, x.CapLen, len(x.Data), x.Nsec)
		}
		if x.Interface < 0 || x.Interface >= len(r.Interfaces()) || r.Interfaces()[x.Interface].LinkType != x.LinkType {
			t.Fatalf("record on interface %d of %d", x.Interface, len(r.Interfaces()))
		}
		last = x.Offset
		x.Data = bytes.Clone(x.Data)
		x.Raw = nil
		out = append(out, x)
	}
	t.Fatalf("more than 65536 records from %d bytes", len(in))
	return nil
}

func FuzzReader(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, strict := range []bool{false, true} {
			want := drain(t, in, ReaderOptions{Strict: strict})
			equalRecords(t, "in memory", drainBytes(t, in, ReaderOptions{Strict: strict}), want)
		}
		// The shortcut for common records (fastPcap) changes nothing.
		fast, _ := readAllPaths(t, in, false)
		if slow, _ := readAllPaths(t, in, true); !reflect.DeepEqual(fast, slow) {
			t.Fatalf("fast path differs from the general path:\nfast %+v\nslow %+v", fast, slow)
		}
	})
}

// FuzzResync splices garbage into a valid stream at a record boundary: the
// records before the splice come out unchanged, whatever the garbage, and
// when the garbage starts with an impossible header every record after it
// comes out too.
func FuzzResync(f *testing.F) {
	f.Add(uint8(0), uint8(3), []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2})
	f.Add(uint8(1), uint8(7), []byte{6, 0, 0, 0, 0x6c, 0, 0, 0})
	f.Add(uint8(0), uint8(0), []byte("garbage"))
	f.Add(uint8(1), uint8(9), make([]byte, 33))
	f.Fuzz(func(t *testing.T, kind, at uint8, garbage []byte) {
		var hdr []byte
		var recs [][]byte
		for i := range 10 {
			data := payload(byte(i), 40+i*9)
			if kind%2 == 0 {
				recs = append(recs, pcapRec(le, 1700000000+uint32(i), uint32(i), data, uint32(len(data))))
			} else {
				recs = append(recs, ngEPB(le, 0, 1700000000_000000+uint64(i), data, uint32(len(data)), nil))
			}
		}
		if kind%2 == 0 {
			hdr = pcapHdr(le, magicMicroLE, 65535, 1)
		} else {
			hdr = cat(ngSHB(le), ngIDB(le, 1, 0, 6))
		}
		k := int(at) % (len(recs) + 1)
		clean := cat(append([][]byte{hdr}, recs...)...)
		parts := append([][]byte{hdr}, recs[:k]...)
		parts = append(parts, garbage)
		spliced := cat(append(parts, recs[k:]...)...)

		want := drain(t, clean, ReaderOptions{Strict: true})
		got := drain(t, spliced, ReaderOptions{})
		if len(got) < k {
			t.Fatalf("only %d records before the garbage at record %d", len(got), k)
		}
		for i := range k {
			if !sameRecord(got[i], want[i]) {
				t.Fatalf("record %d before the garbage differs", i)
			}
		}
		if impossibleStart(kind, garbage) && len(garbage) >= 16 {
			if len(got) != len(want) {
				t.Fatalf("%d records, want %d (garbage %x at record %d)", len(got), len(want), garbage, k)
			}
			for i := k; i < len(want); i++ {
				w := want[i]
				w.Offset += int64(len(garbage))
				if !sameRecord(got[i], w) {
					t.Fatalf("record %d after the garbage differs", i)
				}
			}
		}
	})
}

// impossibleStart reports whether garbage starts with a header the reader
// must reject, so that it cannot swallow following records: a classic
// caplen above every limit, or a pcapng block length that is not a
// multiple of 4, with no byte sequence in the garbage that could itself
// look like a record (approximated by requiring a single repeated byte
// after the header).
func impossibleStart(kind uint8, g []byte) bool {
	if len(g) < 16 {
		return false
	}
	for _, c := range g[12:] {
		if c != g[len(g)-1] || c == 0 || c == 6 || c == 0x0a || c == 0xa1 || c == 0xd4 || c == 0x4d {
			return false
		}
	}
	if kind%2 == 0 {
		return le.bo().Uint32(g[8:]) > maxRecordLen && le.bo().Uint32(g[12:]) > maxRecordLen
	}
	return le.bo().Uint32(g[4:])%4 != 0
}

func sameRecord(a, b Record) bool {
	return a.Interface == b.Interface && a.LinkType == b.LinkType && a.Sec == b.Sec && a.Nsec == b.Nsec &&
		a.CapLen == b.CapLen && a.OrigLen == b.OrigLen && a.Offset == b.Offset && bytes.Equal(a.Data, b.Data)
}
