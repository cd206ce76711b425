package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/flowsplit/flowsplit/internal/oracle"
)

// which runs `flowsplit which` in-process and returns its output.
func which(args ...string) (string, error) {
	app := newApp()
	var out bytes.Buffer
	app.Writer, app.ErrWriter = &out, io.Discard
	err := app.RunContext(context.Background(), append([]string{"flowsplit", "which"}, args...))
	return strings.TrimSpace(out.String()), err
}

// conn is a packet's connection as `flowsplit which` arguments.
type conn struct {
	src, dst, proto, vlans string
}

func (c conn) args() []string {
	a := []string{c.src, c.dst, c.proto}
	if c.vlans != "" {
		a = append([]string{"--vlan-id", c.vlans}, a...)
	}
	return a
}

// connOf reads rec's connection with gopacket: the VLAN IDs and the first
// IP header (the innermost one when inner), with its ports. ok is false
// for packets which does not describe: not IP, fragments, ICMP (errors go
// with the flow they quote).
func connOf(rec oracle.Record, inner bool) (c conn, ok bool) {
	pkt := gopacket.NewPacket(rec.Data, rec.LinkType, gopacket.Default)
	var vlans []string
	var src, dst netip.Addr
	var proto uint8
	var sport, dport uint16
	ports, seenIP := false, false
	for _, l := range pkt.Layers() {
		switch v := l.(type) {
		case *layers.Dot1Q:
			if !seenIP {
				vlans = append(vlans, fmt.Sprint(v.VLANIdentifier))
			}
		case *layers.IPv4:
			if seenIP && !inner {
				continue
			}
			if v.Flags&layers.IPv4MoreFragments != 0 || v.FragOffset != 0 {
				return c, false
			}
			src, _ = netip.AddrFromSlice(v.SrcIP.To4())
			dst, _ = netip.AddrFromSlice(v.DstIP.To4())
			proto, ports, seenIP = uint8(v.Protocol), false, true
		case *layers.IPv6:
			if seenIP && !inner {
				continue
			}
			src, _ = netip.AddrFromSlice(v.SrcIP)
			dst, _ = netip.AddrFromSlice(v.DstIP)
			proto, ports, seenIP = uint8(v.NextHeader), false, true
		case *layers.IPv6Fragment:
			return c, false
		case *layers.TCP:
			if !ports {
				sport, dport, ports = uint16(v.SrcPort), uint16(v.DstPort), true
			}
		case *layers.UDP:
			if !ports {
				sport, dport, ports = uint16(v.SrcPort), uint16(v.DstPort), true
			}
		case *layers.SCTP:
			if !ports {
				sport, dport, ports = uint16(v.SrcPort), uint16(v.DstPort), true
			}
		}
	}
	if !seenIP || proto == 1 || proto == 58 {
		return c, false
	}
	c = conn{src: src.String(), dst: dst.String(), proto: fmt.Sprint(proto), vlans: strings.Join(vlans, ",")}
	if ports {
		c.src = netip.AddrPortFrom(src, sport).String()
		c.dst = netip.AddrPortFrom(dst, dport).String()
	}
	return c, true
}

// hasRouteFlag reports whether routeFlags has a flag of that name.
func hasRouteFlag(name string) bool {
	for _, f := range routeFlags() {
		if slices.Contains(f.Names(), name) {
			return true
		}
	}
	return false
}

