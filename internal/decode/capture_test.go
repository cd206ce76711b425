package decode

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket/pcapgo"
)

// realDir holds the shared real-capture corpus.
const realDir = "../../testdata/real"

// capturedPacket is one record of a real capture.
type capturedPacket struct {
	linkType uint16
	data     []byte
}

// readCapture reads every packet of a pcap or pcapng file with gopacket's
// pcapgo (independent of the project's own reader), detecting the format
// by its magic number. It stops quietly at a damaged record.
func readCapture(t testing.TB, name string) []capturedPacket {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(realDir, name))
	if err != nil {
		t.Fatal(err)
	}
	var pkts []capturedPacket
	if bytes.HasPrefix(raw, []byte{0x0a, 0x0d, 0x0d, 0x0a}) {
		r, err := pcapgo.NewNgReader(bytes.NewReader(raw), pcapgo.NgReaderOptions{WantMixedLinkType: true})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for {
			data, ci, err := r.ReadPacketData()
			if err != nil {
				if !errors.Is(err, io.EOF) {
					t.Logf("%s: stopped after %d packets: %v", name, len(pkts), err)
				}
				return pkts
			}
			iface, err := r.Interface(ci.InterfaceIndex)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			pkts = append(pkts, capturedPacket{uint16(iface.LinkType), data})
		}
	}
	r, err := pcapgo.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	for {
		data, _, err := r.ReadPacketData()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				t.Logf("%s: stopped after %d packets: %v", name, len(pkts), err)
			}
			return pkts
		}
		pkts = append(pkts, capturedPacket{uint16(r.LinkType()), data})
	}
}

// decodableLinkTypes are the link types the oracle comparison covers.
var decodableLinkTypes = map[uint16]bool{0: true, 1: true, 12: true, 101: true, 113: true, 228: true, 229: true, 276: true}

// captureFiles lists the corpus files with at least one packet on a link
// type Decode supports.
func captureFiles(t *testing.T) []string {
	t.Helper()
	ents, err := os.ReadDir(realDir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		n := e.Name()
		if filepath.Ext(n) != ".pcap" && filepath.Ext(n) != ".pcapng" || n == "bad-major-version-1.pcap" {
			continue
		}
		names = append(names, n)
	}
	return names
}
