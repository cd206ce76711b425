package splitter

import (
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/flowsplit/flowsplit/internal/pcapio"
)

// A spill file kept at exit after part of it was replayed starts with the
// output's header as it is at exit, then the records not replayed, even
// when that header grew meanwhile (a pcapng interface declared after the
// spill began): the kept file must be a capture of exactly those records.
func TestSpillKeptAfterHeaderGrew(t *testing.T) {
	s := &sink{index: 3, format: pcapio.FormatPcap, log: &logger{w: io.Discard}}
	first := bytes.Repeat([]byte{'h'}, 24)
	s.header.Store(&first)
	p := newSpill(t.TempDir(), 1<<30, s)
	rec := func(c byte) []byte { return append([]byte{16, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0}, c, c, c, c) }
	var records []byte
	for c := byte('a'); c <= 'e'; c++ {
		records = append(records, rec(c)...)
	}
	if !p.keep(records) {
		t.Fatal("keep failed")
	}
	p.readOff += 2 * 20 // the writer replayed two records
	grown := bytes.Repeat([]byte{'H'}, 56)
	s.header.Store(&grown)
	p.finish()
	_, kept := p.stats()
	got, err := os.ReadFile(kept)
	if err != nil {
		t.Fatalf("kept spill file: %v", err)
	}
	if want := append(append([]byte{}, grown...), records[40:]...); !bytes.Equal(got, want) {
		t.Fatalf("kept spill file:\n%q\nwant\n%q", got, want)
	}
}
