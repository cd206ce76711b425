package splitter

import (
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/flowsplit/flowsplit/internal/oracle"
	"github.com/flowsplit/flowsplit/internal/pcapio"
)

// pcapRecord returns a classic pcap record of 4 bytes, each c.
func pcapRecord(c byte) []byte {
	return append([]byte{16, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0}, c, c, c, c)
}

// pcapRecords returns a record for each byte of cs.
func pcapRecords(cs string) []byte {
	var b []byte
	for _, c := range []byte(cs) {
		b = append(b, pcapRecord(c)...)
	}
	return b
}

// testSpill returns a spill of a pcap output whose header is 24 bytes 'h'.
func testSpill(t *testing.T) (*spill, *sink) {
	s := &sink{index: 3, format: pcapio.FormatPcap, log: &logger{w: io.Discard}}
	s.header.Store(&outHeader{b: bytes.Repeat([]byte{'h'}, 24)})
	return newSpill(t.TempDir(), 1<<30, s), s
}

// keptFile returns the spill file kept at exit.
func keptFile(t *testing.T, p *spill) []byte {
	t.Helper()
	_, kept := p.stats()
	got, err := os.ReadFile(kept)
	if err != nil {
		t.Fatalf("kept spill file: %v", err)
	}
	return got
}

// A spill file kept at exit after part of it was replayed starts with the
// output's header as it is at exit, then the records not replayed, even
// when that header grew meanwhile (a pcapng interface declared after the
// spill began): the kept file must be a capture of exactly those records.
func TestSpillKeptAfterHeaderGrew(t *testing.T) {
	p, s := testSpill(t)
	records := pcapRecords("abcde")
	if !p.append(&batch{b: records, packets: 5, bytes: 20}) {
		t.Fatal("append failed")
	}
	chunk, _ := p.next()
	p.unread(chunk[2*20:]) // the writer replayed two records
	grown := bytes.Repeat([]byte{'H'}, 56)
	s.header.Store(&outHeader{b: grown})
	p.finish()
	if got, want := keptFile(t, p), append(append([]byte{}, grown...), records[40:]...); !bytes.Equal(got, want) {
		t.Fatalf("kept spill file:\n%q\nwant\n%q", got, want)
	}
}

// Records the writer could not deliver came from its queue: they are older
// than the batches the engine spilled meanwhile, and the kept file (or the
// replay) has them first, in the order kept; what was replayed of them is
// not kept.
func TestSpillKeepsQueuedRecordsFirst(t *testing.T) {
	for _, replayed := range []int{0, 1} {
		p, _ := testSpill(t)
		if !p.keep(pcapRecords("ab"), 0) {
			t.Fatal("keep failed")
		}
		if !p.append(&batch{b: pcapRecords("ef"), packets: 2, bytes: 8}) {
			t.Fatal("append failed")
		}
		if !p.keep(pcapRecords("cd"), 0) {
			t.Fatal("keep failed")
		}
		if !p.active() {
			t.Fatal("the spill is off after keep: the engine would queue newer records ahead of kept ones")
		}
		if replayed > 0 {
			chunk, _ := p.next()
			if want := pcapRecords("abcd"); !bytes.Equal(chunk, want) {
				t.Fatalf("replay starts with %q, want %q", chunk, want)
			}
			p.unread(chunk[replayed*20:])
		}
		p.finish()
		want := append(bytes.Repeat([]byte{'h'}, 24), pcapRecords("abcdef"[replayed:])...)
		if got := keptFile(t, p); !bytes.Equal(got, want) {
			t.Errorf("%d replayed: kept spill file:\n%q\nwant\n%q", replayed, got, want)
		}
		if _, err := os.Stat(p.path + ".tmp"); !os.IsNotExist(err) {
			t.Errorf("temporary file left: %v", err)
		}
	}
}

// Replay gives the kept records, then the file's, then turns the spill off.
func TestSpillReplayOrder(t *testing.T) {
	p, _ := testSpill(t)
	p.keep(pcapRecords("a"), 0)
	p.append(&batch{b: pcapRecords("b"), packets: 1, bytes: 4})
	p.keep(pcapRecords("c"), 0)
	var got []byte
	for {
		chunk, _ := p.next()
		if chunk == nil {
			break
		}
		got = append(got, chunk...)
	}
	if want := pcapRecords("acb"); !bytes.Equal(got, want) {
		t.Errorf("replayed %q, want %q", got, want)
	}
	if p.active() {
		t.Error("the spill is still on after everything was replayed")
	}
	if _, err := os.Stat(p.path); !os.IsNotExist(err) {
		t.Errorf("spill file left after the replay: %v", err)
	}
}

