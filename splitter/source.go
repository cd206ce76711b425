package splitter

import (
	"context"
	"fmt"
	"os"

	"github.com/flowsplit/flowsplit/internal/mapfile"
	"github.com/flowsplit/flowsplit/internal/pcapio"
)

// source is one input being read.
type source struct {
	name   string
	rd     *pcapio.Reader
	mapped *mapfile.File // the input file, mapped; nil when read
	closes []func()      // in reverse order
}

func (s *source) close() {
	for i := len(s.closes) - 1; i >= 0; i-- {
		s.closes[i]()
	}
	s.closes = nil
}

// openSource opens input path and its reader: mapped when it is an
// uncompressed regular file, else read (through a pausingReader, so that
// outputs are flushed while a stream pauses).
func (e *engine) openSource(ctx context.Context, path string) (*source, error) {
	c := e.cfg
	in, closeIn, err := openInput(c, path)
	if err != nil {
		return nil, &InputError{fmt.Errorf("open input: %w", err)}
	}
	s := &source{name: displayName(path), closes: []func(){func() { closeIn() }}}
	opts := pcapio.ReaderOptions{
		Name:   s.name,
		Strict: c.Strict,
		Warn:   func(msg string) { e.log.printf("warning: %s", msg) },
	}
	if s.mapped = mapInput(c, path, in); s.mapped != nil {
		s.closes = append(s.closes, func() { s.mapped.Close() })
		s.rd, err = pcapio.NewReaderBytes(s.mapped.Bytes(), opts)
	} else {
		pr := newPausingReader(ctx, in, c.FlushInterval, e.flushAll)
		s.closes = append(s.closes, pr.close)
		s.rd, err = pcapio.NewReader(pr, opts)
	}
	if err != nil {
		s.close()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &InputError{err}
	}
	s.closes = append(s.closes, func() { s.rd.Close() })
	return s, nil
}

// isEmptyFile reports whether path is an empty regular file (a capture
// file just created by a rotating writer, say).
func isEmptyFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Size() == 0
}
