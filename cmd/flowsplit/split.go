package main

import (
	"fmt"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/flowsplit/flowsplit/splitter"
)

func splitCommand() *cli.Command {
	return &cli.Command{
		Name:         "split",
		Usage:        "split a capture (file, FIFO or stdin; several inputs or a directory are read one after the other) into N outputs, flow by flow",
		ArgsUsage:    "[INPUT...]",
		OnUsageError: onUsageError,
		Flags: concatFlags([]cli.Flag{
			&cli.IntFlag{Name: "workers", Aliases: []string{"n"}, Usage: "number of outputs (1..1024)", Required: true},
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "output path pattern with one %d (the 0-based output index); with --exec it may be left out (private FIFOs)"},
			&cli.BoolFlag{Name: "fifo", Usage: "create missing output paths as FIFOs (named pipes) instead of files"},
			&cli.BoolFlag{Name: "force", Usage: "overwrite existing regular output files"},
			&cli.StringFlag{Name: "weird", Usage: "write packets that cannot be classified to this path"},
			&cli.StringFlag{Name: "stats-json", Usage: "write run statistics as JSON to this path"},
			&cli.StringFlag{Name: "format", Value: "auto", Usage: "output format: auto (pcapng for a .pcapng --out, else pcap unless the input mixes link types), pcap or pcapng"},
			&cli.BoolFlag{Name: "strict", Usage: "stop at the first damaged record (exit 3) instead of skipping it"},
			&cli.DurationFlag{Name: "flush-interval", Value: splitter.DefaultFlushInterval, Usage: "longest time a packet may wait in a buffer"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress messages (the summary stays)"},
			&cli.StringFlag{Name: "on-full", Value: "block", Usage: "when an output's queue is full: block (lossless, may stall the input), drop (counted) or spill (to disk, replayed later)"},
			&cli.StringFlag{Name: "queue-size", Value: "64MiB", Usage: "bound of each output's queue (bytes; KiB, MiB, GiB suffixes)"},
			&cli.StringFlag{Name: "queue-total", Usage: "bound of all the outputs' queues together, each always able to double-buffer (default: 32MiB under block; under drop and spill each output's --queue-size)"},
			&cli.StringFlag{Name: "spill-dir", Usage: "directory of spill files (default: the system temporary directory)"},
			&cli.StringFlag{Name: "spill-max", Value: "1GiB", Usage: "bound of each output's spill file"},
			&cli.BoolFlag{Name: "wait-readers", Value: true, Usage: "wait until every FIFO output has a reader before starting (--wait-readers=false: start at once, FIFOs without a reader are down until one comes)"},
			&cli.DurationFlag{Name: "drain-timeout", Value: splitter.DefaultDrainTimeout, Usage: "after a stop signal (or at the end with drop/spill), how long queued packets are still written"},
		}, routeFlags(), execFlags(), statusFlags()),
		Action: runSplit,
	}
}

func concatFlags(lists ...[]cli.Flag) []cli.Flag {
	var all []cli.Flag
	for _, l := range lists {
		all = append(all, l...)
	}
	return all
}

// runSplit runs `flowsplit split`: the splitter, plus the worker processes
// (--exec, exec.go) and the live status and metrics (status.go) around it.
func runSplit(cc *cli.Context) error {
	cfg, err := splitConfig(cc)
	if err != nil {
		return err
	}
	workers, err := setupExec(cc, cfg)
	if err != nil {
		return err
	}
	status, err := setupStatus(cc, cfg)
	if err != nil {
		workers.abort()
		return err
	}
	stopUSR1 := statusOnSIGUSR1(cfg)
	st, err := splitter.Run(cc.Context, cfg)
	stopUSR1()
	status.finish(st)
	if st != nil && st.Outputs != nil {
		st.WriteSummary(os.Stderr)
	}
	return workers.finish(st, err)
}

// splitConfig fills a splitter.Config from the command line.
func splitConfig(cc *cli.Context) (*splitter.Config, error) {
	route, err := routeConfig(cc)
	if err != nil {
		return nil, err
	}
	policy, err := splitter.ParsePolicy(cc.String("on-full"))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	queueSize, err := parseSize(cc.String("queue-size"))
	if err != nil {
		return nil, fmt.Errorf("%w: --queue-size: %v", errUsage, err)
	}
	var queueTotal int64
	if cc.IsSet("queue-total") {
		if queueTotal, err = parseSize(cc.String("queue-total")); err != nil {
			return nil, fmt.Errorf("%w: --queue-total: %v", errUsage, err)
		}
	}
	spillMax, err := parseSize(cc.String("spill-max"))
	if err != nil {
		return nil, fmt.Errorf("%w: --spill-max: %v", errUsage, err)
	}
	cfg := &splitter.Config{
		Workers:       cc.Int("workers"),
		OutPattern:    cc.String("out"),
		MakeFIFOs:     cc.Bool("fifo"),
		Force:         cc.Bool("force"),
		Route:         route,
		Weird:         cc.String("weird"),
		StatsJSON:     cc.String("stats-json"),
		Format:        cc.String("format"),
		Strict:        cc.Bool("strict"),
		FlushInterval: cc.Duration("flush-interval"),
		Log:           os.Stderr,
		Quiet:         cc.Bool("quiet"),
		OnFull:        policy,
		QueueSize:     queueSize,
		QueueTotal:    queueTotal,
		SpillDir:      cc.String("spill-dir"),
		SpillMax:      spillMax,
		NoWaitReaders: !cc.Bool("wait-readers"),
		DrainTimeout:  cc.Duration("drain-timeout"),
	}
	// Directories are listed (and their files ordered, which reads each
	// one's first packet) once, here, for the split and its progress line.
	names := cc.Args().Slice()
	if paths, err := splitter.ExpandInputs(names); err == nil {
		names = paths // else the split reports the error
	}
	if len(names) > 1 || (len(names) == 1 && names[0] != cc.Args().First()) {
		cfg.Inputs = names // read one after the other
	} else {
		cfg.Input = cc.Args().First()
	}
	if cfg.OutPattern == "" && cc.String("exec") != "" {
		return cfg, nil // setupExec makes private FIFOs, then validates
	}
	return cfg, cfg.Validate()
}
