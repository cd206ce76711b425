package splitter

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/flowsplit/flowsplit/internal/mapfile"
	"github.com/flowsplit/flowsplit/internal/pcapio"
)

// mapInput maps input path, opened as in, when it is an uncompressed
// regular file, so that records are parsed in the page cache instead of
// being copied there by read(2) first (the engine's largest single cost on
// a file). It returns nil for stdin, a FIFO, a compressed file (the
// decompressor reads it), or when mapping fails: the input is then read.
func mapInput(c *Config, path string, in io.Reader) *mapfile.File {
	f, ok := in.(*os.File)
	if !ok || path == "" || path == "-" || c.NoMap {
		return nil
	}
	m, err := mapfile.Map(f)
	if err != nil {
		return nil
	}
	if pcapio.Compressed(m.Bytes()) {
		m.Close()
		return nil
	}
	return m
}

// loopMapped runs loop over a mapped input. Should another process
// truncate the file meanwhile, the first read past its new end faults;
// that fault ends the run as an input error instead of crashing, and the
// deferred flushes still run. A fault anywhere else is a bug: it panics.
func (e *engine) loopMapped(ctx context.Context, w *recordWriter) (err error) {
	if e.src.mapped.Guard(func() { err = e.loop(ctx, w) }) {
		return &InputError{fmt.Errorf("%s: byte offset %d: the input file shrank while being read (another process truncated it)",
			e.src.name, e.src.rd.Stats().BytesRead)}
	}
	return err
}

// scanInterfaces reads input file path once ahead, mapped, and returns every
// interface it declares; ok is false when it cannot (the file is not
// mappable, not a capture, or shrank meanwhile). The pages read leave the
// resident set as the scan passes them, as in the split itself.
func scanInterfaces(path string) (ifs []pcapio.Interface, ok bool) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	m, err := mapfile.Map(f)
	if err != nil {
		return nil, false
	}
	defer m.Close()
	m.Guard(func() {
		rd, err := pcapio.NewReaderBytes(m.Bytes(), pcapio.ReaderOptions{Name: path})
		if err != nil {
			return
		}
		defer rd.Close()
		var rec pcapio.Record
		for rd.Next(&rec) == nil {
			m.Advance(rec.Offset)
		}
		ifs, ok = rd.Interfaces(), true
	})
	return ifs, ok
}
