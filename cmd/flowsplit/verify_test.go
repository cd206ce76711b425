package main

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/flowsplit/flowsplit/internal/testpkt"
)

// writeFrames writes Ethernet frames to a classic pcap file.
func writeFrames(t *testing.T, path string, frames [][]byte) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := pcapgo.NewWriter(f)
	if err := w.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	for i, fr := range frames {
		ci := gopacket.CaptureInfo{Timestamp: time.Unix(1700000000, int64(i)*1000), CaptureLength: len(fr), Length: len(fr)}
		if err := w.WritePacket(ci, fr); err != nil {
			t.Fatal(err)
		}
	}
}

func ep(a string, port uint16) testpkt.Endpoint {
	return testpkt.Endpoint{Addr: netip.MustParseAddr(a), Port: port}
}

// TestVerifyGood: the outputs of a split pass verify in the same mode.
func TestVerifyGood(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "o-%d.pcap")
	for _, mode := range []string{"5tuple", "lfu"} {
		r := flowsplit(t, nil, "split", "--force", "-n", "3", "--hash", mode, "-o", out, realDir+"flows-tls-334conns.pcap")
		if r.code != 0 {
			t.Fatalf("split: exit %d: %s", r.code, r.stderr)
		}
		files := []string{filepath.Join(dir, "o-0.pcap"), filepath.Join(dir, "o-1.pcap"), filepath.Join(dir, "o-2.pcap")}
		v := flowsplit(t, nil, append([]string{"verify", "-n", "3", "--hash", mode}, files...)...)
		if v.code != 0 || !strings.Contains(v.stdout, "no flow is on more than one output") || !strings.Contains(v.stdout, "334 flows") {
			t.Errorf("%s: verify exit %d\nstdout: %s\nstderr: %s", mode, v.code, v.stdout, v.stderr)
		}
	}
}

// TestVerifyBad: two outputs that share a connection (one direction on
// each) and a datagram (first fragment on one, the rest on the other)
// fail verify with exit code 6 and both flows named.
func TestVerifyBad(t *testing.T) {
	dir := t.TempDir()
	a, b := ep("10.0.0.1", 1234), ep("10.0.0.2", 80)
	fwd := testpkt.Frame(nil, testpkt.Spec{Src: a, Dst: b, Proto: testpkt.ProtoTCP, TCPFlags: testpkt.TCPSyn})
	rev := testpkt.Frame(nil, testpkt.Spec{Src: b, Dst: a, Proto: testpkt.ProtoTCP, TCPFlags: testpkt.TCPSyn | testpkt.TCPAck})
	other := testpkt.Frame(nil, testpkt.Spec{Src: ep("10.0.0.3", 5000), Dst: b, Proto: testpkt.ProtoTCP})
	dns := testpkt.Spec{Src: ep("2001:db8::1", 5353), Dst: ep("2001:db8::2", 53), Proto: testpkt.ProtoUDP, Payload: make([]byte, 3000)}
	frags := testpkt.Fragment(testpkt.IPPacket(nil, dns), 1280, 77)
	if len(frags) < 2 {
		t.Fatalf("Fragment gave %d fragments", len(frags))
	}
	var f0, f1 [][]byte
	f0 = append(f0, fwd, other, testpkt.FrameIP(nil, dns, frags[0]))
	f1 = append(f1, rev)
	for _, fr := range frags[1:] {
		f1 = append(f1, testpkt.FrameIP(nil, dns, fr))
	}
	p0, p1 := filepath.Join(dir, "a.pcap"), filepath.Join(dir, "b.pcap")
	writeFrames(t, p0, f0)
	writeFrames(t, p1, f1)
	v := flowsplit(t, nil, "verify", "--hash", "5tuple", p0, p1)
	if v.code != exitSplitFlows {
		t.Fatalf("verify exit %d, want %d\nstdout: %s\nstderr: %s", v.code, exitSplitFlows, v.stdout, v.stderr)
	}
	for _, want := range []string{
		"2 flows on more than one output",
		"10.0.0.1:1234 <-> 10.0.0.2:80 proto 6 on outputs [0 1]",
		"[2001:db8::1]:5353 <-> [2001:db8::2]:53 proto 17 on outputs [0 1]",
	} {
		if !strings.Contains(v.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, v.stdout)
		}
	}
	if !strings.Contains(lastLine(v.stderr), "2 flows") {
		t.Errorf("stderr: %s", v.stderr)
	}
	// In 2tuple mode the datagram and the TCP connection are still split.
	if v := flowsplit(t, nil, "verify", "--hash", "2tuple", p0, p1); v.code != exitSplitFlows {
		t.Errorf("2tuple: exit %d", v.code)
	}
	// -n must match the outputs given.
	if v := flowsplit(t, nil, "verify", "-n", "3", p0, p1); v.code != exitUsage {
		t.Errorf("-n 3 with 2 outputs: exit %d, want %d", v.code, exitUsage)
	}
}
