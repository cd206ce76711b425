package pcapio

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

var le, be = order{false}, order{true}

// eth73 is a 73-byte frame, the size used in pcapdj.md's examples.
var eth73 = payload(0x10, 73)

func TestPcapVariants(t *testing.T) {
	tests := []struct {
		name    string
		in      []byte
		want    []rec
		prec    Precision
		snap    uint32
		raw     bool // Record.Raw expected
		rawPrec Precision
	}{
		{
			name: "old pcapdj: LE usec, caplen 70000 over snaplen 65535",
			in: cat(
				[]byte{
					0xd4, 0xc3, 0xb2, 0xa1, // magic a1b2c3d4 (LE, microseconds)
					0x02, 0x00, 0x04, 0x00, // version 2.4
					0x00, 0x00, 0x00, 0x00, // thiszone
					0x00, 0x00, 0x00, 0x00, // sigfigs
					0xff, 0xff, 0x00, 0x00, // snaplen 65535
					0x01, 0x00, 0x00, 0x00, // network: LINKTYPE_ETHERNET
					0x01, 0xf1, 0x53, 0x65, // ts_sec 1700000001
					0xf5, 0x03, 0x00, 0x00, // ts_usec 1013
					0x49, 0x00, 0x00, 0x00, // caplen 73
					0x49, 0x00, 0x00, 0x00, // len 73
				}, eth73,
				pcapRec(le, 1700000002, 999999, payload(1, 70000), 70000),
			),
			want: []rec{
				{Link: 1, Sec: 1700000001, Nsec: 1013000, CapLen: 73, OrigLen: 73, Data: string(eth73), Offset: 24},
				{Link: 1, Sec: 1700000002, Nsec: 999999000, CapLen: 70000, OrigLen: 70000, Data: string(payload(1, 70000)), Offset: 24 + 16 + 73},
			},
			snap: 65535, raw: true,
		},
		{
			name: "BE usec, caplen > origlen allowed",
			in:   cat(pcapHdr(be, magicMicroLE, 96, 101), pcapRec(be, 7, 8, payload(2, 40), 20)),
			want: []rec{{Link: 101, Sec: 7, Nsec: 8000, CapLen: 40, OrigLen: 20, Data: string(payload(2, 40)), Offset: 24}},
			snap: 96,
		},
		{
			name: "LE nsec",
			in:   cat(pcapHdr(le, magicNanoLE, 262144, 1), pcapRec(le, 5, 123456789, eth73, 1500)),
			want: []rec{{Link: 1, Sec: 5, Nsec: 123456789, CapLen: 73, OrigLen: 1500, Data: string(eth73), Offset: 24}},
			prec: Nano, snap: 262144, raw: true, rawPrec: Nano,
		},
		{
			name: "BE nsec",
			in:   cat(pcapHdr(be, magicNanoLE, 262144, 113), pcapRec(be, 5, 999999999, eth73, 73)),
			want: []rec{{Link: 113, Sec: 5, Nsec: 999999999, CapLen: 73, OrigLen: 73, Data: string(eth73), Offset: 24}},
			prec: Nano, snap: 262144,
		},
		{
			name: "modified pcap (a1b2cd34): 24-byte record headers",
			in: cat(pcapHdr(le, magicModifiedLE, 65535, 1),
				le.u32(9), le.u32(10), le.u32(73), le.u32(80), // ts, caplen, len
				le.u32(3),      // ifindex
				le.u16(0x0800), // protocol
				[]byte{4, 0},   // pkt_type, pad
				eth73),
			want: []rec{{Link: 1, Sec: 9, Nsec: 10000, CapLen: 73, OrigLen: 80, Data: string(eth73), Offset: 24}},
			snap: 65535,
		},
		{
			name: "usec fraction over one second carries into seconds",
			in:   cat(pcapHdr(le, magicMicroLE, 65535, 1), pcapRec(le, 9, 2500000, eth73, 73)),
			want: []rec{{Link: 1, Sec: 11, Nsec: 500000000, CapLen: 73, OrigLen: 73, Data: string(eth73), Offset: 24}},
			snap: 65535, raw: true,
		},
		{
			name: "header only",
			in:   pcapHdr(le, magicMicroLE, 65535, 1),
			snap: 65535,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := readAll(t, bytes.NewReader(tt.in), ReaderOptions{Strict: true})
			if got.err != nil {
				t.Fatal(got.err)
			}
			if got.format != FormatPcap || got.prec != tt.prec || got.snap != tt.snap {
				t.Errorf("format %v precision %v snaplen %d, want pcap %v %d", got.format, got.prec, got.snap, tt.prec, tt.snap)
			}
			if len(got.recs) != len(tt.want) {
				t.Fatalf("%d records, want %d", len(got.recs), len(tt.want))
			}
			for i := range tt.want {
				if got.recs[i] != tt.want[i] {
					t.Errorf("record %d:\n got %+v\nwant %+v", i, short(got.recs[i]), short(tt.want[i]))
				}
			}
			// Raw is the verbatim record only for LE standard pcap.
			r, err := NewReader(bytes.NewReader(tt.in), ReaderOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var x Record
			if r.Next(&x) == nil {
				if (x.Raw != nil) != tt.raw {
					t.Fatalf("Raw present %v, want %v", x.Raw != nil, tt.raw)
				}
				if tt.raw && (!bytes.Equal(x.Raw, tt.in[24:24+16+len(x.Data)]) || x.RawPrecision != tt.rawPrec) {
					t.Errorf("Raw %x (precision %v) is not the input record", x.Raw[:16], x.RawPrecision)
				}
			}
		})
	}
}

