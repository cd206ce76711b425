package supervise

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// Traffic is what a worker was sent.
type Traffic struct {
	Packets, Bytes uint64
}

// WriteSummary writes one line per worker: what it was sent (traffic[i],
// when there), its restarts, run time and status.
func WriteSummary(w io.Writer, rs []Result, traffic []Traffic) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "worker\tpackets\tbytes\trestarts\trun time\t  status")
	for i, r := range rs {
		var t Traffic
		if i < len(traffic) {
			t = traffic[i]
		}
		fmt.Fprintf(tw, "%d\t%d\t%d\t%d\t%v\t  %s\n", r.Index, t.Packets, t.Bytes, r.Restarts, r.RunTime.Round(time.Millisecond), r.Status())
	}
	return tw.Flush()
}
