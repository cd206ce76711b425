package main

import (
	"github.com/urfave/cli/v2"

	"github.com/flowsplit/flowsplit/splitter"
)

// execFlags are the flags of --exec (worker processes). Not yet implemented.
func execFlags() []cli.Flag { return nil }

// workerSet supervises the worker processes of a split.
type workerSet struct{}

// setupExec starts the workers named by --exec, if any.
func setupExec(cc *cli.Context, cfg *splitter.Config) (*workerSet, error) {
	return &workerSet{}, nil
}

// abort stops the workers when the split could not start.
func (w *workerSet) abort() {}

// finish waits for the workers after the split and returns the command's
// error.
func (w *workerSet) finish(st *splitter.Stats, err error) error { return err }
