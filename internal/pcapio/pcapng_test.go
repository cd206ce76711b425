package pcapio

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// pcapdjHead is the stream CIRCL pcapdj HEAD writes on Debian 12 (pcapdj.md
// section 4): an IDB declaring if_tsresol 0 (whole seconds) and EPBs whose
// timestamps count seconds.
var pcapdjHead = cat([]byte{
	// SHB
	0x0a, 0x0d, 0x0d, 0x0a, // block type SHB
	0x1c, 0x00, 0x00, 0x00, // block total length 28
	0x4d, 0x3c, 0x2b, 0x1a, // byte-order magic: little-endian
	0x01, 0x00, 0x00, 0x00, // version 1.0
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // section length -1
	0x1c, 0x00, 0x00, 0x00, // block total length 28
	// IDB
	0x01, 0x00, 0x00, 0x00, // block type IDB
	0x20, 0x00, 0x00, 0x00, // block total length 32
	0x01, 0x00, 0x00, 0x00, // link type 1, reserved
	0x00, 0x00, 0x04, 0x00, // snaplen 262144
	0x09, 0x00, 0x01, 0x00, // option if_tsresol, length 1
	0x00, 0x00, 0x00, 0x00, // 10^0: seconds, padding
	0x00, 0x00, 0x00, 0x00, // opt_endofopt
	0x20, 0x00, 0x00, 0x00, // block total length 32
	// EPB
	0x06, 0x00, 0x00, 0x00, // block type EPB
	0x6c, 0x00, 0x00, 0x00, // block total length 108
	0x00, 0x00, 0x00, 0x00, // interface 0
	0x00, 0x00, 0x00, 0x00, // timestamp high
	0x01, 0xf1, 0x53, 0x65, // timestamp low: 1700000001 seconds
	0x49, 0x00, 0x00, 0x00, // caplen 73
	0x49, 0x00, 0x00, 0x00, // origlen 73
}, eth73, []byte{
	0x00, 0x00, 0x00, // padding to 76
	0x6c, 0x00, 0x00, 0x00, // block total length 108
})

