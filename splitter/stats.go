package splitter

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/flowsplit/flowsplit/internal/human"
)

// Stats is what a run did. Its JSON form is written by --stats-json; the
// field names are a documented interface (README "Statistics").
type Stats struct {
	Input   InputStats    `json:"input"`
	Outputs []OutputStats `json:"outputs"`
	Weird   WeirdStats    `json:"weird"`
	// Routing holds the router's counters.
	Routing RouteStats `json:"routing"`
	// OutputFormat is "pcap" or "pcapng".
	OutputFormat string `json:"output_format"`
	// Errors lists the run's errors (input damage, output write errors), one
	// line each.
	Errors         []string `json:"errors"`
	ElapsedSeconds float64  `json:"elapsed_seconds"`
}

// InputStats describes the input side.
type InputStats struct {
	Name string `json:"name"`
	// Current is, with several inputs, the one being read (at the end:
	// the last one read).
	Current string `json:"current,omitempty"`
	// Format is the first input's format ("mixed" once another input of
	// the other format is read).
	Format string `json:"format"`
	// Packets and Bytes count the records read and their captured bytes.
	Packets uint64 `json:"packets"`
	Bytes   uint64 `json:"bytes"`
	// StreamBytes is how many bytes of the (decompressed) capture stream
	// were consumed, headers included.
	StreamBytes int64 `json:"stream_bytes"`
	// SkippedBytes and Resyncs count damage skipped over.
	SkippedBytes int64 `json:"skipped_bytes"`
	Resyncs      int64 `json:"resyncs"`
	// LastPacketTime is the capture timestamp of the last packet read, in
	// seconds since the Unix epoch (0 before the first packet).
	LastPacketTime float64 `json:"last_packet_time"`
	// LagSeconds is the wall clock minus LastPacketTime when the snapshot
	// was taken: how far behind real time the pipeline is.
	LagSeconds float64 `json:"lag_seconds"`
}

// OutputStats describes one output. Packets and Bytes (captured bytes)
// count what was routed to it, including the weird packets that fell back to
// it when there is no weird output. Every routed packet is written, dropped,
// or left in the spill file: Packets = WrittenPackets + DroppedPackets +
// (SpilledPackets - ReplayedPackets).
type OutputStats struct {
	Index   int    `json:"index"` // -1 for the weird output
	Path    string `json:"path"`
	Packets uint64 `json:"packets"`
	Bytes   uint64 `json:"bytes"`
	// WrittenPackets/Bytes were written to the output (to a reader's pipe,
	// for a FIFO: what a reader that died still held in it is lost with it).
	WrittenPackets uint64 `json:"written_packets"`
	WrittenBytes   uint64 `json:"written_bytes"`
	// DroppedPackets/Bytes were dropped: --on-full drop with a full queue,
	// or still queued when the drain time after a stop signal ran out.
	DroppedPackets uint64 `json:"dropped_packets"`
	DroppedBytes   uint64 `json:"dropped_bytes"`
	// SpilledPackets/Bytes went to the spill file; ReplayedPackets came
	// back out of it to the output.
	SpilledPackets  uint64 `json:"spilled_packets"`
	SpilledBytes    uint64 `json:"spilled_bytes"`
	ReplayedPackets uint64 `json:"replayed_packets"`
	// SpillFile is the spill file left on disk at exit with the packets not
	// replayed, a valid capture; empty when none is left.
	SpillFile string `json:"spill_file,omitempty"`
	// Reconnects counts new readers of a FIFO output after it was down.
	Reconnects int64 `json:"reconnects"`
	// BlockedSeconds is how long the input waited for this output.
	BlockedSeconds float64 `json:"blocked_seconds"`
	// Down is true when the output had no reader (or had failed) when the
	// snapshot was taken (at exit, for the final statistics).
	Down bool `json:"down"`
	// QueueFill is the share of the most the output's queue can hold
	// (--queue-size, or --queue-total less the other outputs' reserves)
	// that was waiting to be written, 0 to 1.
	QueueFill float64 `json:"queue_fill"`
}

// WeirdStats counts packets that could not be classified (not IP, IP header
// cut short, unknown link type). Path is the weird output, empty when they
// went to the worker outputs.
type WeirdStats struct {
	Path    string `json:"path,omitempty"`
	Packets uint64 `json:"packets"`
	Bytes   uint64 `json:"bytes"`
	// ByLinkType counts the weird packets by the link type they were
	// captured on (an unknown link type makes every packet weird).
	ByLinkType map[uint16]uint64 `json:"by_link_type,omitempty"`
	// Output holds the weird output's counters when there is one.
	Output *OutputStats `json:"output,omitempty"`
}

// WriteJSON writes s to path atomically (temporary file, then rename).
func (s *Stats) WriteJSON(path string) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".flowsplit-stats-*")
	if err != nil {
		return fmt.Errorf("stats json: %w", err)
	}
	_, werr := tmp.Write(append(b, '\n'))
	cerr := tmp.Close()
	if werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("stats json: write %s: %w", tmp.Name(), firstErr(werr, cerr))
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("stats json: %w", err)
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// WriteSummary prints the human summary of s.
func (s *Stats) WriteSummary(w io.Writer) {
	rate, bw := 0.0, 0.0
	if s.ElapsedSeconds > 0 {
		rate = float64(s.Input.Packets) / s.ElapsedSeconds
		bw = float64(s.Input.Bytes) / s.ElapsedSeconds
	}
	fmt.Fprintf(w, "flowsplit: %d packets, %s from %s in %.2fs (%s, %s/s)\n",
		s.Input.Packets, human.Bytes(s.Input.Bytes), s.Input.Name, s.ElapsedSeconds,
		human.PacketRate(rate), human.Bytes(uint64(bw)))
	for _, o := range s.Outputs {
		fmt.Fprintf(w, "  output %-3d %6.2f%%  %10d packets  %10s  %s%s\n",
			o.Index, pct(o.Packets, s.Input.Packets), o.Packets, human.Bytes(o.Bytes), o.Path, o.trouble())
	}
	where := "spread over the outputs"
	if s.Weird.Path != "" {
		where = "in " + s.Weird.Path
	}
	fmt.Fprintf(w, "  weird      %6.2f%%  %10d packets  %10s  %s\n",
		pct(s.Weird.Packets, s.Input.Packets), s.Weird.Packets, human.Bytes(s.Weird.Bytes), where)
	if s.Input.SkippedBytes > 0 {
		fmt.Fprintf(w, "  damaged input: %d bytes skipped in %d places\n", s.Input.SkippedBytes, s.Input.Resyncs)
	}
}

// trouble describes what did not go smoothly for an output, or "".
func (o *OutputStats) trouble() string {
	var t []string
	if o.DroppedPackets > 0 {
		t = append(t, fmt.Sprintf("%d dropped", o.DroppedPackets))
	}
	if o.SpilledPackets > 0 {
		t = append(t, fmt.Sprintf("%d spilled, %d replayed", o.SpilledPackets, o.ReplayedPackets))
	}
	if o.SpillFile != "" {
		t = append(t, "rest kept in "+o.SpillFile)
	}
	if o.Reconnects > 0 {
		t = append(t, fmt.Sprintf("%d reconnects", o.Reconnects))
	}
	if o.BlockedSeconds >= 1 {
		t = append(t, fmt.Sprintf("blocked %.1fs", o.BlockedSeconds))
	}
	if o.Down {
		t = append(t, "DOWN")
	}
	if len(t) == 0 {
		return ""
	}
	return "  [" + strings.Join(t, ", ") + "]"
}

func pct(a, b uint64) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}
