package splitter

import (
	"context"
	"io"
	"os"
	"time"

	"github.com/flowsplit/flowsplit/fifo"
)

// inputPipeSize is the pipe buffer asked for when the input is a FIFO.
const inputPipeSize = 1 << 20

// openInput opens input path ("" or "-": c.Stdin). The returned closer
// closes it (a no-op for stdin).
func openInput(c *Config, path string) (io.Reader, func() error, error) {
	if path == "" || path == "-" {
		r := c.Stdin
		if r == nil {
			r = os.Stdin
		}
		if f, ok := r.(*os.File); ok && fifo.IsPipe(f) {
			fifo.SetPipeSize(f, inputPipeSize) //nolint:errcheck // best effort
		}
		return r, func() error { return nil }, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	if fifo.IsPipe(f) {
		fifo.SetPipeSize(f, inputPipeSize) //nolint:errcheck // best effort
	}
	return f, f.Close, nil
}

// pausingReader reads from r in a helper goroutine so that a read that does
// not complete within wait calls idle (which flushes every output and keeps
// the statistics fresh), and again every wait while it goes on waiting:
// packets never sit in buffers while the input pauses.
//
// Read passes the caller's buffer to the helper and blocks until the helper
// has filled it, so no data is copied. It returns ctx's error once ctx is
// done; the helper then finishes its read in the background (closing the
// underlying file ends it).
type pausingReader struct {
	ctx   context.Context
	req   chan []byte
	res   chan readResult
	idle  func()
	wait  time.Duration
	timer *time.Timer
}

type readResult struct {
	n   int
	err error
}

func newPausingReader(ctx context.Context, r io.Reader, wait time.Duration, idle func()) *pausingReader {
	p := &pausingReader{
		ctx:   ctx,
		req:   make(chan []byte),
		res:   make(chan readResult, 1),
		idle:  idle,
		wait:  wait,
		timer: time.NewTimer(time.Hour),
	}
	p.timer.Stop()
	go func() {
		for b := range p.req {
			n, err := r.Read(b)
			p.res <- readResult{n, err}
		}
	}()
	return p
}

// Read implements io.Reader.
func (p *pausingReader) Read(b []byte) (int, error) {
	if err := p.ctx.Err(); err != nil {
		return 0, err
	}
	p.req <- b
	select {
	case r := <-p.res:
		return r.n, r.err
	default:
	}
	for {
		p.timer.Reset(p.wait)
		select {
		case r := <-p.res:
			p.timer.Stop()
			return r.n, r.err
		case <-p.timer.C:
			p.idle()
		case <-p.ctx.Done():
			p.timer.Stop()
			return 0, p.ctx.Err()
		}
	}
}

// close stops the helper goroutine once its current read, if any, ends.
func (p *pausingReader) close() { close(p.req) }
