package splitter

import (
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/flowsplit/flowsplit/bench/gen"
	"github.com/flowsplit/flowsplit/hashing"
	"github.com/flowsplit/flowsplit/internal/oracle"
)

// fidelityCase is one routing configuration judged by the oracle.
type fidelityCase struct {
	name string
	rc   RouteConfig
}

// testLocalNets are the host mode's local networks in these tests: the
// generator's clients and client-side tunnel endpoints, and the private
// ranges of the real captures.
var testLocalNets = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("2001:db8::/32"),
	netip.MustParsePrefix("fe80::/10"),
}

// fidelityCases lists every mode, with tunnels inner and outer, ICMP
// errors following their flow.
func fidelityCases() []fidelityCase {
	var cs []fidelityCase
	modes := append(append([]hashing.Mode{}, hashing.Modes...), hashing.ModeLFU, hashing.ModeHost)
	for _, m := range modes {
		for _, inner := range []bool{true, false} {
			h := hashing.Config{Mode: m}
			name := m.String() + "/outer"
			if inner {
				name = m.String() + "/inner"
			}
			if m == hashing.ModeHost {
				h.LocalNets = testLocalNets
			}
			rc := RouteConfig{Hash: h, Tunnels: inner, ICMPErrors: true}
			// The real captures pause for minutes: a flow that expires
			// and comes back is a new flow (placed anew) by design.
			rc.Flows.TCPTimeout, rc.Flows.UDPTimeout, rc.Flows.OtherTimeout, rc.Flows.CloseGrace = day, day, day, day
			cs = append(cs, fidelityCase{name, rc})
		}
	}
	remote := RouteConfig{Hash: hashing.Config{Mode: hashing.ModeHost, LocalNets: testLocalNets, Side: hashing.SideRemote}, Tunnels: true, ICMPErrors: true}
	return append(cs, fidelityCase{"host-remote/inner", remote})
}

const day = 24 * time.Hour

// fidelityOpts are the oracle's options for rc.
func fidelityOpts(rc RouteConfig) oracle.KeyOptions {
	return oracle.KeyOptions{
		Mode: rc.Hash.Mode.String(), VLAN: rc.Hash.VLAN, Prefix4: rc.Hash.Prefix4, Prefix6: rc.Hash.Prefix6,
		Tunnels: rc.Tunnels, ICMPErrors: rc.ICMPErrors,
		LocalNets: rc.Hash.LocalNets, RemoteSide: rc.Hash.Side == hashing.SideRemote,
		Datagrams: true, FlowOrder: true, StrictPorts: true,
	}
}

// splitAndJudge splits input with rc into n files and has the oracle find
// split flows (fragments by their datagram's flow, ICMP errors by the
// flow they quote, tunnels per rc).
func splitAndJudge(t *testing.T, input string, in []oracle.Record, rc RouteConfig, n int) (oracle.Split, *Stats) {
	t.Helper()
	c, st := splitFile(t, input, n, rc.Hash, func(c *Config) { c.Route = rc })
	outs := readOutputs(t, c)
	if filepath.Ext(input) == ".pcapng" {
		// The pcapng captures' records do not all survive the output
		// format byte for byte (resolution, interface blocks: the writer's
		// tests cover that, and the interfaces' clocks disagree): judge
		// the flows of what the outputs hold.
		in = concatOutputs(outs)
	}
	res, err := oracle.CheckSplit(in, outs, nil, fidelityOpts(rc))
	if err != nil {
		t.Fatalf("%s: %v", filepath.Base(input), err)
	}
	return res, st
}

// genCapture writes generated traffic with every hard case to a file.
func genCapture(t *testing.T, cfg gen.Config) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "gen.pcap")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := gen.WritePcap(f, cfg); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// hardTraffic has IPv4 and IPv6 fragments (a quarter out of order), ICMP
// errors, VLAN tags in one direction only and GRE / VXLAN / Geneve / GTP-U
// / IP-in-IP tunnels in both directions.
var hardTraffic = gen.Config{
	Flows: 1500, Packets: 15000, Seed: 7,
	FragShare: 0.3, ICMPErrors: 0.1, Tunnels: 0.3, VLANShare: 0.3, OneSidedVLAN: 0.15,
}

// TestFidelityGenerated: generated traffic with every hard case, split in
// every mode with tunnels inner and outer: the oracle finds no split flow.
func TestFidelityGenerated(t *testing.T) {
	input := genCapture(t, hardTraffic)
	in, err := oracle.ReadFile(input)
	if err != nil {
		t.Fatal(err)
	}
	for _, fc := range fidelityCases() {
		t.Run(fc.name, func(t *testing.T) {
			res, st := splitAndJudge(t, input, in, fc.rc, 4)
			r := st.Routing
			if r.ICMPErrors == 0 {
				t.Error("no ICMP error was routed by its quote")
			}
			if fc.rc.Tunnels != (r.Tunneled > 0) {
				t.Errorf("tunnels inner = %v but %d packets routed by an inner header", fc.rc.Tunnels, r.Tunneled)
			}
			if r.FragmentsTimedOut+r.FragmentsOverflow != 0 {
				t.Errorf("fragments fell back: %+v", r)
			}
			for i, n := range res.PerOutput {
				if n == 0 {
					t.Errorf("output %d is empty", i)
				}
			}
			if fc.rc.Hash.Mode == hashing.ModeLFU && r.FlowTableSize == 0 {
				t.Error("lfu: empty flow table")
			}
		})
	}
}

// realCaptures are the real captures of link types the decoder knows,
// classic and pcapng.
var realCaptures = append(append([]string{}, classicCaptures...),
	"icmp4-errors.pcap", "6in4-ping6.pcap", "erspan1-icmp.pcap", "erspan3-vlan-icmp.pcap",
	"gre-erspan2-vxlan-tcp.pcap", "vlan-4in6-gre-ppp-dns.pcap",
	"pcapng-2if-dns.pcapng", "pcapng-11if-ether-null-raw.pcapng",
	"pcapng-ether-sll-truncated.pcapng", "pcapng-be-3sections-spb.pcapng",
	// 802.11 link types flowsplit does not decode: every packet takes the
	// weird path, none is lost.
	"wlan-lt105-llc-dns.pcap", "wlan-radiotap-llc-ip.pcap")

// jumpsInTime are captures whose timestamps jump decades forward and back:
// in the lfu mode every flow expires at the jump (capture time is
// monotonic, as Zeek's network time), so flows are placed anew after it.
var jumpsInTime = map[string]bool{"pcapng-ether-sll-truncated.pcapng": true}

// TestFidelityReal: every real capture, every mode, tunnels inner and
// outer: the oracle finds no split flow.
func TestFidelityReal(t *testing.T) {
	cases := fidelityCases()
	for _, name := range realCaptures {
		input := realDir + name
		in, err := oracle.ReadFile(input)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, fc := range cases {
			if jumpsInTime[name] && fc.rc.Hash.Mode == hashing.ModeLFU {
				continue
			}
			t.Run(name+"/"+fc.name, func(t *testing.T) {
				splitAndJudge(t, input, in, fc.rc, 3)
			})
		}
	}
}

// concatOutputs returns the records of every output, output after output.
func concatOutputs(outs [][]oracle.Record) []oracle.Record {
	var all []oracle.Record
	for _, o := range outs {
		all = append(all, o...)
	}
	return all
}
