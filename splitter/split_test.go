package splitter

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowsplit/flowsplit/hashing"
	"github.com/flowsplit/flowsplit/internal/oracle"
)

const realDir = "../testdata/real/"

// splitFile runs a split of input into n files in a temporary directory and
// returns the config used (for output paths) and the stats.
func splitFile(t *testing.T, input string, n int, h hashing.Config, mod func(*Config)) (*Config, *Stats) {
	t.Helper()
	dir := t.TempDir()
	var log bytes.Buffer
	c := &Config{
		Input:      input,
		Workers:    n,
		OutPattern: filepath.Join(dir, "out-%d.pcap"),
		Route:      RouteConfig{Hash: h},
		Log:        &log,
	}
	if mod != nil {
		mod(c)
	}
	st, err := Run(context.Background(), c)
	if err != nil {
		t.Fatalf("Run(%s): %v\nlog:\n%s", input, err, log.String())
	}
	return c, st
}

// readOutputs reads every output of c with the independent reader.
func readOutputs(t *testing.T, c *Config) [][]oracle.Record {
	t.Helper()
	outs := make([][]oracle.Record, c.Workers)
	for i := range outs {
		recs, err := oracle.ReadFile(c.OutputPath(i))
		if err != nil {
			t.Fatalf("output %d: gopacket cannot read it: %v", i, err)
		}
		outs[i] = recs
	}
	return outs
}

func oracleOpts(h hashing.Config) oracle.KeyOptions {
	return oracle.KeyOptions{Mode: h.Mode.String(), VLAN: h.VLAN, Prefix4: h.Prefix4, Prefix6: h.Prefix6}
}

// checkSplit asserts that the outputs of c are a flow-consistent split of
// input, judged by the oracle.
func checkSplit(t *testing.T, input string, c *Config, weird []oracle.Record) oracle.Split {
	t.Helper()
	in, err := oracle.ReadFile(input)
	if err != nil {
		t.Fatalf("oracle cannot read input %s: %v", input, err)
	}
	res, err := oracle.CheckSplit(in, readOutputs(t, c), weird, oracleOpts(c.Route.Hash))
	if err != nil {
		t.Fatalf("%s %v: %v", filepath.Base(input), c.Route.Hash.Mode, err)
	}
	return res
}

// classicCaptures are the real classic-pcap captures of link types the
// decoder knows.
var classicCaptures = []string{
	"flows-tls-334conns.pcap",
	"be-usec-pptp-gre.pcap",
	"be-nsec-ether.pcap",
	"le-nsec-vntag.pcap",
	"sll-nsec-tcp-handshake.pcap",
	"rawip-lt101.pcap",
	"rawip-lt12-ipv6-http.pcap",
	"rawipv4-lt228-tcp.pcap",
	"rawipv6-lt229-frag.pcap",
	"sll-tcp-dns.pcap",
	"sll2-http.pcap",
	"null-af2-http-41flows.pcap",
	"null-af30-ipv6-tls.pcap",
	"vlan-collisions.pcap",
	"qinq-88a8-8100-icmp.pcap",
	"vlan-triple-8100.pcap",
	"pppoe-over-qinq-tls.pcap",
	"mpls-vlan-mixed-http.pcap",
	"mixed-eompls-vlan-ipv6-icmp.pcap",
	"ipv4-frags.pcap",
	"ipv4-frags-vlan-ooo-padding.pcap",
	"ipv6-frags.pcap",
	"ipv6-frags-ooo-dns.pcap",
	"ipv6-exthdrs-atomic-frag.pcap",
	"icmp6-errors.pcap",
	"sctp.pcap",
	"snap68-tcp-truncated.pcap",
	"caplen96-tcp-timestamps.pcap",
	"teredo.pcap",
	"gre-in-gre-icmp.pcap",
	"vxlan-tcp-udp.pcap",
}

// TestSplitRealCaptures splits real captures in every mode and checks the
// outputs with gopacket: nothing lost or invented, order kept, each flow on
// one output.
func TestSplitRealCaptures(t *testing.T) {
	for _, name := range classicCaptures {
		for _, m := range hashing.Modes {
			t.Run(name+"/"+m.String(), func(t *testing.T) {
				input := realDir + name
				c, st := splitFile(t, input, 4, hashing.Config{Mode: m}, nil)
				res := checkSplit(t, input, c, nil)
				var sum uint64
				for i, o := range st.Outputs {
					sum += o.Packets
					if int(o.Packets) != res.PerOutput[i] {
						t.Errorf("stats say output %d has %d packets, file has %d", i, o.Packets, res.PerOutput[i])
					}
				}
				if sum != st.Input.Packets {
					t.Errorf("outputs hold %d packets, input had %d", sum, st.Input.Packets)
				}
			})
		}
	}
}

