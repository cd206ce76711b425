package verify

import (
	"bytes"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/flowsplit/flowsplit/hashing"
	"github.com/flowsplit/flowsplit/internal/testpkt"
)

func write(t *testing.T, path string, frames [][]byte) {
	t.Helper()
	var b bytes.Buffer
	w := pcapgo.NewWriter(&b)
	w.WriteFileHeader(65535, layers.LinkTypeEthernet)
	for i, fr := range frames {
		w.WritePacket(gopacket.CaptureInfo{Timestamp: time.Unix(1, int64(i)), CaptureLength: len(fr), Length: len(fr)}, fr)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func ep(a string, p uint16) testpkt.Endpoint {
	return testpkt.Endpoint{Addr: netip.MustParseAddr(a), Port: p}
}

// TestFiles: a datagram whose later fragments sit with its first one, an
// ICMP error with the flow it quotes and a VXLAN-tunnelled connection with
// its reverse direction pass; the same frames spread differently fail, the
// split flows named.
func TestFiles(t *testing.T) {
	a, b := ep("10.0.0.1", 5353), ep("198.18.0.9", 53)
	udp := testpkt.Spec{Src: a, Dst: b, Proto: testpkt.ProtoUDP, Payload: make([]byte, 2000)}
	frags := testpkt.Fragment(testpkt.IPPacket(nil, udp), 600, 9)
	tcp := testpkt.Spec{Src: ep("10.0.0.2", 4000), Dst: ep("198.18.0.1", 80), Proto: testpkt.ProtoTCP}
	icmp := testpkt.FrameIP(nil, tcp, testpkt.ICMPError(nil, testpkt.IPPacket(nil, tcp), netip.MustParseAddr("192.0.2.1"), 3, 1))
	f := func(ip []byte) []byte { return testpkt.FrameIP(nil, udp, ip) }
	good0 := [][]byte{f(frags[2]), f(frags[0]), f(frags[1]), testpkt.Frame(nil, tcp), icmp}
	bad0, bad1 := [][]byte{f(frags[0]), testpkt.Frame(nil, tcp)}, [][]byte{f(frags[1]), icmp}

	dir := t.TempDir()
	p := func(n string) string { return filepath.Join(dir, n) }
	write(t, p("g0"), good0)
	write(t, p("g1"), [][]byte{testpkt.Frame(nil, testpkt.Spec{Src: ep("10.9.9.9", 1), Dst: b, Proto: testpkt.ProtoUDP})})
	write(t, p("b0"), bad0)
	write(t, p("b1"), bad1)
	o := Options{Hash: hashing.Config{Mode: hashing.Mode5Tuple}, ICMPErrors: true, Tunnels: true}

	rep, err := Files([]string{p("g0"), p("g1")}, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Split) != 0 || rep.Flows != 3 || rep.Outputs[0].Flows != 2 || rep.Outputs[0].Packets != 5 {
		t.Errorf("good split: %+v", rep)
	}
	rep, err = Files([]string{p("b0"), p("b1")}, o)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	rep.Write(&out)
	for _, want := range []string{
		"10.0.0.1:5353 <-> 198.18.0.9:53 proto 17 on outputs [0 1]",
		"10.0.0.2:4000 <-> 198.18.0.1:80 proto 6 on outputs [0 1]",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	// Keyed as its own packet, the ICMP error is a flow of its own.
	o.ICMPErrors = false
	rep, _ = Files([]string{p("b0"), p("b1")}, o)
	if len(rep.Split) != 1 {
		t.Errorf("--icmp-errors own: %d split flows, want 1 (the datagram)", len(rep.Split))
	}
	if _, err := Files([]string{p("nope")}, o); err == nil {
		t.Error("a missing output verified")
	}
}
