package pcapio

import (
	"bytes"
	"io"
	"testing"

	"github.com/gopacket/gopacket/pcapgo"
)

func TestAppendPcapHeader(t *testing.T) {
	got := AppendPcapHeader(nil, 113, 262144, Nano)
	want := []byte{
		0x4d, 0x3c, 0xb2, 0xa1, // magic a1b23c4d (nanoseconds), little-endian
		0x02, 0x00, 0x04, 0x00, // version 2.4
		0x00, 0x00, 0x00, 0x00, // thiszone
		0x00, 0x00, 0x00, 0x00, // sigfigs
		0x00, 0x00, 0x04, 0x00, // snaplen 262144
		0x71, 0x00, 0x00, 0x00, // link type 113
	}
	if !bytes.Equal(got, want) {
		t.Errorf("got %x\nwant %x", got, want)
	}
	if got := AppendPcapHeader([]byte{9}, 1, 65535, Micro); !bytes.Equal(got[:5], []byte{9, 0xd4, 0xc3, 0xb2, 0xa1}) {
		t.Errorf("micro header %x does not append after existing bytes", got)
	}
}

func TestAppendPcapngHeaderAndEPB(t *testing.T) {
	got := AppendPcapngHeader(nil, []Interface{{LinkType: 1, SnapLen: 262144}})
	got = AppendPcapngEPB(got, &Record{Sec: 1700000001, Nsec: 5, OrigLen: 80, Data: []byte{0xaa, 0xbb, 0xcc}})
	want := []byte{
		0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0, 0, 0, // SHB, length 28
		0x4d, 0x3c, 0x2b, 0x1a, 0x01, 0, 0, 0, // byte-order magic, version 1.0
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // section length -1
		0x1c, 0, 0, 0, // length 28
		0x01, 0, 0, 0, 0x20, 0, 0, 0, // IDB, length 32
		0x01, 0, 0, 0, // link type 1, reserved
		0, 0, 0x04, 0, // snaplen 262144
		0x09, 0, 0x01, 0, 0x09, 0, 0, 0, // if_tsresol = 9 (ns), padding
		0, 0, 0, 0, // opt_endofopt
		0x20, 0, 0, 0, // length 32
		0x06, 0, 0, 0, 0x24, 0, 0, 0, // EPB, length 36
		0, 0, 0, 0, // interface 0
		0xfe, 0x9c, 0x97, 0x17, // ts high: 1700000001000000005 ns >> 32
		0x05, 0xca, 0xc4, 0x71, // ts low
		0x03, 0, 0, 0, 0x50, 0, 0, 0, // caplen 3, origlen 80
		0xaa, 0xbb, 0xcc, 0, // data + padding
		0x24, 0, 0, 0, // length 36
	}
	if !bytes.Equal(got, want) {
		t.Errorf("got  %x\nwant %x", got, want)
	}
}

