package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/flowsplit/flowsplit/fifo"
)

// fanoutArg makes this program the fan-out child: pipeline -fanout IN OUT...
// fanoutBigArg is the same with 1 MiB pipes (F_SETPIPE_SZ on the input and
// every output, as flowsplit does).
const (
	fanoutArg    = "-fanout"
	fanoutBigArg = "-fanout-1mib"
)

// bigPipe is the pipe size the -fanout-1mib child asks for.
const bigPipe = 1 << 20

// fanoutChunk is the fan-out's read and write size.
const fanoutChunk = 1 << 20

// fanout is the ceiling of FIFO -> N FIFOs: it copies in to outs
// round-robin in fanoutChunk pieces, with plain read(2) and write(2), no
// parsing; pipeSize > 0 asks for that pipe size on every FIFO.
func fanout(in string, outs []string, pipeSize int) error {
	src, err := openSource(in, outs)
	if err != nil {
		return err
	}
	defer src.Close()
	if pipeSize > 0 {
		fifo.SetPipeSize(src, pipeSize) //nolint:errcheck // best effort, like flowsplit
	}
	files := make([]*os.File, len(outs))
	for i, p := range outs {
		if files[i], err = os.OpenFile(p, os.O_WRONLY, 0); err != nil {
			return err
		}
		defer files[i].Close()
		if pipeSize > 0 {
			fifo.SetPipeSize(files[i], pipeSize) //nolint:errcheck // best effort, like flowsplit
		}
	}
	buf := make([]byte, fanoutChunk)
	return readChunks(src, in, func() []byte { return buf }, func(i int, b []byte) error {
		if _, err := files[i%len(files)].Write(b); err != nil {
			return fmt.Errorf("write %s: %w", outs[i%len(files)], err)
		}
		return nil
	})
}

// openSource opens the fan-out's input, once it knows there are outputs.
func openSource(in string, outs []string) (*os.File, error) {
	if len(outs) == 0 {
		return nil, errors.New("no outputs")
	}
	return os.Open(in)
}

// readChunks reads src (named in) to its end in fanoutChunk pieces, each
// into a buffer from next, and hands piece i to emit; an error from emit
// stops it.
func readChunks(src io.Reader, in string, next func() []byte, emit func(i int, b []byte) error) error {
	for i := 0; ; i++ {
		buf := next()
		n, err := io.ReadFull(src, buf)
		if n > 0 {
			if eerr := emit(i, buf[:n]); eerr != nil {
				return eerr
			}
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", in, err)
		}
	}
}

// fanoutFilesArg makes this program the concurrent fan-out child:
// pipeline -fanout-files IN OUT...
const fanoutFilesArg = "-fanout-files"

// fanoutFiles is the architecture ceiling of file -> N files: the same
// bytes as fanout, round-robin in fanoutChunk pieces read with read(2), but
// each output written by its own goroutine, as flowsplit writes its outputs
// (so N writes proceed concurrently). Memory is bounded by 2N chunks. It
// does no parsing: what flowsplit costs beyond it is reading records and
// routing them.
func fanoutFiles(in string, outs []string) error {
	src, err := openSource(in, outs)
	if err != nil {
		return err
	}
	defer src.Close()
	free := make(chan []byte, 2*len(outs))
	for range cap(free) {
		free <- make([]byte, fanoutChunk)
	}
	queues := make([]chan []byte, len(outs))
	errs := make(chan error, len(outs))
	files := make([]*os.File, len(outs))
	for i, p := range outs {
		if files[i], err = os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644); err != nil {
			for _, f := range files[:i] {
				f.Close()
			}
			return err
		}
	}
	for i, p := range outs {
		f := files[i]
		queues[i] = make(chan []byte, 2)
		go func(q <-chan []byte) {
			var werr error
			for b := range q {
				if werr == nil {
					if _, werr = f.Write(b); werr != nil {
						werr = fmt.Errorf("write %s: %w", p, werr)
					}
				}
				free <- b[:cap(b)]
			}
			if cerr := f.Close(); werr == nil && cerr != nil {
				werr = fmt.Errorf("close %s: %w", p, cerr)
			}
			errs <- werr
		}(queues[i])
	}
	rerr := readChunks(src, in, func() []byte { return <-free }, func(i int, b []byte) error {
		queues[i%len(queues)] <- b
		return nil
	})
	for _, q := range queues {
		close(q)
	}
	for range queues {
		if err := <-errs; err != nil && rerr == nil {
			rerr = err
		}
	}
	return rerr
}
