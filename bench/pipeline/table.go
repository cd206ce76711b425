package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// printTable prints the medians, and the best runs' wall times. The ratio
// of a flowsplit row is its MB/s over that of each ceiling row of its
// setup, the first one first: of the medians, then of the best runs.
func printTable(w io.Writer, rows []*row, in capture) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "setup\ttool\twall s\tbest s\tMB/s\tMpps\tratio\tbest-run ratio\tCPU s\tpeak RSS MiB\truns (wall s)\t")
	mbs := func(s sample) float64 { return float64(in.bytes) / 1e6 / s.wall.Seconds() }
	ratios := func(r *row, pick func(*row) sample) string {
		if r.ceiling {
			return "ceiling"
		}
		var rs []string
		for _, c := range rows {
			if c.ceiling && c.setup == r.setup {
				rs = append(rs, fmt.Sprintf("%.2fx", mbs(pick(r))/mbs(pick(c))))
			}
		}
		return strings.Join(rs, " / ")
	}
	for _, r := range rows {
		m := r.median()
		var all []string
		for _, s := range r.samples {
			all = append(all, fmt.Sprintf("%.2f", s.wall.Seconds()))
		}
		fmt.Fprintf(tw, "%s\t%s\t%.2f\t%.2f\t%.0f\t%.2f\t%s\t%s\t%.2f\t%.1f\t%s\t\n",
			r.setup, r.tool, m.wall.Seconds(), r.best().wall.Seconds(), mbs(m), float64(in.packets)/1e6/m.wall.Seconds(),
			ratios(r, (*row).median), ratios(r, (*row).best), m.cpu.Seconds(), float64(r.peakRSS)/(1<<20), strings.Join(all, " "))
	}
	tw.Flush()
}
