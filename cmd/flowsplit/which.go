package main

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// whichCommand is `flowsplit which` (being written).
func whichCommand() *cli.Command {
	return &cli.Command{
		Name:   "which",
		Hidden: true,
		Action: func(*cli.Context) error { return errors.New("which: not implemented yet") },
	}
}
