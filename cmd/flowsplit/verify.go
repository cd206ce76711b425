package main

import (
	"fmt"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/flowsplit/flowsplit/internal/verify"
)

// exitSplitFlows is the exit code of `flowsplit verify` when a flow is on
// more than one output.
const exitSplitFlows = 6

// splitFlowsError is verify's finding: the outputs split some flows.
type splitFlowsError struct{ n int }

func (e *splitFlowsError) Error() string {
	return fmt.Sprintf("verify: %d flows are on more than one output", e.n)
}

// ExitCode makes main exit with exitSplitFlows.
func (e *splitFlowsError) ExitCode() int { return exitSplitFlows }

// verifyCommand is `flowsplit verify`.
func verifyCommand() *cli.Command {
	return &cli.Command{
		Name:      "verify",
		Usage:     "check that no flow of the mode is on more than one of the outputs",
		ArgsUsage: "OUTPUT...",
		Description: "Reads the outputs of a split (pcap or pcapng) and reports every flow found on more than one\n" +
			"of them, with the same flow key as split (give the same --hash and routing flags), plus a\n" +
			"per-output histogram. Fragments count with their datagram's flow, ICMP errors with the flow\n" +
			"they quote, tunnels by the inner header unless --tunnels outer. Exit code 6 when a flow is split.",
		Flags: append([]cli.Flag{
			&cli.IntFlag{Name: "workers", Aliases: []string{"n"}, Usage: "expected number of outputs (0: any)"},
		}, routeFlags()...),
		Action: runVerify,
	}
}

func runVerify(cc *cli.Context) error {
	rc, err := routeConfig(cc)
	if err != nil {
		return err
	}
	paths := cc.Args().Slice()
	if len(paths) == 0 {
		return fmt.Errorf("%w: verify needs the output files", errUsage)
	}
	if n := cc.Int("workers"); n > 0 && n != len(paths) {
		return fmt.Errorf("%w: -n %d but %d outputs given", errUsage, n, len(paths))
	}
	rep, err := verify.Files(paths, verify.Options{Hash: rc.Hash, Tunnels: rc.Tunnels, ICMPErrors: rc.ICMPErrors})
	if err != nil {
		return err
	}
	rep.Write(os.Stdout)
	if len(rep.Split) > 0 {
		return &splitFlowsError{len(rep.Split)}
	}
	return nil
}