func TestPcapngVariants(t *testing.T) {
	comment := cat(le.u16(1), le.u16(5), []byte("hello\x00\x00\x00"), le.u32(0)) // opt_comment "hello", opt_endofopt
	tests := []struct {
		name   string
		in     []byte
		want   []rec
		ifaces []Interface
		prec   Precision
		snap   uint32
	}{
		{
			name:   "pcapdj HEAD: tsresol 10^0 seconds",
			in:     pcapdjHead,
			want:   []rec{{Link: 1, Sec: 1700000001, CapLen: 73, OrigLen: 73, Data: string(eth73), Offset: 60}},
			ifaces: []Interface{{LinkType: 1, SnapLen: 262144, TsResolRaw: 0}},
			snap:   262144,
		},
		{
			name: "tsresol absent (usec), EPB options skipped, unknown blocks skipped",
			in: cat(ngSHB(le), ngIDB(le, 1, 0, -1),
				ngBlock(le, blockNRB, le.u32(0)),
				ngEPB(le, 0, 1700000001_001013, eth73, 100, comment),
				ngBlock(le, blockISB, make([]byte, 12)),
				ngBlock(le, blockCustom, []byte("PEN!xyz")),
				ngBlock(le, 0x12345678, nil),
				ngBlock(le, blockDSB, make([]byte, 8)),
				ngEPB(le, 0, 1700000002_000000, eth73[:10], 10, nil)),
			want: []rec{
				{Link: 1, Sec: 1700000001, Nsec: 1013000, CapLen: 73, OrigLen: 100, Data: string(eth73), Offset: 48 + 16},
				{Link: 1, Sec: 1700000002, CapLen: 10, OrigLen: 10, Data: string(eth73[:10]), Offset: 48 + 16 + 124 + 24 + 20 + 12 + 20},
			},
			ifaces: []Interface{{LinkType: 1, TsResolRaw: 6}},
			snap:   262144,
		},
		{
			name: "tsresol 2^-20 and 10^-9 on two interfaces, big-endian",
			in: cat(ngSHB(be), ngIDB(be, 1, 65535, 0x80|20), ngIDB(be, 113, 96, 9),
				ngEPB(be, 0, 3<<20|1<<19, eth73, 73, nil),
				ngEPB(be, 1, 4_000000007, eth73[:1], 1, nil)),
			want: []rec{
				{Link: 1, Sec: 3, Nsec: 500000000, CapLen: 73, OrigLen: 73, Data: string(eth73), Offset: 28 + 32 + 32},
				{Iface: 1, Link: 113, Sec: 4, Nsec: 7, CapLen: 1, OrigLen: 1, Data: string(eth73[:1]), Offset: 28 + 32 + 32 + 108},
			},
			ifaces: []Interface{{LinkType: 1, SnapLen: 65535, TsResolRaw: 0x80 | 20}, {LinkType: 113, SnapLen: 96, TsResolRaw: 9}},
			prec:   Nano,
			snap:   65535,
		},
		{
			name: "SPB (clamped to snaplen of interface 0) and obsolete PB",
			in: cat(ngSHB(le), ngIDB(le, 1, 16, -1),
				ngSPB(le, eth73[:16], 73),         // origlen 73, only 16 bytes: snaplen
				ngSPB(le, eth73[:8], 8),           // origlen 8, body padded to 8
				ngPB(le, 0, 5_000001, eth73, 74)), // obsolete Packet Block
			want: []rec{
				{Link: 1, CapLen: 16, OrigLen: 73, Data: string(eth73[:16]), Offset: 48},
				{Link: 1, CapLen: 8, OrigLen: 8, Data: string(eth73[:8]), Offset: 48 + 32},
				{Link: 1, Sec: 5, Nsec: 1000, CapLen: 73, OrigLen: 74, Data: string(eth73), Offset: 48 + 32 + 24},
			},
			ifaces: []Interface{{LinkType: 1, SnapLen: 16, TsResolRaw: 6}},
			snap:   16,
		},
		{
			name: "three sections in both byte orders: interface ids restart",
			in: cat(ngSHB(le), ngIDB(le, 1, 0, 6), ngEPB(le, 0, 1_000001, eth73[:4], 4, nil),
				ngSHB(be), ngIDB(be, 0, 0, 9), ngIDB(be, 1, 0, 6), ngEPB(be, 1, 2_000002, eth73[:4], 4, nil), ngEPB(be, 0, 3_000000003, eth73[:4], 4, nil),
				ngSHB(le), ngIDB(le, 12, 0, 0), ngEPB(le, 0, 4, eth73[:4], 4, nil)),
			want: []rec{
				{Iface: 0, Link: 1, Sec: 1, Nsec: 1000, CapLen: 4, OrigLen: 4, Data: string(eth73[:4]), Offset: 60},
				{Iface: 2, Link: 1, Sec: 2, Nsec: 2000, CapLen: 4, OrigLen: 4, Data: string(eth73[:4]), Offset: 60 + 36 + 28 + 64},
				{Iface: 1, Link: 0, Sec: 3, Nsec: 3, CapLen: 4, OrigLen: 4, Data: string(eth73[:4]), Offset: 60 + 36 + 28 + 64 + 36},
				{Iface: 3, Link: 12, Sec: 4, CapLen: 4, OrigLen: 4, Data: string(eth73[:4]), Offset: 60 + 36 + 28 + 64 + 72 + 28 + 32},
			},
			ifaces: []Interface{{LinkType: 1, TsResolRaw: 6}, {LinkType: 0, TsResolRaw: 9}, {LinkType: 1, TsResolRaw: 6}, {LinkType: 12, TsResolRaw: 0}},
			prec:   Nano,
			snap:   262144,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := readAll(t, bytes.NewReader(tt.in), ReaderOptions{Strict: true})
			if got.err != nil {
				t.Fatal(got.err)
			}
			if got.format != FormatPcapNG || got.prec != tt.prec || got.snap != tt.snap {
				t.Errorf("format %v precision %v snaplen %d, want pcapng %v %d", got.format, got.prec, got.snap, tt.prec, tt.snap)
			}
			if len(got.ifaces) != len(tt.ifaces) {
				t.Fatalf("interfaces %+v, want %+v", got.ifaces, tt.ifaces)
			}
			for i := range tt.ifaces {
				if got.ifaces[i] != tt.ifaces[i] {
					t.Errorf("interface %d: %+v, want %+v", i, got.ifaces[i], tt.ifaces[i])
				}
			}
			if len(got.recs) != len(tt.want) {
				t.Fatalf("%d records, want %d", len(got.recs), len(tt.want))
			}
			for i := range tt.want {
				if got.recs[i] != tt.want[i] {
					t.Errorf("record %d:\n got %+v\nwant %+v", i, short(got.recs[i]), short(tt.want[i]))
				}
			}
			if got.stats.BytesRead != int64(len(tt.in)) {
				t.Errorf("BytesRead %d of %d", got.stats.BytesRead, len(tt.in))
			}
		})
	}
}

