package main

import (
	"fmt"
	"io"
	"net/netip"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/flowsplit/flowsplit/bench/gen"
	"github.com/flowsplit/flowsplit/bench/modebench"
	"github.com/flowsplit/flowsplit/hashing"
	"github.com/flowsplit/flowsplit/splitter"
)

// Defaults of `flowsplit bench`.
const (
	benchFlows   = 100_000
	benchPackets = 1_000_000
	benchTunnels = 0.05
	// benchMaxBytes bounds the packet data of INPUT read into memory.
	benchMaxBytes = 1 << 30
)

func benchCommand() *cli.Command {
	return &cli.Command{
		Name:  "bench",
		Usage: "measure every routing mode (speed of the routing core, balance over N outputs) to choose one",
		Description: "INPUT, several of them or a directory are read as `flowsplit split` reads them.\n" +
			"Without INPUT it generates realistic traffic (heavy-tailed flows, IMIX sizes, IPv4 and IPv6,\n" +
			"VLANs, fragments, elephants, some tunnels). Speed is the in-memory routing core on one\n" +
			"core, no I/O; balance is over the outputs.",
		ArgsUsage:    "[INPUT...]",
		OnUsageError: onUsageError,
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "workers", Aliases: []string{"n"}, Value: modebench.DefaultOutputs, Usage: "number of outputs (1..1024)"},
			&cli.IntFlag{Name: "flows", Value: benchFlows, Usage: "generated flows"},
			&cli.IntFlag{Name: "packets", Value: benchPackets, Usage: "generated packets; with INPUT, how many of its first packets are measured (and at most 1 GiB)"},
			&cli.Int64Flag{Name: "seed", Value: 1, Usage: "generator seed (same seed, same traffic)"},
			&cli.Float64Flag{Name: "tunnels", Value: benchTunnels, Usage: "share of generated flows inside tunnels (GRE, VXLAN, Geneve, GTP-U, IP-in-IP)"},
			&cli.IntFlag{Name: "rounds", Value: modebench.DefaultRounds, Usage: "timed passes per mode (the median is shown)"},
			&cli.StringSliceFlag{Name: "local-nets", Usage: "local networks of the host mode (default: the generator's client networks 10.0.0.0/8, 2001:db8::/32)"},
			&cli.BoolFlag{Name: "json", Usage: "print the results as JSON"},
		},
		Action: runBench,
	}
}

// benchOptions is `flowsplit bench`'s command line.
type benchOptions struct {
	inputs    []string
	localNets []netip.Prefix
	outputs   int
	rounds    int
	gen       gen.Config
	json      bool
}

// Validate checks the ranges.
func (o *benchOptions) Validate() error {
	switch {
	case o.outputs < 1 || o.outputs > 1024:
		return fmt.Errorf("%w: --workers %d out of range 1..1024", errUsage, o.outputs)
	case o.rounds < 1:
		return fmt.Errorf("%w: --rounds %d: want at least 1", errUsage, o.rounds)
	case o.gen.Packets < 1 || (len(o.inputs) == 0 && o.gen.Flows < 1):
		return fmt.Errorf("%w: --flows and --packets must be positive", errUsage)
	case o.gen.Tunnels < 0 || o.gen.Tunnels > 1:
		return fmt.Errorf("%w: --tunnels %g out of range 0..1", errUsage, o.gen.Tunnels)
	}
	return nil
}

func runBench(cc *cli.Context) error {
	o := benchOptions{
		inputs:  cc.Args().Slice(),
		outputs: cc.Int("workers"),
		rounds:  cc.Int("rounds"),
		json:    cc.Bool("json"),
		gen: gen.Config{
			Flows:   cc.Int("flows"),
			Packets: cc.Int("packets"),
			Seed:    cc.Int64("seed"),
			Tunnels: cc.Float64("tunnels"),
		},
	}
	if err := o.Validate(); err != nil {
		return err
	}
	o.localNets = modebench.GeneratorLocalNets
	if cc.IsSet("local-nets") {
		nets, err := hashing.ParseLocalNets(cc.StringSlice("local-nets"))
		if err != nil {
			return fmt.Errorf("%w: --local-nets: %v", errUsage, err)
		}
		o.localNets = nets
	}
	if o.gen.Tunnels == 0 {
		o.gen.Tunnels = -1 // gen: negative is none, zero the default
	}
	return runBenchWith(o, cc.App.Writer, progressWriter(os.Stderr))
}

// runBenchWith loads or generates the packets, measures every mode and
// prints the report on out; progress (nil for none) gets a progress line.
func runBenchWith(o benchOptions, out, progress io.Writer) error {
	rep := modebench.Report{Outputs: o.outputs, Rounds: o.rounds}
	p := &progressLine{w: progress}
	var c *modebench.Capture
	if len(o.inputs) > 0 {
		source := strings.Join(o.inputs, " ")
		p.show("bench: reading %s", source)
		paths, err := splitter.ExpandInputs(o.inputs)
		if err == nil {
			c, err = modebench.ReadCaptures(paths, modebench.Limit{Packets: o.gen.Packets, Bytes: benchMaxBytes})
		}
		if err != nil {
			p.clear()
			return fmt.Errorf("%w: %v", errUsage, err)
		}
		rep.Source, rep.Truncated = source, c.Truncated
	} else {
		p.show("bench: generating %d packets of %d flows", o.gen.Packets, o.gen.Flows)
		c = modebench.FromGenerator(o.gen)
		rep.Source = "generated"
		rep.Generator = &modebench.GeneratorInfo{Flows: o.gen.Flows, Packets: o.gen.Packets, Seed: o.gen.Seed, Tunnels: max(o.gen.Tunnels, 0)}
	}
	rep.Packets, rep.Bytes = c.Packets(), c.Bytes()
	res, err := modebench.Measure(c, modebench.DefaultModes(o.localNets), modebench.Options{
		Outputs: o.outputs,
		Rounds:  o.rounds,
		Progress: func(i, total int, mode string) {
			p.show("bench: measuring %s (%d/%d)", mode, i+1, total)
		},
	})
	p.clear()
	if err != nil {
		return err
	}
	rep.Modes = res
	if o.json {
		return rep.WriteJSON(out)
	}
	return rep.WriteTable(out)
}

// progressWriter returns f when it is a terminal, else nil: the progress
// line is for people, not for logs.
func progressWriter(f *os.File) io.Writer {
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return f
}

// progressLine rewrites one line of a terminal.
type progressLine struct{ w io.Writer }

func (p *progressLine) show(format string, args ...any) {
	if p.w != nil {
		fmt.Fprintf(p.w, "\r\x1b[K"+format, args...)
	}
}

func (p *progressLine) clear() {
	if p.w != nil {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
