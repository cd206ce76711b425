package splitter

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/flowsplit/flowsplit/hashing"
	"github.com/flowsplit/flowsplit/internal/oracle"
)

var fiveTuple = hashing.Config{Mode: hashing.Mode5Tuple}

// oracleRecords reads captures with the oracle, one after the other.
func oracleRecords(t *testing.T, paths ...string) []oracle.Record {
	t.Helper()
	var all []oracle.Record
	for _, p := range paths {
		recs, err := oracle.ReadFile(p)
		if err != nil {
			t.Fatalf("oracle cannot read %s: %v", p, err)
		}
		all = append(all, recs...)
	}
	return all
}

// splitInputs splits inputs into n outputs named pattern (in a temporary
// directory) and returns the config, the stats and the log.
func splitInputs(t *testing.T, inputs []string, n int, pattern string, mod func(*Config)) (*Config, *Stats, string) {
	t.Helper()
	var log bytes.Buffer
	c := &Config{Inputs: inputs, Workers: n, OutPattern: filepath.Join(t.TempDir(), pattern),
		Route: RouteConfig{Hash: fiveTuple}, Log: &log}
	if mod != nil {
		mod(c)
	}
	st, err := Run(context.Background(), c)
	if err != nil {
		t.Fatalf("Run(%v): %v\nlog:\n%s", inputs, err, log.String())
	}
	return c, st, log.String()
}

// TestInputsAsOneStream: several classic pcap inputs come out exactly as
// their concatenation read as one stream does (the same records, byte for
// byte, on the same outputs), and the oracle finds every packet, flows
// whole, order kept.
func TestInputsAsOneStream(t *testing.T) {
	names := []string{"flows-tls-334conns.pcap", "ipv4-frags.pcap", "mpls-vlan-mixed-http.pcap"}
	var paths []string
	var joined []byte
	for _, n := range names {
		paths = append(paths, realDir+n)
		b, err := os.ReadFile(realDir + n)
		if err != nil {
			t.Fatal(err)
		}
		joined = append(joined, b...)
	}
	catPath := filepath.Join(t.TempDir(), "cat.pcap")
	os.WriteFile(catPath, joined, 0o644)

	c, st, _ := splitInputs(t, paths, 3, "out-%d.pcap", nil)
	one, _ := splitFile(t, catPath, 3, fiveTuple, nil)
	for i := range 3 {
		got, _ := os.ReadFile(c.OutputPath(i))
		want, _ := os.ReadFile(one.OutputPath(i))
		if len(got) < 24 || !bytes.Equal(got[24:], want[24:]) {
			t.Errorf("output %d: %d bytes, the concatenated stream's %d, or other records", i, len(got), len(want))
		}
	}
	in := oracleRecords(t, paths...)
	if st.Input.Packets != uint64(len(in)) || st.Input.StreamBytes != int64(len(joined)) {
		t.Errorf("stats: %d packets, %d stream bytes; want %d, %d", st.Input.Packets, st.Input.StreamBytes, len(in), len(joined))
	}
	if !strings.Contains(st.Input.Name, "(3 inputs)") || st.Input.Current != realDir+names[2] || st.Input.Format != "pcap" {
		t.Errorf("stats name %q, current %q, format %q", st.Input.Name, st.Input.Current, st.Input.Format)
	}
	if _, err := oracle.CheckSplit(in, readOutputs(t, c), nil, oracleOpts(c.Route.Hash)); err != nil {
		t.Fatal(err)
	}
}

// TestInputsMixed: classic pcap and pcapng inputs of two link types come
// out as pcapng (--format auto: the later inputs' headers are read before
// the outputs are made), every packet with its link type; --format pcap is
// a usage error before anything is written.
func TestInputsMixed(t *testing.T) {
	paths := []string{realDir + "flows-tls-334conns.pcap", realDir + "icmp4-errors.pcap", realDir + "null-af2-http-41flows.pcap"}
	c, st, log := splitInputs(t, paths, 3, "out-%d.pcap", nil)
	if st.OutputFormat != "pcapng" || st.Input.Format != "mixed" || !strings.Contains(log, "several link types") {
		t.Fatalf("output %s, input %s, log:\n%s", st.OutputFormat, st.Input.Format, log)
	}
	in := oracleRecords(t, paths...)
	outs := readOutputs(t, c)
	perType := map[uint16]int{}
	for _, o := range outs {
		for _, r := range o {
			perType[uint16(r.LinkType)]++
		}
	}
	null := oracleRecords(t, paths[2])
	if perType[uint16(null[0].LinkType)] != len(null) {
		t.Errorf("packets per link type %v, want %d of the null capture's", perType, len(null))
	}
	if _, err := oracle.CheckSplit(in, outs, nil, oracleOpts(c.Route.Hash)); err != nil {
		t.Fatal(err)
	}

	var logb bytes.Buffer
	cp := &Config{Inputs: paths, Workers: 2, OutPattern: filepath.Join(t.TempDir(), "p-%d.pcap"),
		Route: RouteConfig{Hash: fiveTuple}, Format: "pcap", Log: &logb}
	if _, err := Run(context.Background(), cp); !errors.Is(err, ErrUsage) || !strings.Contains(err.Error(), "several") {
		t.Fatalf("--format pcap over two link types: err %v, want a usage error", err)
	}
}

