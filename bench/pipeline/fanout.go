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
	if len(outs) == 0 {
		return errors.New("no outputs")
	}
	src, err := os.Open(in)
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
	for i := 0; ; i++ {
		n, err := io.ReadFull(src, buf)
		if n > 0 {
			if _, werr := files[i%len(files)].Write(buf[:n]); werr != nil {
				return fmt.Errorf("write %s: %w", outs[i%len(files)], werr)
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