// short hides record data in failure messages.
func short(r rec) rec {
	if len(r.Data) > 8 {
		r.Data = r.Data[:8] + "..."
	}
	return r
}

func TestPcapConcatenated(t *testing.T) {
	a := cat(pcapHdr(le, magicMicroLE, 65535, 1), pcapRec(le, 1, 1, eth73, 73))
	b := cat(pcapHdr(be, magicNanoLE, 262144, 1), pcapRec(be, 2, 2, eth73, 73))
	got := readAll(t, bytes.NewReader(cat(a, b, a)), ReaderOptions{Strict: true})
	if got.err != nil {
		t.Fatal(got.err)
	}
	want := []struct {
		sec  int64
		nsec uint32
		off  int64
	}{{1, 1000, 24}, {2, 2, int64(len(a) + 24)}, {1, 1000, int64(len(a) + len(b) + 24)}}
	if len(got.recs) != len(want) {
		t.Fatalf("%d records, want %d", len(got.recs), len(want))
	}
	for i, w := range want {
		if r := got.recs[i]; r.Sec != w.sec || r.Nsec != w.nsec || r.Offset != w.off {
			t.Errorf("record %d: %d.%09d at %d, want %d.%09d at %d", i, r.Sec, r.Nsec, r.Offset, w.sec, w.nsec, w.off)
		}
	}
	if got.stats.Headers != 2 || len(got.warnings) != 2 || !strings.Contains(got.warnings[0], "byte offset 113: another pcap file header") {
		t.Errorf("headers %d, warnings %q", got.stats.Headers, got.warnings)
	}
	if got.prec != Nano || got.snap != 262144 {
		t.Errorf("precision %v snaplen %d after a nanosecond header with snaplen 262144", got.prec, got.snap)
	}

	// Another link type is another interface; back to the first link type
	// is back to interface 0.
	other := cat(pcapHdr(le, magicNanoLE, 9000, 113), pcapRec(le, 2, 2, eth73, 73))
	got = readAll(t, bytes.NewReader(cat(a, other, a)), ReaderOptions{})
	if got.err != nil || len(got.recs) != 3 {
		t.Fatalf("link type change: %d records, err %v", len(got.recs), got.err)
	}
	for i, w := range []struct {
		iface int
		lt    uint16
	}{{0, 1}, {1, 113}, {0, 1}} {
		if r := got.recs[i]; r.Iface != w.iface || r.Link != w.lt {
			t.Errorf("record %d: interface %d link type %d, want %d and %d", i, r.Iface, r.Link, w.iface, w.lt)
		}
	}
	if len(got.ifaces) != 2 || got.ifaces[1] != (Interface{LinkType: 113, SnapLen: 9000, TsResolRaw: 9}) || got.ifaces[0].TsResolRaw != 6 {
		t.Errorf("interfaces %+v", got.ifaces)
	}
	if got.stats.Headers != 2 || len(got.warnings) != 2 || !strings.Contains(got.warnings[0], "byte offset 113: another pcap file header (concatenated capture), of link type 113: continuing as interface 1") {
		t.Errorf("headers %d, warnings %q", got.stats.Headers, got.warnings)
	}
}

