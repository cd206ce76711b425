package main

import (
	"github.com/urfave/cli/v2"

	"github.com/flowsplit/flowsplit/splitter"
)

// statusFlags are the flags of the live status, periodic statistics and
// metrics. Not yet implemented.
func statusFlags() []cli.Flag { return nil }

// statusReporter shows the split's progress.
type statusReporter struct{}

// setupStatus starts the live status and metrics.
func setupStatus(cc *cli.Context, cfg *splitter.Config) (*statusReporter, error) {
	return &statusReporter{}, nil
}

// finish writes the final status.
func (s *statusReporter) finish(st *splitter.Stats) {}
