package fifo

import (
	"context"
	"errors"
	"os"
	"time"
)

// WaitReader reopens the FIFO at path after its reader went away: it calls
// [TryOpenFIFO] at once and then every interval (100 ms if interval is not
// positive) until a new reader has the FIFO open, and returns the new file.
// It returns ctx.Err() if ctx ends first, or the first error other than
// [ErrNoReader].
func WaitReader(ctx context.Context, path string, interval time.Duration) (*os.File, error) {
	if interval <= 0 {
		interval = pollInterval
	}
	var ticker *time.Ticker
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		f, err := TryOpenFIFO(path)
		if !errors.Is(err, ErrNoReader) {
			return f, err
		}
		if ticker == nil {
			ticker = time.NewTicker(interval)
			defer ticker.Stop()
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-ticker.C:
		}
	}
}