// TestSplitSpreads: a capture with 334 connections uses every output.
func TestSplitSpreads(t *testing.T) {
	input := realDir + "flows-tls-334conns.pcap"
	for _, m := range hashing.Modes {
		c, _ := splitFile(t, input, 4, hashing.Config{Mode: m}, nil)
		res := checkSplit(t, input, c, nil)
		for i, n := range res.PerOutput {
			if n == 0 {
				t.Errorf("%v: output %d got no packet of %d flows", m, i, res.Flows)
			}
		}
	}
}

// TestSplitVLANKey: without --vlan the same connection seen untagged, in
// VLAN 42 and in QinQ 10/20 stays on one output; with --vlan the outputs
// still hold whole flows of the VLAN-aware key.
func TestSplitVLANKey(t *testing.T) {
	input := realDir + "vlan-collisions.pcap"
	for _, vlan := range []bool{false, true} {
		for n := 2; n <= 8; n++ {
			h := hashing.Config{Mode: hashing.Mode5Tuple, VLAN: vlan}
			c, _ := splitFile(t, input, n, h, nil)
			checkSplit(t, input, c, nil)
		}
	}
	// With --vlan, some n must separate the copies of the connection, or
	// the VLAN would not be in the key.
	separated := false
	for n := 2; n <= 8 && !separated; n++ {
		c, _ := splitFile(t, input, n, hashing.Config{Mode: hashing.Mode5Tuple, VLAN: true}, nil)
		used := 0
		for _, o := range readOutputs(t, c) {
			if len(o) > 0 {
				used++
			}
		}
		separated = used > 1
	}
	if !separated {
		t.Error("--vlan never put the VLAN copies of the connection on different outputs")
	}
}

// TestSplitPrefix: with --prefix4 24 / --prefix6 64 every /24 (/64) pair is
// one flow.
func TestSplitPrefix(t *testing.T) {
	input := realDir + "flows-tls-334conns.pcap"
	for _, h := range []hashing.Config{
		{Mode: hashing.Mode2Tuple, Prefix4: 24, Prefix6: 64},
		{Mode: hashing.Mode5Tuple, Prefix4: 24},
		{Mode: hashing.Mode2Tuple, Prefix4: 16, Prefix6: 48},
	} {
		c, _ := splitFile(t, input, 4, h, nil)
		checkSplit(t, input, c, nil)
	}
}

// TestSplitDeterministic: the same input and options give byte-identical
// outputs.
func TestSplitDeterministic(t *testing.T) {
	input := realDir + "flows-tls-334conns.pcap"
	h := hashing.Config{Mode: hashing.Mode5Tuple}
	c1, _ := splitFile(t, input, 5, h, nil)
	c2, _ := splitFile(t, input, 5, h, nil)
	for i := range 5 {
		a, _ := os.ReadFile(c1.OutputPath(i))
		b, _ := os.ReadFile(c2.OutputPath(i))
		if !bytes.Equal(a, b) {
			t.Errorf("output %d differs between two runs", i)
		}
	}
}

