package splitter

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
	"github.com/klauspost/compress/zstd"

	"github.com/flowsplit/flowsplit/hashing"
	"github.com/flowsplit/flowsplit/internal/oracle"
)

var le = binary.LittleEndian

// pcapdjHead builds the stream pcapdj's current version (wiretap writer)
// emits for recs, byte for byte as recorded in research/pcapdj.md: a
// little-endian SHB, one Ethernet IDB with if_tsresol 0 (whole seconds),
// then EPBs with timestamps in seconds.
func pcapdjHead(recs []oracle.Record) []byte {
	b := []byte{
		0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0, // SHB, len 28, BOM, v1.0
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x1c, 0, 0, 0, // section length -1, trailer
		1, 0, 0, 0, 0x20, 0, 0, 0, 1, 0, 0, 0, 0, 0, 4, 0, // IDB, len 32, linktype 1, snaplen 262144
		9, 0, 1, 0, 0, 0, 0, 0, // if_tsresol = 10^0
		0, 0, 0, 0, 0x20, 0, 0, 0, // opt_endofopt, trailer
	}
	for _, r := range recs {
		n := 32 + (len(r.Data)+3)&^3
		b = le.AppendUint32(b, 6)
		b = le.AppendUint32(b, uint32(n))
		b = le.AppendUint32(b, 0) // interface 0
		ts := uint64(r.Time.Unix())
		b = le.AppendUint32(b, uint32(ts>>32))
		b = le.AppendUint32(b, uint32(ts))
		b = le.AppendUint32(b, uint32(len(r.Data)))
		b = le.AppendUint32(b, uint32(r.OrigLen))
		b = append(b, r.Data...)
		b = append(b, make([]byte, (4-len(r.Data)%4)%4)...)
		b = le.AppendUint32(b, uint32(n))
	}
	return b
}

// pcapdjOld builds the classic pcap that pcapdj's libpcap build emits:
// snaplen 65535, Ethernet, microseconds; records as they are, even when
// longer than the snaplen.
func pcapdjOld(recs []oracle.Record) []byte {
	b := []byte{0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0}
	for _, r := range recs {
		b = le.AppendUint32(b, uint32(r.Time.Unix()))
		b = le.AppendUint32(b, uint32(r.Time.Nanosecond()/1000))
		b = le.AppendUint32(b, uint32(len(r.Data)))
		b = le.AppendUint32(b, uint32(r.OrigLen))
		b = append(b, r.Data...)
	}
	return b
}

// feedFIFO writes data into a new FIFO in 4 KiB pieces, pausing pause
// after every pauseEvery pieces, like pcapdj's stdio buffer does. It
// returns the FIFO's path; the writer's error arrives on the channel.
func feedFIFO(t *testing.T, data []byte, pauseEvery int, pause time.Duration) (string, <-chan error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pcapdj.fifo")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		w, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			done <- err
			return
		}
		defer w.Close()
		for i := 0; len(data) > 0; i++ {
			n := min(4096, len(data))
			if _, err := w.Write(data[:n]); err != nil {
				done <- err
				return
			}
			data = data[n:]
			if pauseEvery > 0 && i%pauseEvery == pauseEvery-1 {
				time.Sleep(pause)
			}
		}
		done <- nil
	}()
	return path, done
}

