package pcapio

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

// corrupt-record-hdr-after-6.pcap: 6 good records, then a record header
// claiming caplen 4325376 with 661 bytes left in the file.
func TestRealCorruptRecordHeader(t *testing.T) {
	b := mustRead(t, realDir+"corrupt-record-hdr-after-6.pcap")
	const name = "corrupt.pcap"

	strict := readAll(t, bytes.NewReader(b), ReaderOptions{Name: name, Strict: true})
	if len(strict.recs) != 6 {
		t.Fatalf("strict: %d records before the error, want 6", len(strict.recs))
	}
	last := strict.recs[5]
	damageAt := last.Offset + pcapRecordHeaderLen + int64(last.CapLen)
	if int64(len(b))-damageAt != 661 {
		t.Fatalf("damage offset %d leaves %d bytes, want 661", damageAt, int64(len(b))-damageAt)
	}
	var e *Error
	if !errors.Is(strict.err, ErrDamaged) || !errors.As(strict.err, &e) || e.Offset != damageAt {
		t.Fatalf("strict error = %v, want ErrDamaged at offset %d", strict.err, damageAt)
	}
	want := fmt.Sprintf("%s: byte offset %d: record caplen 4325376 exceeds limit 262144", name, damageAt)
	if strict.err.Error() != want {
		t.Errorf("strict error %q, want %q", strict.err, want)
	}

	// Not strict: the bogus header is followed by 80 bytes of a cut record,
	// then 7 more genuine records (timestamps continue where the 6th left
	// off), which libpcap never reaches.
	lax := readAll(t, bytes.NewReader(b), ReaderOptions{Name: name})
	if lax.err != nil || len(lax.recs) != 13 {
		t.Fatalf("lax: %d records, err %v; want 13 and clean EOF", len(lax.recs), lax.err)
	}
	for i := range strict.recs {
		if lax.recs[i] != strict.recs[i] {
			t.Errorf("record %d differs between strict and lax reads", i)
		}
	}
	wantWarn := fmt.Sprintf("%s: skipped 80 bytes, resynchronised at byte offset %d", want, damageAt+80)
	if len(lax.warnings) != 1 || lax.warnings[0] != wantWarn {
		t.Errorf("lax warnings %q, want [%q]", lax.warnings, wantWarn)
	}
	if r := lax.recs[6]; r.Offset != damageAt+80 || r.Sec != last.Sec || r.Nsec <= last.Nsec {
		t.Errorf("first record after resync %+v does not continue the capture after %d.%09d", r, last.Sec, last.Nsec)
	}
	if lax.stats.SkippedBytes != 80 || lax.stats.Resyncs != 1 || lax.stats.Records != 13 || lax.stats.BytesRead != int64(len(b)) {
		t.Errorf("stats %+v", lax.stats)
	}
}

func TestRealBadMajorVersion(t *testing.T) {
	b := mustRead(t, realDir+"bad-major-version-1.pcap")
	_, err := NewReader(bytes.NewReader(b), ReaderOptions{Name: "x.pcap"})
	if err == nil || err.Error() != "x.pcap: byte offset 0: unsupported pcap version 1.4 (want major version 2)" {
		t.Fatalf("err = %v", err)
	}
}