// TestInputsDirectory: a directory stands for its files in the order of
// their first packets, whatever their names: a capture cut into four files
// named as `tcpdump -C` names them (cap, cap1, cap2 ... cap10, so that name
// order is wrong) comes out in capture order. Hidden files,
// subdirectories and FIFOs are left out, an empty file (just rotated) is
// skipped with a warning; an empty directory is an error.
func TestInputsDirectory(t *testing.T) {
	dir := t.TempDir()
	b, _ := os.ReadFile(realDir + "vlan-collisions.pcap")
	var cuts []int // record boundaries
	for off := 24; off < len(b); off += 16 + int(binary.LittleEndian.Uint32(b[off+8:])) {
		cuts = append(cuts, off)
	}
	cuts = append(cuts, len(b))
	q := len(cuts) / 4
	parts := [][2]int{{24, cuts[q]}, {cuts[q], cuts[2*q]}, {cuts[2*q], cuts[3*q]}, {cuts[3*q], len(b)}}
	for i, name := range []string{"cap", "cap1", "cap2", "cap10"} {
		os.WriteFile(filepath.Join(dir, name), append(append([]byte{}, b[:24]...), b[parts[i][0]:parts[i][1]]...), 0o644)
	}
	os.WriteFile(filepath.Join(dir, "cap11"), nil, 0o644)
	os.WriteFile(filepath.Join(dir, ".hidden.pcap"), []byte("not a capture"), 0o644)
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	if err := syscall.Mkfifo(filepath.Join(dir, "cap99"), 0o600); err != nil { // never opened: it would block
		t.Fatal(err)
	}

	c, st, log := splitInputs(t, []string{dir}, 3, "out-%d.pcap", nil)
	if !strings.Contains(log, "cap11: empty file, skipped") || strings.Contains(log, "hidden") {
		t.Errorf("log:\n%s", log)
	}
	in := oracleRecords(t, realDir+"vlan-collisions.pcap")
	if st.Input.Packets != uint64(len(in)) || st.Input.Current != filepath.Join(dir, "cap10") {
		t.Fatalf("%d packets, last input %s; want %d, cap10", st.Input.Packets, st.Input.Current, len(in))
	}
	if _, err := oracle.CheckSplit(in, readOutputs(t, c), nil, oracleOpts(c.Route.Hash)); err != nil {
		t.Fatal(err) // the order of each output is the capture's
	}

	empty := t.TempDir()
	ce := &Config{Input: empty, Workers: 2, OutPattern: filepath.Join(t.TempDir(), "e-%d.pcap"), Route: RouteConfig{Hash: fiveTuple}}
	var ie *InputError
	if _, err := Run(context.Background(), ce); !errors.As(err, &ie) || !strings.Contains(err.Error(), "no file") {
		t.Errorf("empty directory: err %v, want an input error", err)
	}
}