// TestPcapdjStreams: both pcapdj output formats, delivered through a FIFO
// in 4 KiB pieces with pauses, split with nothing lost and flows whole.
func TestPcapdjStreams(t *testing.T) {
	src, err := oracle.ReadFile(realDir + "flows-tls-334conns.pcap")
	if err != nil {
		t.Fatal(err)
	}
	src = src[:2500]
	// Old pcapdj copies records longer than its 65535 snaplen verbatim.
	big := src[100]
	big.Data = append(bytes.Clone(big.Data), make([]byte, 70000-len(big.Data))...)
	big.CapLen, big.OrigLen = 70000, 70000
	old := append(append(append([]oracle.Record{}, src[:100]...), big), src[101:]...)
	// The current pcapdj declares whole seconds (gopacket's pcapng reader
	// misreads if_tsresol 0, so the expected records are built here).
	secs := make([]oracle.Record, len(src))
	for i, r := range src {
		r.Time = time.Unix(r.Time.Unix(), 0)
		secs[i] = r
	}

	for _, tc := range []struct {
		name   string
		stream []byte
		recs   []oracle.Record
	}{
		{"head-pcapng-seconds", pcapdjHead(src), secs},
		{"old-pcap-caplen-over-snaplen", pcapdjOld(old), old},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, fed := feedFIFO(t, tc.stream, 40, 150*time.Millisecond)
			dir := t.TempDir()
			var log bytes.Buffer
			c := &Config{Input: in, Workers: 4, OutPattern: filepath.Join(dir, "o-%d.pcap"),
				Route: RouteConfig{Hash: hashing.Config{Mode: hashing.Mode5Tuple}}, Log: &log}
			st, err := Run(context.Background(), c)
			if err != nil {
				t.Fatalf("Run: %v\n%s", err, log.String())
			}
			if err := <-fed; err != nil {
				t.Fatal(err)
			}
			if st.Input.Packets != uint64(len(tc.recs)) {
				t.Fatalf("read %d packets, stream has %d", st.Input.Packets, len(tc.recs))
			}
			if _, err := oracle.CheckSplit(tc.recs, readOutputs(t, c), nil, oracleOpts(c.Route.Hash)); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestPauseFlushes: while the input pauses, every packet read so far is
// already in the outputs (low-rate input does not sit in buffers).
func TestPauseFlushes(t *testing.T) {
	data, err := os.ReadFile(realDir + "flows-tls-334conns.pcap")
	if err != nil {
		t.Fatal(err)
	}
	cut := 300000 // bytes before the pause
	path := filepath.Join(t.TempDir(), "in.fifo")
	syscall.Mkfifo(path, 0o600)
	release := make(chan struct{})
	go func() {
		w, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer w.Close()
		w.Write(data[:cut])
		<-release
		w.Write(data[cut:])
	}()
	dir := t.TempDir()
	c := &Config{Input: path, Workers: 3, OutPattern: filepath.Join(dir, "o-%d.pcap"),
		Route: RouteConfig{Hash: hashing.Config{Mode: hashing.Mode5Tuple}}}
	done := make(chan error, 1)
	go func() { _, err := Run(context.Background(), c); done <- err }()

	// Records wholly inside the first cut bytes.
	all, _ := oracle.ReadFile(realDir + "flows-tls-334conns.pcap")
	off, whole := 24, 0
	for _, r := range all {
		if off+16+len(r.Data) > cut {
			break
		}
		off += 16 + len(r.Data)
		whole++
	}
	deadline := time.Now().Add(5 * time.Second)
	got := 0
	for time.Now().Before(deadline) {
		got = 0
		for i := range 3 {
			recs, _ := oracle.ReadFile(c.OutputPath(i)) // a partial last batch reads short
			got += len(recs)
		}
		if got == whole {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got != whole {
		t.Fatalf("during the pause the outputs held %d packets, %d were read", got, whole)
	}
}

// TestCompressedInput: gzip and zstd captures are recognised by magic, from
// a path and from stdin.
func TestCompressedInput(t *testing.T) {
	name := realDir + "null-af2-http-41flows.pcap"
	raw, _ := os.ReadFile(name)
	var gz, zs bytes.Buffer
	gw := gzip.NewWriter(&gz)
	gw.Write(raw)
	gw.Close()
	zw, _ := zstd.NewWriter(&zs)
	zw.Write(raw)
	zw.Close()
	for ext, b := range map[string][]byte{"gz": gz.Bytes(), "zst": zs.Bytes()} {
		path := filepath.Join(t.TempDir(), "in.pcap."+ext)
		os.WriteFile(path, b, 0o644)
		c, _ := splitFile(t, path, 3, hashing.Config{Mode: hashing.Mode5Tuple}, nil)
		checkSplit(t, name, c, nil)
		f, _ := os.Open(path)
		c, _ = splitFile(t, "-", 3, hashing.Config{Mode: hashing.Mode5Tuple}, func(c *Config) { c.Stdin = f })
		f.Close()
		checkSplit(t, name, c, nil)
	}
}

// TestDamage: garbage inserted mid-stream is skipped and reported with its
// offset, and nothing else is lost; --strict stops there instead (after
// writing everything before it); a truncated last record is a warning.
func TestDamage(t *testing.T) {
	src := realDir + "null-af2-http-41flows.pcap"
	raw, _ := os.ReadFile(src)
	recs, _ := oracle.ReadFile(src)
	// Insert garbage after record 300.
	off := 24
	for _, r := range recs[:300] {
		off += 16 + len(r.Data)
	}
	garbage := bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef, 0x17}, 61)
	damaged := append(append(append([]byte{}, raw[:off]...), garbage...), raw[off:]...)
	path := filepath.Join(t.TempDir(), "damaged.pcap")
	os.WriteFile(path, damaged, 0o644)

	var log bytes.Buffer
	c, st := splitFile(t, path, 3, hashing.Config{Mode: hashing.Mode5Tuple}, func(c *Config) { c.Log = &log })
	checkSplit(t, src, c, nil) // every packet of the undamaged capture
	if st.Input.SkippedBytes != int64(len(garbage)) || st.Input.Resyncs != 1 {
		t.Errorf("skipped %d bytes in %d places, want %d in 1", st.Input.SkippedBytes, st.Input.Resyncs, len(garbage))
	}
	if !strings.Contains(log.String(), "offset") {
		t.Errorf("damage not reported with its offset:\n%s", log.String())
	}

	// --strict: exit at the damage, everything before it written.
	dir := t.TempDir()
	cs := &Config{Input: path, Workers: 3, OutPattern: filepath.Join(dir, "s-%d.pcap"), Strict: true,
		Route: RouteConfig{Hash: hashing.Config{Mode: hashing.Mode5Tuple}}}
	_, err := Run(context.Background(), cs)
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "offset") {
		t.Fatalf("strict: err %v, want an input error with the offset", err)
	}
	n := 0
	for i := range 3 {
		got, err := oracle.ReadFile(cs.OutputPath(i))
		if err != nil {
			t.Fatal(err)
		}
		n += len(got)
	}
	if n != 300 {
		t.Errorf("strict: %d packets written before the damage, want 300", n)
	}

	// A truncated last record: a warning, the rest split, no error.
	trunc := filepath.Join(t.TempDir(), "trunc.pcap")
	os.WriteFile(trunc, raw[:len(raw)-10], 0o644)
	log.Reset()
	_, st = splitFile(t, trunc, 2, hashing.Config{Mode: hashing.Mode5Tuple}, func(c *Config) { c.Log = &log })
	if st.Input.Packets != uint64(len(recs)-1) || !strings.Contains(log.String(), "warning") {
		t.Errorf("truncated: %d packets (want %d) log %q", st.Input.Packets, len(recs)-1, log.String())
	}
	cs.Input, cs.OutPattern = trunc, filepath.Join(dir, "t-%d.pcap")
	if _, err := Run(context.Background(), cs); !errors.As(err, &ie) {
		t.Errorf("truncated with strict: err %v, want an input error", err)
	}
}

// TestFormats: pcapng input with several link types gives pcapng outputs
// declaring every interface; --format pcap with mixed link types is a usage
// error; --format pcapng on pcap input works.
func TestFormats(t *testing.T) {
	for _, name := range []string{"pcapng-11if-ether-null-raw.pcapng", "pcapng-ether-sll-truncated.pcapng", "pcapng-be-3sections-spb.pcapng"} {
		c, st := splitFile(t, realDir+name, 3, hashing.Config{Mode: hashing.Mode5Tuple}, nil)
		if st.OutputFormat != "pcapng" {
			t.Errorf("%s: output format %s, want pcapng", name, st.OutputFormat)
		}
		for i := range 3 {
			b, _ := os.ReadFile(c.OutputPath(i))
			if len(b) < 4 || le.Uint32(b) != 0x0a0d0d0a {
				t.Errorf("%s output %d is not pcapng", name, i)
			}
		}
		// Every packet, on every interface, comes out with its link type.
		in, _ := oracle.ReadFile(realDir + name)
		count := func(recs []oracle.Record, m map[layers.LinkType]int) {
			for _, r := range recs {
				m[r.LinkType]++
			}
		}
		want, got := map[layers.LinkType]int{}, map[layers.LinkType]int{}
		count(in, want)
		for _, o := range readOutputs(t, c) {
			count(o, got)
		}
		if !maps.Equal(got, want) || uint64(len(in)) != st.Input.Packets {
			t.Errorf("%s: packets per link type out %v, in %v (%d read)", name, got, want, st.Input.Packets)
		}
	}
	_, err := Run(context.Background(), &Config{Input: realDir + "pcapng-11if-ether-null-raw.pcapng", Workers: 2,
		OutPattern: filepath.Join(t.TempDir(), "x-%d"), Format: "pcap", Route: RouteConfig{Hash: hashing.Config{Mode: hashing.Mode5Tuple}}})
	if !errors.Is(err, ErrUsage) {
		t.Errorf("--format pcap on mixed link types: %v, want usage error", err)
	}
	c, st := splitFile(t, realDir+"sctp.pcap", 2, hashing.Config{Mode: hashing.Mode5Tuple}, func(c *Config) { c.Format = "pcapng" })
	if st.OutputFormat != "pcapng" {
		t.Errorf("--format pcapng: got %s", st.OutputFormat)
	}
	in, _ := oracle.ReadFile(realDir + "sctp.pcap")
	outs := readOutputs(t, c)
	if n := len(outs[0]) + len(outs[1]); n != len(in) {
		t.Errorf("--format pcapng: %d packets out of %d", n, len(in))
	}
}

// TestConcatenated: `cat a.pcap b.pcap | flowsplit` continues at the second
// file header (noted on the log) and splits both files' packets.
func TestConcatenated(t *testing.T) {
	a, _ := os.ReadFile(realDir + "null-af2-http-41flows.pcap")
	b, _ := os.ReadFile(realDir + "null-af2-http-41flows.pcap")
	path := filepath.Join(t.TempDir(), "cat.pcap")
	os.WriteFile(path, append(a, b...), 0o644)
	var log bytes.Buffer
	c, st := splitFile(t, path, 3, hashing.Config{Mode: hashing.Mode5Tuple}, func(c *Config) { c.Log = &log })
	one, _ := oracle.ReadFile(realDir + "null-af2-http-41flows.pcap")
	if st.Input.Packets != uint64(2*len(one)) {
		t.Fatalf("read %d packets, want %d", st.Input.Packets, 2*len(one))
	}
	if !strings.Contains(log.String(), "header") {
		t.Errorf("second file header not noted:\n%s", log.String())
	}
	if _, err := oracle.CheckSplit(append(append([]oracle.Record{}, one...), one...), readOutputs(t, c), nil, oracleOpts(c.Route.Hash)); err != nil {
		t.Fatal(err)
	}
}

// TestConcatenatedLinkTypes: `cat eth.pcap null.pcap | flowsplit` with
// pcapng outputs carries on at a file header of another link type, as a
// second interface: every packet of both files comes out with its link
// type, flows whole. With pcap outputs it stops there (exit 3) with a
// message to use pcapng, everything before written.
func TestConcatenatedLinkTypes(t *testing.T) {
	a, _ := os.ReadFile(realDir + "flows-tls-334conns.pcap")
	b, _ := os.ReadFile(realDir + "null-af2-http-41flows.pcap")
	path := filepath.Join(t.TempDir(), "cat.pcap")
	os.WriteFile(path, append(append([]byte{}, a...), b...), 0o644)
	eth, _ := oracle.ReadFile(realDir + "flows-tls-334conns.pcap")
	null, _ := oracle.ReadFile(realDir + "null-af2-http-41flows.pcap")

	// The output names ask for pcapng (--format auto).
	var log bytes.Buffer
	c, st := splitFile(t, path, 3, hashing.Config{Mode: hashing.Mode5Tuple}, func(c *Config) {
		c.Log = &log
		c.OutPattern = strings.TrimSuffix(c.OutPattern, ".pcap") + ".pcapng"
	})
	if st.OutputFormat != "pcapng" || !strings.Contains(log.String(), "of link type 0: continuing as interface 1") ||
		strings.Count(log.String(), "several link types (1, 0)") != 1 {
		t.Fatalf("output format %s, log:\n%s", st.OutputFormat, log.String())
	}
	outs := readOutputs(t, c)
	nulls := 0
	for _, o := range outs {
		for _, r := range o {
			if r.LinkType == null[0].LinkType {
				nulls++
			}
		}
	}
	if nulls != len(null) || null[0].LinkType == eth[0].LinkType {
		t.Errorf("%d packets of the null capture's link type out, want %d", nulls, len(null))
	}
	all := append(append([]oracle.Record{}, eth...), null...)
	if _, err := oracle.CheckSplit(all, outs, nil, oracleOpts(c.Route.Hash)); err != nil {
		t.Fatal(err)
	}

	// pcap outputs: exit 3 at the first null packet, the Ethernet ones out.
	cs := &Config{Input: path, Workers: 3, OutPattern: filepath.Join(t.TempDir(), "o-%d.pcap"),
		Route: RouteConfig{Hash: hashing.Config{Mode: hashing.Mode5Tuple}}, Log: &log}
	_, err := Run(context.Background(), cs)
	var ie *InputError
	if at := fmt.Sprintf("byte offset %d:", len(a)+24); !errors.As(err, &ie) || !strings.Contains(err.Error(), "use --format pcapng") || !strings.Contains(err.Error(), at) {
		t.Fatalf("pcap outputs: err %v, want an input error at %s suggesting pcapng", err, at)
	}
	n := 0
	for _, o := range readOutputs(t, cs) {
		n += len(o)
	}
	if n != len(eth) {
		t.Errorf("pcap outputs: %d packets written before the stop, want %d", n, len(eth))
	}
}

// TestLateInterface: a pcapng file whose second link type is declared
// after thousands of packets (made here by splitting a concatenated pcap
// into one pcapng output) is scanned ahead, so --format auto picks pcapng
// for a .pcap pattern and splits every packet; the same bytes from a FIFO
// cannot be scanned and stop at that interface with exit 3.
func TestLateInterface(t *testing.T) {
	a, _ := os.ReadFile(realDir + "flows-tls-334conns.pcap")
	b, _ := os.ReadFile(realDir + "null-af2-http-41flows.pcap")
	dir := t.TempDir()
	cat := filepath.Join(dir, "cat.pcap")
	os.WriteFile(cat, append(append([]byte{}, a...), b...), 0o644)
	one, _ := splitFile(t, cat, 1, hashing.Config{Mode: hashing.Mode5Tuple}, func(c *Config) { c.OutPattern = filepath.Join(dir, "late-%d.pcapng") })
	late := one.OutputPath(0)
	in, err := oracle.ReadFile(late)
	if err != nil || len(in) != 7451+614 {
		t.Fatalf("made %d packets: %v", len(in), err)
	}

	c, st := splitFile(t, late, 3, hashing.Config{Mode: hashing.Mode5Tuple}, nil)
	if st.OutputFormat != "pcapng" || st.Input.Packets != uint64(len(in)) {
		t.Fatalf("file: output format %s, %d packets", st.OutputFormat, st.Input.Packets)
	}
	if _, err := oracle.CheckSplit(in, readOutputs(t, c), nil, oracleOpts(c.Route.Hash)); err != nil {
		t.Fatal(err)
	}

	data, _ := os.ReadFile(late)
	fifo, fed := feedFIFO(t, data, 1<<20, 0)
	cs := &Config{Input: fifo, Workers: 3, OutPattern: filepath.Join(dir, "s-%d.pcap"),
		Route: RouteConfig{Hash: hashing.Config{Mode: hashing.Mode5Tuple}}}
	_, err = Run(context.Background(), cs)
	<-fed
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "use --format pcapng") {
		t.Fatalf("FIFO: err %v, want an input error suggesting pcapng", err)
	}
}

