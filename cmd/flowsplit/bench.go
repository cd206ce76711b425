package main

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// benchCommand is `flowsplit bench` (being written).
func benchCommand() *cli.Command {
	return &cli.Command{
		Name:   "bench",
		Hidden: true,
		Action: func(*cli.Context) error { return errors.New("bench: not implemented yet") },
	}
}
