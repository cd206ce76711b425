package modebench

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
)

// Report is the JSON document `flowsplit bench --json` prints.
type Report struct {
	// Source says where the packets came from: "generated" or the input
	// path.
	Source string `json:"source"`
	// Truncated says that only the input's first Packets packets were
	// measured (the memory bound of `flowsplit bench INPUT`).
	Truncated bool `json:"truncated,omitempty"`
	// Generator is the generator's settings (absent for an input file).
	Generator *GeneratorInfo `json:"generator,omitempty"`
	Packets   int            `json:"packets"`
	Bytes     uint64         `json:"bytes"`
	Outputs   int            `json:"outputs"`
	Rounds    int            `json:"rounds"`
	Modes     []Result       `json:"modes"`
}

// GeneratorInfo is how the packets were generated.
type GeneratorInfo struct {
	Flows   int     `json:"flows"`
	Packets int     `json:"packets"`
	Seed    int64   `json:"seed"`
	Tunnels float64 `json:"tunnels"`
}

// WriteJSON writes r as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteTable writes r as an aligned text table, one row per mode.
func (r *Report) WriteTable(w io.Writer) error {
	first := ""
	if r.Truncated {
		first = "first "
	}
	fmt.Fprintf(w, "%s: %s%d packets, %.1f MB, %d outputs, median of %d rounds\n",
		r.Source, first, r.Packets, float64(r.Bytes)/1e6, r.Outputs, r.Rounds)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "mode\tMpps\tGbit/s\tns/pkt\tmax/mean pkts\tmax/mean bytes\tflows/output min-max\tJain(bytes)\tsplit flows\t  flags")
	for _, m := range r.Modes {
		b := &m.Balance
		fmt.Fprintf(tw, "%s\t%.1f\t%.1f\t%.1f\t%.3f\t%.3f\t%d-%d\t%.4f\t%d\t  %s\n",
			m.Mode, m.Mpps, m.Gbps, m.NsPerPacket, b.MaxMeanPackets, b.MaxMeanBytes,
			b.FlowsMin, b.FlowsMax, b.Jain, b.SplitFlows, m.Flags)
	}
	return tw.Flush()
}
