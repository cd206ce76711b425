package pcapio

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/pcapgo"
)

const realDir = "../../testdata/real/"

// manifestCounts returns file -> packet count ("6+corrupt" -> 6, unreadable -> -1).
func manifestCounts(t *testing.T) map[string]int {
	t.Helper()
	f, err := os.Open(realDir + "manifest.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := map[string]int{}
	sc := bufio.NewScanner(f)
	sc.Scan() // header line
	for sc.Scan() {
		col := strings.Split(sc.Text(), "\t")
		if len(col) < 5 {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSuffix(col[4], "+corrupt"))
		if err != nil {
			n = -1
		}
		m[col[0]] = n
	}
	if len(m) < 40 {
		t.Fatalf("manifest has only %d entries", len(m))
	}
	return m
}

// oracle reads b with gopacket's pcapgo (independent implementation).
func oracle(t *testing.T, b []byte) ([]rec, error) {
	t.Helper()
	type src interface {
		ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
	}
	var s src
	var err error
	if isSHB(b) {
		s, err = pcapgo.NewNgReader(bytes.NewReader(b), pcapgo.NgReaderOptions{WantMixedLinkType: true})
	} else {
		s, err = pcapgo.NewReader(bytes.NewReader(b))
	}
	if err != nil {
		return nil, err
	}
	var out []rec
	for {
		data, ci, err := s.ReadPacketData()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, rec{Sec: ci.Timestamp.Unix(), Nsec: uint32(ci.Timestamp.Nanosecond()),
			CapLen: uint32(ci.CaptureLength), OrigLen: uint32(ci.Length), Data: string(data)})
	}
}

func TestRealCapturesMatchOracle(t *testing.T) {
	counts := manifestCounts(t)
	for name, want := range counts {
		if want < 0 || strings.HasPrefix(name, "corrupt") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			b := mustRead(t, realDir+name)
			got := readAll(t, bytes.NewReader(b), ReaderOptions{Name: name, Strict: true})
			if got.err != nil {
				t.Fatalf("read: %v", got.err)
			}
			if len(got.recs) != want {
				t.Fatalf("got %d records, manifest says %d", len(got.recs), want)
			}
			if len(got.warnings) != int(got.stats.Headers) { // one notice per extra section
				t.Errorf("unexpected warnings: %q", got.warnings)
			}
			if got.stats.BytesRead != int64(len(b)) {
				t.Errorf("BytesRead %d, file has %d bytes", got.stats.BytesRead, len(b))
			}
			exp, err := oracle(t, b)
			if err != nil {
				t.Logf("oracle stops after %d records: %v", len(exp), err)
			}
			if len(exp) != want && err == nil {
				t.Fatalf("oracle read %d records, manifest says %d", len(exp), want)
			}
			for i := range exp {
				g, e := got.recs[i], exp[i]
				if g.Data != e.Data || g.CapLen != e.CapLen || g.OrigLen != e.OrigLen {
					t.Fatalf("record %d: caplen/origlen %d/%d, oracle %d/%d (data equal %v)", i, g.CapLen, g.OrigLen, e.CapLen, e.OrigLen, g.Data == e.Data)
				}
				if e.Sec == -62135596800 { // oracle's zero time: SPB has no timestamp
					e.Sec, e.Nsec = 0, 0
				}
				if g.Sec != e.Sec || g.Nsec != e.Nsec {
					t.Fatalf("record %d: time %d.%09d, oracle %d.%09d", i, g.Sec, g.Nsec, e.Sec, e.Nsec)
				}
			}
		})
	}
}