// TestWhichAgreesWithSplit splits real captures with the binary, reads the
// outputs with the independent reader, and asks `which` about the
// connection of every packet: it must name the output that holds it.
func TestWhichAgreesWithSplit(t *testing.T) {
	const n = 5
	tls := realDir + "flows-tls-334conns.pcap"
	tests := []struct {
		name    string
		input   string
		flags   []string
		inner   bool   // the connection is the innermost header
		needs   string // a routing flag the case needs
		minConn int    // at least this many distinct connections checked
	}{
		{"5tuple", tls, nil, false, "", 300},
		{"4tuple", tls, []string{"--hash", "4tuple"}, false, "", 300},
		{"3tuple", tls, []string{"--hash", "3tuple"}, false, "", 300},
		{"2tuple", tls, []string{"--hash", "2tuple"}, false, "", 300},
		{"prefixes", tls, []string{"--prefix4", "16", "--prefix6", "32"}, false, "", 300},
		{"24", tls, []string{"--hash", "2tuple", "--24"}, false, "", 300},
		{"host", tls, []string{"--hash", "host", "--local-nets", "192.168.0.0/16,2601:647:4b02::/48"}, false, "local-nets", 300},
		{"host remote", tls, []string{"--hash", "host", "--local-nets", "192.168.0.0/16,2601:647:4b02::/48", "--side", "remote"}, false, "side", 300},
		{"vlan", realDir + "vlan-collisions.pcap", []string{"--vlan"}, false, "", 6},
		{"vlan-blind", realDir + "vlan-collisions.pcap", nil, false, "", 6},
		{"tunnels inner", realDir + "vxlan-tcp-udp.pcap", nil, true, "tunnels", 4},
		{"tunnels outer", realDir + "vxlan-tcp-udp.pcap", []string{"--tunnels", "outer"}, false, "tunnels", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.needs != "" && !hasRouteFlag(tt.needs) {
				t.Skipf("no --%s routing flag", tt.needs)
			}
			if tt.name == "tunnels inner" && !hasRouteFlag("tunnels") {
				t.Skip("no tunnel decapsulation")
			}
			pattern := filepath.Join(t.TempDir(), "out-%d.pcap")
			args := append([]string{"split", "-q", "-n", fmt.Sprint(n), "-o", pattern}, tt.flags...)
			if r := flowsplit(t, nil, append(args, tt.input)...); r.code != 0 {
				t.Fatalf("split: exit %d\n%s", r.code, r.stderr)
			}
			answers := map[conn]string{}
			checked := 0
			for i := range n {
				path := strings.Replace(pattern, "%d", fmt.Sprint(i), 1)
				recs, err := oracle.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				for _, rec := range recs {
					c, ok := connOf(rec, tt.inner)
					if !ok {
						continue
					}
					got, seen := answers[c]
					if !seen {
						a := append([]string{"-n", fmt.Sprint(n)}, tt.flags...)
						if got, err = which(append(a, c.args()...)...); err != nil {
							t.Fatalf("which %v: %v", c.args(), err)
						}
						answers[c] = got
					}
					checked++
					if got != fmt.Sprint(i) {
						t.Errorf("which %v %v says %s; the split put it in output %d", tt.flags, c.args(), got, i)
					}
				}
			}
			// Both directions of a connection are distinct entries.
			if len(answers) < tt.minConn {
				t.Errorf("only %d connections (%d packets) checked, want at least %d", len(answers), checked, tt.minConn)
			}
		})
	}
}

func TestWhichUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // in the error
	}{
		{"lfu", []string{"-n", "4", "--hash", "lfu", "10.0.0.1:1", "10.0.0.2:2"}, "cannot be predicted"},
		{"no workers", []string{"10.0.0.1:1", "10.0.0.2:2"}, "workers"},
		{"workers range", []string{"-n", "0", "10.0.0.1:1", "10.0.0.2:2"}, "out of range"},
		{"one endpoint", []string{"-n", "4", "10.0.0.1:1"}, "got 1 arguments"},
		{"bad address", []string{"-n", "4", "10.0.0.300:1", "10.0.0.2:2"}, "SRC"},
		{"mixed families", []string{"-n", "4", "10.0.0.1:1", "[::1]:2"}, "different IP versions"},
		{"one port", []string{"-n", "4", "10.0.0.1:1", "10.0.0.2"}, "on both"},
		{"proto needed", []string{"-n", "4", "10.0.0.1", "10.0.0.2"}, "needed without ports"},
		{"bad proto", []string{"-n", "4", "10.0.0.1:1", "10.0.0.2:2", "tcpx"}, "want tcp"},
		{"ports on icmp", []string{"-n", "4", "10.0.0.1:1", "10.0.0.2:2", "icmp"}, "has no ports"},
		{"bad vlan", []string{"-n", "4", "--vlan-id", "4095", "10.0.0.1:1", "10.0.0.2:2"}, "VLAN ID"},
		{"bad out", []string{"-n", "4", "-o", "x.pcap", "10.0.0.1:1", "10.0.0.2:2"}, "%d"},
		{"bad hash", []string{"-n", "4", "--hash", "7tuple", "10.0.0.1:1", "10.0.0.2:2"}, "7tuple"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := which(tt.args...)
			if err == nil {
				t.Fatalf("which %v = %q, want an error", tt.args, out)
			}
			if !errors.Is(err, errUsage) || exitCode(err) != exitUsage {
				t.Errorf("error %v: exit code %d, want %d", err, exitCode(err), exitUsage)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestWhichAnswers(t *testing.T) {
	// Both directions, and every spelling of one connection, give one
	// answer; --out prints the path.
	same := [][]string{
		{"192.0.2.1:1234", "198.51.100.7:443"},
		{"198.51.100.7:443", "192.0.2.1:1234"},
		{"192.0.2.1:1234", "198.51.100.7:443", "tcp"},
		{"192.0.2.1:1234", "198.51.100.7:443", "TCP"},
		{"192.0.2.1:1234", "198.51.100.7:443", "6"},
		{"[::ffff:192.0.2.1]:1234", "198.51.100.7:443"},
	}
	var first string
	for _, a := range same {
		got, err := which(append([]string{"-n", "16"}, a...)...)
		if err != nil {
			t.Fatalf("which %v: %v", a, err)
		}
		if first == "" {
			first = got
		} else if got != first {
			t.Errorf("which %v = %s, want %s like %v", a, got, first, same[0])
		}
	}
	got, err := which("-n", "16", "-o", "/run/w-%d.pcap", "192.0.2.1:1234", "198.51.100.7:443")
	if err != nil || got != "/run/w-"+first+".pcap" {
		t.Errorf("with --out: %q, %v; want /run/w-%s.pcap", got, err, first)
	}
	// IPv6 with brackets, bare IPv6 with a protocol, one worker.
	for _, a := range [][]string{
		{"-n", "1", "[2001:db8::1]:5353", "[2001:db8::2]:53", "udp"},
		{"-n", "1", "2001:db8::1", "2001:db8::2", "icmp"},
		{"-n", "1", "[2001:db8::1]", "[2001:db8::2]", "sctp"},
		{"-n", "1", "--hash", "2tuple", "10.0.0.1", "10.0.0.2"},
	} {
		if got, err := which(a...); err != nil || got != "0" {
			t.Errorf("which %v = %q, %v; want 0", a, got, err)
		}
	}
}

func TestParseEndpoint(t *testing.T) {
	tests := []struct {
		in       string
		want     netip.AddrPort
		hasPort  bool
		wantFail bool
	}{
		{"10.0.0.1", netip.MustParseAddrPort("10.0.0.1:0"), false, false},
		{"10.0.0.1:80", netip.MustParseAddrPort("10.0.0.1:80"), true, false},
		{"2001:db8::1", netip.MustParseAddrPort("[2001:db8::1]:0"), false, false},
		{"[2001:db8::1]", netip.MustParseAddrPort("[2001:db8::1]:0"), false, false},
		{"[2001:db8::1]:443", netip.MustParseAddrPort("[2001:db8::1]:443"), true, false},
		{"::ffff:10.0.0.1", netip.MustParseAddrPort("10.0.0.1:0"), false, false},
		{"10.0.0.1:65536", netip.AddrPort{}, false, true},
		{"host.example:80", netip.AddrPort{}, false, true},
		{"", netip.AddrPort{}, false, true},
		{"[]", netip.AddrPort{}, false, true},
	}
	for _, tt := range tests {
		got, hasPort, err := parseEndpoint(tt.in)
		if (err != nil) != tt.wantFail || got != tt.want || hasPort != tt.hasPort {
			t.Errorf("parseEndpoint(%q) = %v, %v, %v; want %v, %v, fail %v", tt.in, got, hasPort, err, tt.want, tt.hasPort, tt.wantFail)
		}
	}
}
