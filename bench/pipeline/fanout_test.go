package main

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// TestFanoutFiles: the concurrent file fan-out writes every input byte
// once, chunk i to output i mod N, in order within each output.
func TestFanoutFiles(t *testing.T) {
	dir := t.TempDir()
	in := make([]byte, 3*fanoutChunk+fanoutChunk/2)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range in {
		in[i] = byte(rng.Uint32())
	}
	src := filepath.Join(dir, "in")
	if err := os.WriteFile(src, in, 0o644); err != nil {
		t.Fatal(err)
	}
	outs := outFiles(dir, 2)
	if err := fanoutFiles(src, outs); err != nil {
		t.Fatal(err)
	}
	c := func(i int) []byte { return in[i*fanoutChunk : min((i+1)*fanoutChunk, len(in))] }
	want := [][]byte{append(bytes.Clone(c(0)), c(2)...), append(bytes.Clone(c(1)), c(3)...)}
	for i, p := range outs {
		got, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want[i]) {
			t.Errorf("%s: %d bytes, not the chunks it should hold (%d bytes)", p, len(got), len(want[i]))
		}
	}
	if err := fanoutFiles(src, nil); err == nil {
		t.Error("no outputs: no error")
	}
}