// A pcapng spill file is a stream of its own: its header declares the
// interfaces the output's stream declared before the spilled records, the
// records' own interface blocks declare the others, and a file kept after
// part of it was replayed declares each interface once, before its
// packets, wherever the replay stopped.
func TestSpillInterfaces(t *testing.T) {
	ifs := &ifaceMap{global: []pcapio.Interface{{LinkType: 1, SnapLen: 65535}, {LinkType: 0, SnapLen: 65535}}}
	w := newRecordWriter(pcapio.FormatPcapNG, ifs, pcapio.Nano, 65535)
	h := newOutHeader(w) // both interfaces known by now
	epb := func(iface int, lt uint16) []byte {
		rec := pcapio.Record{LinkType: lt, Interface: iface, Sec: 1, CapLen: 40, OrigLen: 40, Data: make([]byte, 40)}
		return w.appendRecord(nil, &rec)
	}
	a, idb1, b := epb(0, 1), pcapio.AppendPcapngIDB(nil, ifs.global[1]), epb(1, 0)
	data := append(append(append([]byte{}, a...), idb1...), b...)
	for _, c := range []struct {
		name      string
		delivered int // bytes of the replayed chunk that reached the output
		want      []uint16
	}{
		{"nothing replayed", -1, []uint16{1, 0}},
		{"first packet replayed", len(a), []uint16{0}},
		{"first packet and interface block replayed", len(a) + len(idb1), []uint16{0}},
	} {
		s := &sink{index: 1, format: pcapio.FormatPcapNG, log: &logger{w: io.Discard}}
		s.header.Store(h)
		p := newSpill(t.TempDir(), 1<<30, s)
		if !p.keep(data, 1) { // the stream declared one interface before
			t.Fatal("keep failed")
		}
		if c.delivered >= 0 {
			chunk, before := p.next()
			if !bytes.Equal(chunk, data) || before != 1 {
				t.Fatalf("%s: replay gave %d bytes after %d interfaces, want %d after 1", c.name, len(chunk), before, len(data))
			}
			p.unread(chunk[c.delivered:])
		}
		p.finish()
		_, kept := p.stats()
		raw, err := os.ReadFile(kept)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := oracle.Read(bytes.NewReader(raw))
		if err != nil || len(recs) != len(c.want) {
			t.Fatalf("%s: kept file has %d packets (%v), want %d", c.name, len(recs), err, len(c.want))
		}
		for i, r := range recs {
			if uint16(r.LinkType) != c.want[i] {
				t.Errorf("%s: kept packet %d reads as link type %d, want %d", c.name, i, r.LinkType, c.want[i])
			}
		}
		if n := countIDBs(pcapio.FormatPcapNG, raw); n != 2 {
			t.Errorf("%s: kept file has %d interface blocks, want 2", c.name, n)
		}
	}
}

// When the kept file cannot be rebuilt, the spill file stays as it is
// (its records are not lost with the ones held in memory), and the log
// says what was lost.
func TestSpillRewriteFails(t *testing.T) {
	p, s := testSpill(t)
	var log bytes.Buffer
	s.log = &logger{w: &log}
	p.keep(pcapRecords("a"), 0)
	p.append(&batch{b: pcapRecords("bc"), packets: 2, bytes: 8})
	if err := os.Mkdir(p.path+".tmp", 0o700); err != nil { // the new file cannot be created
		t.Fatal(err)
	}
	p.finish()
	if want := append(bytes.Repeat([]byte{'h'}, 24), pcapRecords("bc")...); !bytes.Equal(keptFile(t, p), want) {
		t.Errorf("kept file %q, want the spill file as it was, %q", keptFile(t, p), want)
	}
	// Every packet is still written, dropped or left in the spill file.
	if sp, _ := p.stats(); sp.packets != 2 || s.dropped.load().packets != 1 {
		t.Errorf("spilled %d, dropped %d packets, want the 2 in the file spilled and the lost 1 dropped", sp.packets, s.dropped.load().packets)
	}
	if !bytes.Contains(log.Bytes(), []byte("cannot rewrite spill file")) || !bytes.Contains(log.Bytes(), []byte("20 bytes of packets not delivered are lost")) {
		t.Errorf("log does not say what was lost:\n%s", log.String())
	}
}

// Kept records and the file's spilled ones with interfaces declared
// between them elsewhere (a batch that reached a reader in between): the
// kept file declares those interfaces before the file's records.
func TestSpillKeptInterfaceGap(t *testing.T) {
	ifs := &ifaceMap{global: []pcapio.Interface{{LinkType: 1, SnapLen: 65535}, {LinkType: 0, SnapLen: 65535}}}
	w := newRecordWriter(pcapio.FormatPcapNG, ifs, pcapio.Nano, 65535)
	h := newOutHeader(w)
	epb := func(iface int, lt uint16) []byte {
		rec := pcapio.Record{LinkType: lt, Interface: iface, Sec: 1, CapLen: 40, OrigLen: 40, Data: make([]byte, 40)}
		return w.appendRecord(nil, &rec)
	}
	s := &sink{index: 1, format: pcapio.FormatPcapNG, log: &logger{w: io.Discard}}
	s.header.Store(h)
	p := newSpill(t.TempDir(), 1<<30, s)
	p.keep(epb(0, 1), 1)                                                   // after interface 0
	p.append(&batch{b: epb(1, 0), packets: 1, bytes: 40, ifacesBefore: 2}) // interface 1 declared in between
	p.finish()
	raw, err := os.ReadFile(p.path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := oracle.Read(bytes.NewReader(raw))
	if err != nil || len(recs) != 2 || recs[0].LinkType != 1 || recs[1].LinkType != 0 {
		t.Fatalf("kept file: %d packets (%v), want link types 1 then 0", len(recs), err)
	}
	if n := countIDBs(pcapio.FormatPcapNG, raw); n != 2 {
		t.Errorf("kept file has %d interface blocks, want 2", n)
	}
}