// writePcap re-encodes every record of in as classic pcap of precision prec.
func writePcap(t *testing.T, in []byte, prec Precision) []byte {
	t.Helper()
	r, err := NewReader(bytes.NewReader(in), ReaderOptions{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	out := AppendPcapHeader(nil, r.Interfaces()[0].LinkType, r.SnapLen(), prec)
	var x Record
	for {
		if err := r.Next(&x); err == io.EOF {
			return out
		} else if err != nil {
			t.Fatal(err)
		}
		out = AppendPcapRecord(out, &x, prec)
	}
}

func TestPcapRoundTrip(t *testing.T) {
	// A little-endian microsecond file comes out byte for byte (verbatim path).
	in := mustRead(t, realDir+"flows-tls-334conns.pcap")
	if out := writePcap(t, in, Micro); !bytes.Equal(out, in) {
		t.Errorf("LE usec pcap not reproduced byte for byte (%d vs %d bytes)", len(out), len(in))
	}
	for _, tt := range []struct {
		file string
		prec Precision
	}{
		{"be-nsec-ether.pcap", Nano},           // BE: re-encoded, ns kept
		{"le-nsec-vntag.pcap", Nano},           // verbatim ns
		{"le-nsec-vntag.pcap", Micro},          // ns -> us: re-encoded, truncated
		{"be-usec-pptp-gre.pcap", Micro},       // BE us
		{"pcapng-2if-dns.pcapng", Nano},        // pcapng -> pcap
		{"caplen96-tcp-timestamps.pcap", Nano}, // us -> ns, caplen < len
	} {
		in := mustRead(t, realDir+tt.file)
		want := readAll(t, bytes.NewReader(in), ReaderOptions{Strict: true})
		out := writePcap(t, in, tt.prec)
		got := readAll(t, bytes.NewReader(out), ReaderOptions{Strict: true})
		exp, err := oracle(t, out)
		if err != nil || len(exp) != len(want.recs) || len(got.recs) != len(want.recs) {
			t.Fatalf("%s: oracle %d records (%v), ours %d, want %d", tt.file, len(exp), err, len(got.recs), len(want.recs))
		}
		if got.prec != tt.prec {
			t.Errorf("%s: output precision %v, want %v", tt.file, got.prec, tt.prec)
		}
		for i, w := range want.recs {
			if tt.prec == Micro {
				w.Nsec -= w.Nsec % 1000
			}
			g, e := got.recs[i], exp[i]
			if g.Sec != w.Sec || g.Nsec != w.Nsec || g.Data != w.Data || g.OrigLen != w.OrigLen {
				t.Fatalf("%s record %d: ours %+v, want %+v", tt.file, i, short(g), short(w))
			}
			if e.Sec != w.Sec || e.Nsec != w.Nsec || e.Data != w.Data || e.OrigLen != w.OrigLen {
				t.Fatalf("%s record %d: oracle %+v, want %+v", tt.file, i, short(e), short(w))
			}
		}
	}
}

func TestPcapngRoundTrip(t *testing.T) {
	for _, file := range []string{"pcapng-11if-ether-null-raw.pcapng", "pcapng-ether-sll-truncated.pcapng", "be-nsec-ether.pcap"} {
		in := mustRead(t, realDir+file)
		want := readAll(t, bytes.NewReader(in), ReaderOptions{Strict: true})
		r, err := NewReader(bytes.NewReader(in), ReaderOptions{})
		if err != nil {
			t.Fatal(err)
		}
		out := AppendPcapngHeader(nil, r.Interfaces())
		declared := len(r.Interfaces())
		var x Record
		for r.Next(&x) == nil {
			for ; declared < len(r.Interfaces()); declared++ { // IDB after packets
				out = AppendPcapngIDB(out, r.Interfaces()[declared])
			}
			out = AppendPcapngEPB(out, &x)
		}
		got := readAll(t, bytes.NewReader(out), ReaderOptions{Strict: true})
		// pcapng-ether-sll-truncated has packets stamped near 2^64 us, beyond
		// what 64-bit nanoseconds hold (year 2554): they wrap.
		wrapped := map[int]bool{}
		for i := range want.recs {
			if want.recs[i].Sec > maxNanoSec {
				wrapped[i] = true
				want.recs[i].Sec, want.recs[i].Nsec = got.recs[i].Sec, got.recs[i].Nsec
			}
		}
		sameRecordsIgnoringOffset(t, file, got, want)
		if got.prec != Nano || len(got.ifaces) != len(want.ifaces) {
			t.Errorf("%s: precision %v, %d interfaces", file, got.prec, len(got.ifaces))
		}
		ng, err := pcapgo.NewNgReader(bytes.NewReader(out), pcapgo.NgReaderOptions{WantMixedLinkType: true})
		if err != nil {
			t.Fatal(err)
		}
		for i, w := range want.recs {
			data, ci, err := ng.ReadPacketData()
			if wrapped[i] {
				continue
			}
			if err != nil {
				t.Fatalf("%s: oracle record %d: %v", file, i, err)
			}
			if string(data) != w.Data || ci.Timestamp.Unix() != w.Sec || uint32(ci.Timestamp.Nanosecond()) != w.Nsec ||
				ci.InterfaceIndex != w.Iface || ci.Length != int(w.OrigLen) {
				t.Fatalf("%s: oracle record %d: %v %+v, want %+v", file, i, ci.Timestamp, ci, short(w))
			}
		}
	}
}

// maxNanoSec is the last second whose nanoseconds fit in a uint64.
const maxNanoSec = int64(^uint64(0) / 1e9)

func sameRecordsIgnoringOffset(t *testing.T, what string, got, want result) {
	t.Helper()
	if got.err != nil || len(got.recs) != len(want.recs) {
		t.Fatalf("%s: %d records, err %v; want %d", what, len(got.recs), got.err, len(want.recs))
	}
	for i := range want.recs {
		g, w := got.recs[i], want.recs[i]
		g.Offset, w.Offset = 0, 0
		if g != w {
			t.Fatalf("%s: record %d: %+v, want %+v", what, i, short(g), short(w))
		}
	}
}

func TestChooseFormat(t *testing.T) {
	eth, null := Interface{LinkType: 1}, Interface{LinkType: 0}
	tests := []struct {
		ifaces  []Interface
		want    string
		format  Format
		wantErr string
	}{
		{[]Interface{eth}, "auto", FormatPcap, ""},
		{[]Interface{eth, eth}, "", FormatPcap, ""},
		{[]Interface{eth, null}, "auto", FormatPcapNG, ""},
		{nil, "auto", FormatPcapNG, ""},
		{[]Interface{eth}, "pcapng", FormatPcapNG, ""},
		{[]Interface{eth, null, eth}, "pcap", 0, "pcap output needs one link type but the input has several (1, 0); use pcapng"},
		{nil, "pcap", 0, "pcap output needs a link type but the input declares no interface"},
		{[]Interface{eth}, "erf", 0, `unknown output format "erf" (want auto, pcap or pcapng)`},
	}
	for _, tt := range tests {
		f, err := ChooseFormat(tt.ifaces, tt.want)
		if f != tt.format || (err == nil) != (tt.wantErr == "") || (err != nil && err.Error() != tt.wantErr) {
			t.Errorf("ChooseFormat(%v, %q) = %v, %v; want %v, %q", tt.ifaces, tt.want, f, err, tt.format, tt.wantErr)
		}
	}
}
