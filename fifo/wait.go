package fifo

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"
)

const (
	// pollInterval is how often WaitOpenFIFOs and WaitReader (given a
	// non-positive interval) retry opening a FIFO that has no reader.
	pollInterval = 100 * time.Millisecond
	// reportInterval is how often WaitOpenFIFOs repeats its report.
	reportInterval = 2 * time.Second
)

// WaitOpenFIFOs opens every FIFO in paths for writing with [TryOpenFIFO],
// retrying every 100 ms (sleeping in between) those that have no reader,
// until all are open or ctx ends. It returns the files in the order of
// paths.
//
// While some FIFOs have no reader, WaitOpenFIFOs calls report (if not nil)
// with the indexes into paths still waiting, in increasing order: once
// after the first attempt, then every 2 s, so the caller can say which
// outputs it is waiting for. report is not called if every FIFO had a
// reader at once; it must not keep the slice.
//
// If ctx ends first, or opening a path fails for another reason than
// [ErrNoReader], WaitOpenFIFOs closes the files it opened and returns
// ctx.Err() or that error, wrapped with the path's index.
func WaitOpenFIFOs(ctx context.Context, paths []string, report func(waiting []int)) ([]*os.File, error) {
	return waitOpenFIFOs(ctx, paths, report, pollInterval, reportInterval)
}

// waitOpenFIFOs is WaitOpenFIFOs with its intervals as parameters.
func waitOpenFIFOs(ctx context.Context, paths []string, report func([]int), poll, every time.Duration) ([]*os.File, error) {
	files := make([]*os.File, len(paths))
	fail := func(err error) ([]*os.File, error) {
		for _, f := range files {
			if f != nil {
				f.Close()
			}
		}
		return nil, err
	}
	var ticker *time.Ticker
	var lastReport time.Time
	waiting := make([]int, 0, len(paths))
	for {
		if err := ctx.Err(); err != nil {
			return fail(err)
		}
		waiting = waiting[:0]
		for i, p := range paths {
			if files[i] != nil {
				continue
			}
			f, err := TryOpenFIFO(p)
			switch {
			case err == nil:
				files[i] = f
			case errors.Is(err, ErrNoReader):
				waiting = append(waiting, i)
			default:
				return fail(fmt.Errorf("output %d: %w", i, err))
			}
		}
		if len(waiting) == 0 {
			if ticker != nil {
				ticker.Stop()
			}
			return files, nil
		}
		if report != nil {
			if now := time.Now(); lastReport.IsZero() || now.Sub(lastReport) >= every {
				lastReport = now
				report(waiting)
			}
		}
		if ticker == nil {
			ticker = time.NewTicker(poll)
			defer ticker.Stop()
		}
		select {
		case <-ctx.Done():
			return fail(ctx.Err())
		case <-ticker.C:
		}
	}
}
