package splitter

import (
	"encoding/binary"
	"net/netip"
	"testing"

	"github.com/flowsplit/flowsplit/hashing"
	"github.com/flowsplit/flowsplit/internal/pcapio"
	"github.com/flowsplit/flowsplit/internal/testpkt"
)

// fuzzLinkTypes are the link types a fuzz frame may claim.
var fuzzLinkTypes = []uint16{1, 101, 228, 229, 113, 276, 0, 147}

// fuzzFrames splits fuzz input into records: each is a 2-byte length, a
// link type selector, a time step in ms, then the frame.
func fuzzFrames(data []byte) []pcapio.Record {
	var recs []pcapio.Record
	ms := int64(0)
	for len(data) >= 4 {
		n := int(binary.BigEndian.Uint16(data)) % 2048
		lt := fuzzLinkTypes[int(data[2])%len(fuzzLinkTypes)]
		ms += int64(data[3]) * 100 // up to 25.5 s per record: timeouts happen
		data = data[4:]
		n = min(n, len(data))
		d := append([]byte(nil), data[:n]...)
		data = data[n:]
		recs = append(recs, pcapio.Record{LinkType: lt, Sec: ms / 1000, Nsec: uint32(ms%1000) * 1e6, CapLen: uint32(n), OrigLen: uint32(n), Data: d})
	}
	return recs
}

// fuzzSeed encodes frames as fuzz input.
func fuzzSeed(frames ...[]byte) []byte {
	var b []byte
	for i, f := range frames {
		b = binary.BigEndian.AppendUint16(b, uint16(len(f)))
		b = append(b, 0, byte(i%3))
		b = append(b, f...)
	}
	return b
}

// FuzzRoute feeds random frames through the Router in every mode and
// checks its contract: outputs in range, and every record emitted exactly
// once (directly, by Release or by Flush), held ones included.
func FuzzRoute(f *testing.F) {
	frames := seedFrames()
	f.Add(fuzzSeed(frames...))
	f.Add(fuzzSeed(frames[0], frames[0], frames[1][:40], frames[1]))
	f.Add([]byte{0, 10, 1, 0, 0x45, 0, 0, 10, 0, 0, 0x20, 0, 64, 17})
	fuzzRoute(f)
}

// seedFrames are reversed fragments, a TCP FIN, an ICMP error about it
// and the TCP packet in IP-in-IP.
func seedFrames() [][]byte {
	a := testpkt.Endpoint{Addr: netip.MustParseAddr("10.0.0.1"), Port: 1234}
	b := testpkt.Endpoint{Addr: netip.MustParseAddr("198.18.0.1"), Port: 53}
	dns := testpkt.Spec{Src: a, Dst: b, Proto: testpkt.ProtoUDP, Payload: make([]byte, 500)}
	frags := testpkt.Fragment(testpkt.IPPacket(nil, dns), 200, 42)
	var frames [][]byte
	for i := len(frags) - 1; i >= 0; i-- { // reversed
		frames = append(frames, testpkt.FrameIP(nil, dns, frags[i]))
	}
	tcp := testpkt.Spec{Src: a, Dst: b, Proto: testpkt.ProtoTCP, TCPFlags: testpkt.TCPFin}
	tcpIP := testpkt.IPPacket(nil, tcp)
	frames = append(frames, testpkt.Frame(nil, tcp),
		testpkt.FrameIP(nil, tcp, testpkt.ICMPError(nil, tcpIP, netip.MustParseAddr("192.0.2.1"), 3, 4)),
		testpkt.FrameIP(nil, tcp, testpkt.IPinIP(nil, netip.MustParseAddr("172.16.0.1"), netip.MustParseAddr("172.31.0.1"), tcpIP)))
	return frames
}

// fuzzRoute is FuzzRoute's body.
func fuzzRoute(f *testing.F) {

	local := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	var configs []RouteConfig
	for _, m := range []hashing.Mode{hashing.Mode2Tuple, hashing.Mode5Tuple, hashing.Mode4Tuple, hashing.ModeLFU, hashing.ModeHost} {
		rc := RouteConfig{Hash: hashing.Config{Mode: m, LocalNets: local}, Tunnels: true, ICMPErrors: true}
		rc.Flows.MaxFlows = 4
		rc.Frags.MaxHeld = 3
		configs = append(configs, rc)
	}
	vlan := RouteConfig{Hash: hashing.Config{Mode: hashing.Mode5Tuple, VLAN: true}}
	vlan.Frags.MaxHeld = 1
	configs = append(configs, vlan)

	// The routers outlive one input (Flush empties what they hold; their
	// flow and datagram tables carry over): making them is the costly part.
	const n = 3
	routers := make([]*Router, len(configs))
	for i, rc := range configs {
		r, err := NewRouter(rc, n)
		if err != nil {
			f.Fatal(err)
		}
		routers[i] = r
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		recs := fuzzFrames(data)
		for ci, rc := range configs {
			r := routers[ci]
			want := map[string]int{}
			got := map[string]int{}
			emit := func(rec *pcapio.Record, out int, weird bool) {
				if out < 0 || out >= n {
					t.Fatalf("%v: output %d out of range", rc.Hash.Mode, out)
				}
				got[string(rec.Data)]++
			}
			for i := range recs {
				want[string(recs[i].Data)]++
				out, weird, held := r.Route(&recs[i])
				if !held {
					emit(&recs[i], out, weird)
				}
				r.Release(emit)
			}
			r.Flush(emit)
			if len(got) != len(want) {
				t.Fatalf("%v: %d distinct records emitted, %d routed", rc.Hash.Mode, len(got), len(want))
			}
			for k, v := range want {
				if got[k] != v {
					t.Fatalf("%v: a record routed %d times was emitted %d times", rc.Hash.Mode, v, got[k])
				}
			}
			if st := r.Stats(); st.FragmentsHeld != 0 {
				t.Fatalf("%v: %d fragments held after Flush", rc.Hash.Mode, st.FragmentsHeld)
			}
		}
	})
}