// TestOutputHeaders: every output, even one that gets no packet, starts
// with a pcap header carrying the input's link type, snaplen and precision.
func TestOutputHeaders(t *testing.T) {
	cases := []struct {
		file     string
		magic    uint32
		linkType uint32
		snaplen  uint32
	}{
		{"le-nsec-vntag.pcap", 0xa1b23c4d, 1, 65535},
		{"be-nsec-ether.pcap", 0xa1b23c4d, 1, 262144},
		{"be-usec-pptp-gre.pcap", 0xa1b2c3d4, 1, 65535},
		{"sll-nsec-tcp-handshake.pcap", 0xa1b23c4d, 113, 262144},
		{"rawipv4-lt228-tcp.pcap", 0xa1b2c3d4, 228, 65535},
		{"snap68-tcp-truncated.pcap", 0xa1b2c3d4, 1, 68},
	}
	for _, tc := range cases {
		c, _ := splitFile(t, realDir+tc.file, 16, hashing.Config{Mode: hashing.Mode5Tuple}, nil)
		empty := 0
		for i := range 16 {
			b, err := os.ReadFile(c.OutputPath(i))
			if err != nil || len(b) < 24 {
				t.Fatalf("%s output %d: %d bytes, %v", tc.file, i, len(b), err)
			}
			if len(b) == 24 {
				empty++
			}
			le := binary.LittleEndian
			if got := le.Uint32(b[0:]); got != tc.magic {
				t.Errorf("%s output %d: magic %#x, want %#x", tc.file, i, got, tc.magic)
			}
			if maj, min := le.Uint16(b[4:]), le.Uint16(b[6:]); maj != 2 || min != 4 {
				t.Errorf("%s output %d: version %d.%d", tc.file, i, maj, min)
			}
			if got := le.Uint32(b[16:]); got != tc.snaplen {
				t.Errorf("%s output %d: snaplen %d, want %d", tc.file, i, got, tc.snaplen)
			}
			if got := le.Uint32(b[20:]); got != tc.linkType {
				t.Errorf("%s output %d: link type %d, want %d", tc.file, i, got, tc.linkType)
			}
		}
		if empty == 0 {
			t.Errorf("%s: expected some of 16 outputs to be empty (header only)", tc.file)
		}
		checkSplit(t, realDir+tc.file, c, nil)
	}
}

// TestWeird: ARP frames go to --weird; without it they are spread over the
// outputs and counted; nothing is dropped either way.
func TestWeird(t *testing.T) {
	input := realDir + "sll-tcp-dns.pcap"
	h := hashing.Config{Mode: hashing.Mode5Tuple}
	var weirdPath string
	c, st := splitFile(t, input, 3, h, func(c *Config) {
		weirdPath = filepath.Join(filepath.Dir(c.OutPattern), "weird.pcap")
		c.Weird = weirdPath
	})
	weird, err := oracle.ReadFile(weirdPath)
	if err != nil {
		t.Fatal(err)
	}
	if len(weird) == 0 || uint64(len(weird)) != st.Weird.Packets {
		t.Fatalf("weird output has %d packets, stats say %d; want > 0 and equal", len(weird), st.Weird.Packets)
	}
	for _, r := range weird {
		if _, ok := oracle.FlowKey(r, oracleOpts(h)); ok {
			t.Errorf("an IP packet went to the weird output")
		}
	}
	checkSplit(t, input, c, weird)

	c, st2 := splitFile(t, input, 3, h, nil)
	if st2.Weird.Packets != st.Weird.Packets {
		t.Errorf("without --weird: %d weird packets counted, want %d", st2.Weird.Packets, st.Weird.Packets)
	}
	checkSplit(t, input, c, nil)
}

// TestStdin reads the input from a reader standing in for stdin.
func TestStdin(t *testing.T) {
	input := realDir + "null-af2-http-41flows.pcap"
	f, err := os.Open(input)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, st := splitFile(t, "-", 3, hashing.Config{Mode: hashing.Mode4Tuple}, func(c *Config) { c.Stdin = f })
	if st.Input.Name != "stdin" {
		t.Errorf("input name %q, want stdin", st.Input.Name)
	}
	checkSplit(t, input, c, nil)
}

// TestStatsJSON: the JSON statistics parse and add up.
func TestStatsJSON(t *testing.T) {
	input := realDir + "sll-tcp-dns.pcap"
	var path string
	_, _ = splitFile(t, input, 4, hashing.Config{Mode: hashing.Mode5Tuple}, func(c *Config) {
		path = filepath.Join(filepath.Dir(c.OutPattern), "stats.json")
		c.StatsJSON = path
	})
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Input struct {
			Name        string `json:"name"`
			Format      string `json:"format"`
			Packets     uint64 `json:"packets"`
			Bytes       uint64 `json:"bytes"`
			StreamBytes int64  `json:"stream_bytes"`
		} `json:"input"`
		Outputs []struct {
			Index   int    `json:"index"`
			Path    string `json:"path"`
			Packets uint64 `json:"packets"`
			Bytes   uint64 `json:"bytes"`
		} `json:"outputs"`
		Weird struct {
			Packets uint64 `json:"packets"`
		} `json:"weird"`
		Errors         []string `json:"errors"`
		ElapsedSeconds float64  `json:"elapsed_seconds"`
	}
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatalf("stats json: %v\n%s", err, b)
	}
	fi, _ := os.Stat(input)
	if st.Input.Packets != 518 || st.Input.Format != "pcap" || st.Input.StreamBytes != fi.Size() {
		t.Errorf("input stats %+v, want 518 packets of pcap, %d stream bytes", st.Input, fi.Size())
	}
	var p, by uint64
	for i, o := range st.Outputs {
		if o.Index != i || o.Path == "" {
			t.Errorf("output %d: %+v", i, o)
		}
		p += o.Packets
		by += o.Bytes
	}
	if len(st.Outputs) != 4 || p != st.Input.Packets || by != st.Input.Bytes {
		t.Errorf("outputs sum to %d packets %d bytes, input %d/%d", p, by, st.Input.Packets, st.Input.Bytes)
	}
	if st.Weird.Packets == 0 || len(st.Errors) != 0 || st.ElapsedSeconds <= 0 {
		t.Errorf("weird %d errors %v elapsed %v", st.Weird.Packets, st.Errors, st.ElapsedSeconds)
	}
}