func TestPcapngInterfacesBeforeFirstPacket(t *testing.T) {
	in := cat(ngSHB(le), ngIDB(le, 1, 0, 6), ngBlock(le, blockNRB, le.u32(0)), ngIDB(le, 113, 0, 9),
		ngEPB(le, 1, 1, eth73, 73, nil), ngIDB(le, 101, 0, 6), ngEPB(le, 2, 1, eth73, 73, nil))
	r, err := NewReader(bytes.NewReader(in), ReaderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(r.Interfaces()); n != 2 || r.Precision() != Nano {
		t.Fatalf("after NewReader: %d interfaces, precision %v; want the 2 before the first packet, Nano", n, r.Precision())
	}
	var x Record
	for range 2 {
		if err := r.Next(&x); err != nil {
			t.Fatal(err)
		}
	}
	if len(r.Interfaces()) != 3 || x.Interface != 2 || x.LinkType != 101 {
		t.Errorf("late IDB: %d interfaces, record on %d link %d", len(r.Interfaces()), x.Interface, x.LinkType)
	}
}

func TestConvertTs(t *testing.T) {
	tests := []struct {
		ts   uint64
		res  uint8
		sec  int64
		nsec uint32
	}{
		{1700000001, 0, 1700000001, 0},
		{1700000001_001013, 6, 1700000001, 1013000},
		{1700000001_123456789, 9, 1700000001, 123456789},
		{1_2345678901, 10, 1, 234567890},
		{12345, 19, 0, 0},
		{12345678901234567890, 25, 0, 1234}, // 1.2345e19 * 1e-25 s = 1234.5 ns
		{5<<3 | 4, 0x80 | 3, 5, 500000000},  // 2^-3
		{1 << 63, 0x80 | 63, 1, 0},
		{1 << 62, 0x80 | 64, 0, 250000000}, // 2^62 * 2^-64 = 0.25 s
		{7, 0x80, 7, 0},
		{^uint64(0), 0x80 | 127, 0, 0},
		{^uint64(0), 127, 0, 0},
	}
	for _, tt := range tests {
		sec, nsec := convertTs(tt.ts, tt.res)
		if sec != tt.sec || nsec != tt.nsec {
			t.Errorf("convertTs(%d, %#x) = %d.%09d, want %d.%09d", tt.ts, tt.res, sec, nsec, tt.sec, tt.nsec)
		}
	}
}

func TestPcapngDamage(t *testing.T) {
	hdr := cat(ngSHB(le), ngIDB(le, 1, 0, 6))
	var epbs [][]byte
	for i := range 10 {
		epbs = append(epbs, ngEPB(le, 0, uint64(1700000000_000000+i), payload(byte(i), 50+i), uint32(50+i), nil))
	}
	clean := cat(append([][]byte{hdr}, epbs...)...)
	want := readAll(t, bytes.NewReader(clean), ReaderOptions{Strict: true})
	if want.err != nil || len(want.recs) != 10 {
		t.Fatalf("clean: %d records, %v", len(want.recs), want.err)
	}
	garbages := map[string][]byte{
		"pcapdj refused packet (type 6 + length)": {0x06, 0, 0, 0, 0x6c, 0, 0, 0},
		"odd length garbage":                      bytes.Repeat([]byte{0xab}, 13),
		"zeros":                                   make([]byte, 40),
	}
	for name, garbage := range garbages {
		for _, at := range []int{0, 4, 9} {
			parts := append([][]byte{hdr}, epbs[:at]...)
			parts = append(parts, garbage)
			in := cat(append(parts, epbs[at:]...)...)
			got := readAll(t, &chunkReader{in, 7}, ReaderOptions{})
			if got.err != nil || len(got.recs) != 10 {
				t.Fatalf("%s at %d: %d records, err %v, warnings %q", name, at, len(got.recs), got.err, got.warnings)
			}
			for i := range got.recs {
				w := want.recs[i]
				if i >= at {
					w.Offset += int64(len(garbage))
				}
				if got.recs[i] != w {
					t.Errorf("%s at %d: record %d differs", name, at, i)
				}
			}
			if got.stats.SkippedBytes != int64(len(garbage)) || got.stats.Resyncs != 1 || len(got.warnings) != 1 {
				t.Errorf("%s at %d: stats %+v, warnings %q", name, at, got.stats, got.warnings)
			}
			strict := readAll(t, bytes.NewReader(in), ReaderOptions{Strict: true})
			sentinel := ErrDamaged
			if at == 9 && garbage[0] == blockEPB {
				// The fake length reaches past the end: indistinguishable
				// from a truncated last block.
				sentinel = ErrTruncated
			}
			var e *Error
			if !errors.Is(strict.err, sentinel) || !errors.As(strict.err, &e) || e.Offset != want.recs[at].Offset || len(strict.recs) != at {
				t.Errorf("%s at %d strict: %d records, err %v", name, at, len(strict.recs), strict.err)
			}
		}
	}
}

func TestPcapngBadPacketBlock(t *testing.T) {
	hdr := cat(ngSHB(le), ngIDB(le, 1, 0, 6))
	good := ngEPB(le, 0, 1, eth73, 73, nil)
	badIf := ngEPB(le, 5, 1, eth73, 73, nil)
	in := cat(hdr, badIf, good)
	lax := readAll(t, bytes.NewReader(in), ReaderOptions{})
	if lax.err != nil || len(lax.recs) != 1 || len(lax.warnings) != 1 ||
		lax.warnings[0] != "input: byte offset 60: packet on undeclared interface 5: skipped block of 108 bytes" {
		t.Errorf("lax: %d records, err %v, warnings %q", len(lax.recs), lax.err, lax.warnings)
	}
	strict := readAll(t, bytes.NewReader(in), ReaderOptions{Strict: true})
	if !errors.Is(strict.err, ErrDamaged) {
		t.Errorf("strict: %v", strict.err)
	}
}

func TestPcapngTruncatedTail(t *testing.T) {
	full := cat(pcapdjHead, pcapdjHead[60:])
	for _, cut := range []int{1, 100, 104} {
		in := full[:len(full)-cut]
		lax := readAll(t, bytes.NewReader(in), ReaderOptions{})
		if lax.err != nil || len(lax.recs) != 1 || len(lax.warnings) != 1 || !strings.Contains(lax.warnings[0], "byte offset 168: truncated block") {
			t.Errorf("cut %d: %d records, err %v, warnings %q", cut, len(lax.recs), lax.err, lax.warnings)
		}
		strict := readAll(t, bytes.NewReader(in), ReaderOptions{Strict: true})
		if !errors.Is(strict.err, ErrTruncated) || len(strict.recs) != 1 {
			t.Errorf("cut %d strict: %v", cut, strict.err)
		}
	}
	// A stream cut right after its header is an empty capture.
	got := readAll(t, bytes.NewReader(pcapdjHead[:60]), ReaderOptions{Strict: true})
	if got.err != nil || len(got.recs) != 0 || len(got.ifaces) != 1 {
		t.Errorf("header only: %d records, %d interfaces, err %v", len(got.recs), len(got.ifaces), got.err)
	}
}

func TestFormatChangeMidStream(t *testing.T) {
	ng := cat(pcapdjHead, pcapHdr(le, magicMicroLE, 65535, 1))
	if got := readAll(t, bytes.NewReader(ng), ReaderOptions{}); got.err == nil || !strings.Contains(got.err.Error(), "byte offset 168: classic pcap file header in a pcapng stream") {
		t.Errorf("pcap after pcapng: %v", got.err)
	}
	pc := cat(pcapHdr(le, magicMicroLE, 65535, 1), pcapdjHead)
	if got := readAll(t, bytes.NewReader(pc), ReaderOptions{}); got.err == nil || !strings.Contains(got.err.Error(), "byte offset 24: pcapng section header in a classic pcap stream") {
		t.Errorf("pcapng after pcap: %v", got.err)
	}
}