// TestRealCorruptCapture: a real capture whose 7th record header is
// garbage (caplen 4325376). libpcap stops there; flowsplit reports the
// damage with its offset, skips it, and splits every record libpcap reads
// plus the good ones after the damage. With --strict it stops there.
func TestRealCorruptCapture(t *testing.T) {
	name := realDir + "corrupt-record-hdr-after-6.pcap"
	good, _ := oracle.ReadFile(name) // gopacket, like libpcap, stops at the damage
	if len(good) != 6 {
		t.Fatalf("oracle read %d records, the manifest says 6", len(good))
	}
	var log bytes.Buffer
	c, st := splitFile(t, name, 2, hashing.Config{Mode: hashing.Mode5Tuple}, func(c *Config) { c.Log = &log })
	if st.Input.SkippedBytes == 0 || st.Input.Packets <= 6 || !strings.Contains(log.String(), "offset 5035") {
		t.Errorf("skipped %d bytes, %d packets, log %q", st.Input.SkippedBytes, st.Input.Packets, log.String())
	}
	var out []oracle.Record
	for _, o := range readOutputs(t, c) {
		out = append(out, o...)
	}
	if uint64(len(out)) != st.Input.Packets {
		t.Errorf("outputs hold %d packets, %d read", len(out), st.Input.Packets)
	}
	for i, g := range good {
		found := false
		for _, o := range out {
			if o.Time.Equal(g.Time) && bytes.Equal(o.Data, g.Data) {
				found = true
			}
		}
		if !found {
			t.Errorf("record %d before the damage is missing", i)
		}
	}
	_, err := Run(context.Background(), &Config{Input: name, Workers: 2, Strict: true, OutPattern: filepath.Join(t.TempDir(), "s-%d"),
		Route: RouteConfig{Hash: hashing.Config{Mode: hashing.Mode5Tuple}}})
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "byte offset 5035") {
		t.Errorf("strict: %v, want an input error at byte offset 5035", err)
	}
}