func TestPcapDamageResync(t *testing.T) {
	var recs [][]byte
	for i := range 20 {
		recs = append(recs, pcapRec(le, 1700000000+uint32(i), uint32(i*1000), payload(byte(i), 60+i*13), uint32(60+i*13)))
	}
	hdr := pcapHdr(le, magicMicroLE, 65535, 1)
	clean := cat(append([][]byte{hdr}, recs...)...)
	want := readAll(t, bytes.NewReader(clean), ReaderOptions{Strict: true})
	if want.err != nil || len(want.recs) != 20 {
		t.Fatalf("clean read: %d records, %v", len(want.recs), want.err)
	}
	garbage := bytes.Repeat([]byte{0xff, 0xee, 0x01}, 13) // caplen 0x01ffee01: impossible
	for _, at := range []int{0, 7, 19} {
		parts := append([][]byte{hdr}, recs[:at]...)
		parts = append(parts, garbage)
		parts = append(parts, recs[at:]...)
		in := cat(parts...)
		got := readAll(t, &chunkReader{in, 4096}, ReaderOptions{})
		if got.err != nil || len(got.recs) != 20 {
			t.Fatalf("at %d: %d records, err %v", at, len(got.recs), got.err)
		}
		for i := range got.recs {
			w := want.recs[i]
			if i >= at {
				w.Offset += int64(len(garbage))
			}
			if got.recs[i] != w {
				t.Errorf("at %d: record %d differs", at, i)
			}
		}
		if got.stats.SkippedBytes != int64(len(garbage)) || got.stats.Resyncs != 1 || len(got.warnings) != 1 {
			t.Errorf("at %d: stats %+v, warnings %q", at, got.stats, got.warnings)
		}
		strict := readAll(t, bytes.NewReader(in), ReaderOptions{Strict: true})
		var e *Error
		if !errors.Is(strict.err, ErrDamaged) || !errors.As(strict.err, &e) || e.Offset != want.recs[at].Offset || len(strict.recs) != at {
			t.Errorf("at %d strict: %d records, err %v; want %d records and damage at %d", at, len(strict.recs), strict.err, at, want.recs[at].Offset)
		}
	}
}

func TestPcapTruncatedTail(t *testing.T) {
	full := cat(pcapHdr(le, magicMicroLE, 65535, 1), pcapRec(le, 1, 1, eth73, 73), pcapRec(le, 2, 2, eth73, 73))
	for _, cut := range []int{1, 15, 16, 50, 88} {
		in := full[:len(full)-cut]
		lax := readAll(t, bytes.NewReader(in), ReaderOptions{})
		if lax.err != nil || len(lax.recs) != 1 || len(lax.warnings) != 1 || !strings.Contains(lax.warnings[0], "byte offset 113: truncated record") {
			t.Errorf("cut %d: %d records, err %v, warnings %q", cut, len(lax.recs), lax.err, lax.warnings)
		}
		if lax.stats.SkippedBytes != int64(89-cut) {
			t.Errorf("cut %d: skipped %d bytes, want %d", cut, lax.stats.SkippedBytes, 89-cut)
		}
		strict := readAll(t, bytes.NewReader(in), ReaderOptions{Strict: true})
		var e *Error
		if !errors.Is(strict.err, ErrTruncated) || !errors.As(strict.err, &e) || e.Offset != 113 || len(strict.recs) != 1 {
			t.Errorf("cut %d strict: %d records, err %v", cut, len(strict.recs), strict.err)
		}
	}
}

func TestNewReaderErrors(t *testing.T) {
	tests := []struct {
		name     string
		in       []byte
		sentinel error
		msg      string
	}{
		{"empty", nil, ErrTruncated, "in: byte offset 0: truncated file header: 0 bytes"},
		{"short pcap header", pcapHdr(le, magicMicroLE, 65535, 1)[:20], ErrTruncated, "in: byte offset 0: truncated file header: 20 of 24 bytes"},
		{"short SHB", ngSHB(le)[:27], ErrTruncated, "in: byte offset 0: truncated file header: 27 of 28 bytes"},
		{"text", []byte("[INFO] Waiting for other peer\n"), ErrNotCapture, "in: byte offset 0: not a pcap or pcapng capture (magic 5b494e46)"},
		{"SHB with bad BOM", cat(ngSHB(le)[:8], []byte{1, 2, 3, 4}, ngSHB(le)[12:]), ErrDamaged, "in: byte offset 0: section header block has a bad byte-order magic"},
		{"pcapng version 2", cat(ngSHB(le)[:12], le.u16(2), ngSHB(le)[14:]), nil, "in: byte offset 0: unsupported pcapng version 2.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewReader(bytes.NewReader(tt.in), ReaderOptions{Name: "in"})
			if err == nil || err.Error() != tt.msg || (tt.sentinel != nil && !errors.Is(err, tt.sentinel)) {
				t.Fatalf("err = %v, want %q wrapping %v", err, tt.msg, tt.sentinel)
			}
		})
	}
}
