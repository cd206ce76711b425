package main

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// verifyCommand is `flowsplit verify` (being written).
func verifyCommand() *cli.Command {
	return &cli.Command{
		Name:   "verify",
		Hidden: true,
		Action: func(*cli.Context) error { return errors.New("verify: not implemented yet") },
	}
}