// TestInputsErrors: a later input that is not a capture stops the run
// before any packet is written; damage in a later input is reported with
// that file's name and an offset in it (--strict stops there, the packets
// before it written).
func TestInputsErrors(t *testing.T) {
	dir := t.TempDir()
	good := realDir + "vlan-collisions.pcap"
	notes := filepath.Join(dir, "notes.txt")
	os.WriteFile(notes, []byte("this is not a capture file at all\n"), 0o644)
	var ie *InputError
	c := &Config{Inputs: []string{good, notes}, Workers: 2, OutPattern: filepath.Join(dir, "n-%d.pcap"), Route: RouteConfig{Hash: fiveTuple}}
	st, err := Run(context.Background(), c)
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "notes.txt") || st.Input.Packets != 0 {
		t.Fatalf("not a capture second: err %v, %d packets read", err, st.Input.Packets)
	}

	// The second input's 3rd record gets an absurd caplen.
	b, _ := os.ReadFile(realDir + "ipv4-frags.pcap")
	off := 24
	for range 2 {
		off += 16 + int(binary.LittleEndian.Uint32(b[off+8:]))
	}
	binary.LittleEndian.PutUint32(b[off+8:], 1<<30)
	bad := filepath.Join(dir, "damaged.pcap")
	os.WriteFile(bad, b, 0o644)
	c = &Config{Inputs: []string{good, bad}, Workers: 2, OutPattern: filepath.Join(dir, "d-%d.pcap"), Route: RouteConfig{Hash: fiveTuple}, Strict: true}
	st, err = Run(context.Background(), c)
	want := "damaged.pcap: byte offset " + strconv.Itoa(off)
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), want) {
		t.Fatalf("damage in the second input: err %v, want %q", err, want)
	}
	n := 0
	for _, o := range readOutputs(t, c) {
		n += len(o)
	}
	if first := len(oracleRecords(t, good)); n != first+2 || st.Input.Packets != uint64(n) {
		t.Errorf("%d packets written (stats %d), want the first input's %d and 2 more", n, st.Input.Packets, first)
	}

	// An input that is also an output: refused before anything is opened.
	c = &Config{Inputs: []string{good, dir}, Workers: 2, OutPattern: filepath.Join(dir, "d-%d.pcap"), Route: RouteConfig{Hash: fiveTuple}, Force: true}
	before, _ := os.ReadFile(c.OutputPath(0))
	if _, err := Run(context.Background(), c); !errors.Is(err, ErrUsage) || !strings.Contains(err.Error(), "is an input and an output") {
		t.Errorf("output among the inputs: err %v, want a usage error", err)
	}
	if after, _ := os.ReadFile(c.OutputPath(0)); !bytes.Equal(before, after) || len(after) == 0 {
		t.Error("the output that is an input was changed")
	}

	if err := (&Config{Inputs: []string{"-", good, "-"}, Workers: 1, OutPattern: "x-%d"}).Validate(); !errors.Is(err, ErrUsage) {
		t.Errorf("stdin twice: err %v, want a usage error", err)
	}
}

// TestInputsFragmentsAcrossFiles: IPv4 fragments whose first fragment
// comes last (reordered from a real capture) are held until it comes; the
// capture cut into two files at every record boundary in turn: each
// datagram's fragments stay with their flow, held across the cut when the
// first fragment is in the second file.
func TestInputsFragmentsAcrossFiles(t *testing.T) {
	b := firstFragmentsLast(t, realDir+"ipv4-frags.pcap", 18) // three datagrams, nothing between
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole.pcap")
	os.WriteFile(whole, b, 0o644)
	in := oracleRecords(t, whole)
	o := oracleOpts(fiveTuple)
	o.Datagrams = true // fragments are judged by their datagram's flow
	for off := 24; off < len(b); off += 16 + int(binary.LittleEndian.Uint32(b[off+8:])) {
		first, second := filepath.Join(dir, "1.pcap"), filepath.Join(dir, "2.pcap")
		os.WriteFile(first, b[:off], 0o644)
		os.WriteFile(second, append(append([]byte{}, b[:24]...), b[off:]...), 0o644)
		for _, n := range []int{3, 4, 5, 7} {
			c, st, _ := splitInputs(t, []string{first, second}, n, "out-%d.pcap", nil)
			if _, err := oracle.CheckSplit(in, readOutputs(t, c), nil, o); err != nil {
				t.Fatalf("cut at byte %d, %d outputs: %v", off, n, err)
			}
			if st.Routing.FragmentsTimedOut != 0 {
				t.Fatalf("cut at byte %d: %d fragments released without their first", off, st.Routing.FragmentsTimedOut)
			}
		}
	}
}

// firstFragmentsLast returns the first n records of the classic pcap
// capture path (Ethernet, IPv4 fragments) with each datagram's first
// fragment moved behind its last one.
func firstFragmentsLast(t *testing.T, path string, n int) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var recs [][]byte
	for off := 24; off < len(b) && len(recs) < n; {
		end := off + 16 + int(binary.LittleEndian.Uint32(b[off+8:]))
		recs = append(recs, b[off:end])
		off = end
	}
	// fragment returns the IP ID and whether rec is a first or a last fragment.
	fragment := func(rec []byte) (id uint16, first, last bool) {
		p := rec[16:]
		if len(p) < 34 || binary.BigEndian.Uint16(p[12:]) != 0x0800 {
			return 0, false, false
		}
		fo := binary.BigEndian.Uint16(p[20:])
		off, mf := fo&0x1fff, fo&0x2000 != 0
		return binary.BigEndian.Uint16(p[18:]), off == 0 && mf, off != 0 && !mf
	}
	out := append([]byte{}, b[:24]...)
	waiting := map[uint16][]byte{}
	moved := 0
	for _, rec := range recs {
		id, first, last := fragment(rec)
		switch {
		case first:
			waiting[id] = rec
			continue
		case last && waiting[id] != nil:
			out = append(append(out, rec...), waiting[id]...)
			delete(waiting, id)
			moved++
			continue
		}
		out = append(out, rec...)
	}
	for _, rec := range waiting {
		out = append(out, rec...)
	}
	if moved == 0 {
		t.Fatalf("%s: no fragmented datagram", path)
	}
	return out
}
