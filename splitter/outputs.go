package splitter

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/flowsplit/flowsplit/fifo"
)

// outputPipeSize is the pipe buffer asked for on FIFO outputs; the kernel
// caps it at /proc/sys/fs/pipe-max-size.
const outputPipeSize = 1 << 20

// readerReportEvery is how often the outputs still waiting for a reader are
// named on the log.
const readerReportEvery = 5 * time.Second

// outputPaths lists the N worker output paths, then the weird output's.
func outputPaths(c *Config) []string {
	paths := make([]string, c.Workers, c.Workers+1)
	for i := range paths {
		paths[i] = c.OutputPath(i)
	}
	if c.Weird != "" {
		paths = append(paths, c.Weird)
	}
	return paths
}

// prepareOutputs checks every output path and creates the missing FIFOs
// (with Config.MakeFIFOs), before the input is read, so that workers can be
// started on them at once.
func prepareOutputs(c *Config, paths []string) ([]fifo.Kind, error) {
	kinds := make([]fifo.Kind, len(paths))
	for i, p := range paths {
		k, err := fifo.Prepare(p, c.MakeFIFOs, c.Force)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrUsage, err)
		}
		kinds[i] = k
	}
	return kinds, nil
}

// openOutputs opens every prepared output, waiting until each FIFO has a
// reader. The returned files are in the order of paths.
func openOutputs(ctx context.Context, c *Config, paths []string, kinds []fifo.Kind) ([]*os.File, error) {
	files := make([]*os.File, len(paths))
	var fifoIdx []int
	var fifoPaths []string
	for i, p := range paths {
		if kinds[i] == fifo.KindFIFO {
			fifoIdx = append(fifoIdx, i)
			fifoPaths = append(fifoPaths, p)
			continue
		}
		f, err := fifo.OpenFile(p)
		if err != nil {
			closeAll(files)
			return nil, err
		}
		files[i] = f
	}
	if len(fifoPaths) > 0 && c.NoWaitReaders {
		for j, p := range fifoPaths {
			f, err := fifo.TryOpenFIFO(p)
			switch {
			case errors.Is(err, fifo.ErrNoReader):
				continue // down from the start: the writer opens it when a reader comes
			case err != nil:
				closeAll(files)
				return nil, err
			}
			files[fifoIdx[j]] = f
		}
		return files, nil
	}
	if len(fifoPaths) > 0 {
		var last time.Time
		report := func(waiting []int) {
			if c.Quiet || time.Since(last) < readerReportEvery {
				return
			}
			last = time.Now()
			names := make([]string, len(waiting))
			for j, w := range waiting {
				names[j] = strconv.Itoa(fifoIdx[w]) + " (" + fifoPaths[w] + ")"
			}
			fmt.Fprintf(c.Log, "flowsplit: waiting for readers on %d of %d FIFO outputs: %s\n",
				len(waiting), len(fifoPaths), strings.Join(names, ", "))
		}
		ff, err := fifo.WaitOpenFIFOs(ctx, fifoPaths, report)
		if err != nil {
			closeAll(files)
			return nil, fmt.Errorf("waiting for FIFO readers: %w", err)
		}
		for j, f := range ff {
			files[fifoIdx[j]] = f
		}
	}
	return files, nil
}

func closeAll(files []*os.File) {
	for _, f := range files {
		if f != nil {
			f.Close()
		}
	}
}