// TestBadInput: inputs that are not captures fail with the input's name and
// a byte offset, as an InputError; an existing output is not overwritten
// without Force.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	notCapture := filepath.Join(dir, "notes.txt")
	os.WriteFile(notCapture, []byte("this is not a capture file at all\n"), 0o644)
	shortHeader := filepath.Join(dir, "short.pcap")
	os.WriteFile(shortHeader, []byte{0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0}, 0o644)
	for _, in := range []string{notCapture, shortHeader, realDir + "bad-major-version-1.pcap"} {
		c := &Config{Input: in, Workers: 2, OutPattern: filepath.Join(dir, "o-%d.pcap"), Route: RouteConfig{Hash: hashing.Config{Mode: hashing.Mode5Tuple}}, Force: true}
		_, err := Run(context.Background(), c)
		var ie *InputError
		if !errors.As(err, &ie) {
			t.Errorf("%s: error %v is not an InputError", in, err)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, filepath.Base(in)) || !strings.Contains(msg, "offset") || strings.Contains(msg, "\n") {
			t.Errorf("%s: error %q should be one line naming the input and the byte offset", in, msg)
		}
	}

	out := filepath.Join(dir, "keep-%d.pcap")
	os.WriteFile(filepath.Join(dir, "keep-0.pcap"), []byte("precious"), 0o644)
	c := &Config{Input: realDir + "sctp.pcap", Workers: 1, OutPattern: out, Route: RouteConfig{Hash: hashing.Config{Mode: hashing.Mode5Tuple}}}
	if _, err := Run(context.Background(), c); !errors.Is(err, ErrUsage) {
		t.Errorf("existing output without Force: err %v, want usage error", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "keep-0.pcap")); string(b) != "precious" {
		t.Error("existing output was overwritten without Force")
	}
}

func TestConfigValidate(t *testing.T) {
	ok := Config{Workers: 4, OutPattern: "o-%d.pcap", Route: RouteConfig{Hash: hashing.Config{Mode: hashing.Mode5Tuple}}}
	bad := map[string]func(*Config){
		"0 workers":     func(c *Config) { c.Workers = 0 },
		"1025 workers":  func(c *Config) { c.Workers = 1025 },
		"no %d":         func(c *Config) { c.OutPattern = "out.pcap" },
		"two %d":        func(c *Config) { c.OutPattern = "%d/o-%d.pcap" },
		"prefix4 33":    func(c *Config) { c.Route.Hash.Prefix4 = 33 },
		"bad format":    func(c *Config) { c.Format = "erf" },
		"no hash mode":  func(c *Config) { c.Route.Hash.Mode = 0 },
		"prefix6 -1":    func(c *Config) { c.Route.Hash.Prefix6 = -1 },
		"empty pattern": func(c *Config) { c.OutPattern = "" },
	}
	for name, mod := range bad {
		c := ok
		mod(&c)
		if err := c.Validate(); !errors.Is(err, ErrUsage) {
			t.Errorf("%s: Validate() = %v, want a usage error", name, err)
		}
	}
	c := ok
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := c.OutputPath(12); got != "o-12.pcap" {
		t.Errorf("OutputPath(12) = %q", got)
	}
}

func ExampleConfig_OutputPath() {
	c := Config{OutPattern: "/run/zeek/worker-%d.pcap"}
	fmt.Println(c.OutputPath(3))
	// Output: /run/zeek/worker-3.pcap
}
