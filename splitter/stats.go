package splitter

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Stats is what a run did. Its JSON form is written by --stats-json; the
// field names are a documented interface (README "Statistics").
type Stats struct {
	Input   InputStats    `json:"input"`
	Outputs []OutputStats `json:"outputs"`
	Weird   WeirdStats    `json:"weird"`
	// OutputFormat is "pcap" or "pcapng".
	OutputFormat string `json:"output_format"`
	// Errors lists the run's errors (input damage, output write errors), one
	// line each.
	Errors         []string `json:"errors"`
	ElapsedSeconds float64  `json:"elapsed_seconds"`
}

// InputStats describes the input side.
type InputStats struct {
	Name   string `json:"name"`
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
}

// OutputStats describes one worker output. Packets and Bytes (captured
// bytes) count what was routed to it, including the weird packets that fell
// back to it when there is no weird output.
type OutputStats struct {
	Index   int    `json:"index"`
	Path    string `json:"path"`
	Packets uint64 `json:"packets"`
	Bytes   uint64 `json:"bytes"`
}

// WeirdStats counts packets that could not be classified (not IP, IP header
// cut short, unknown link type). Path is the weird output, empty when they
// went to the worker outputs.
type WeirdStats struct {
	Path    string `json:"path,omitempty"`
	Packets uint64 `json:"packets"`
	Bytes   uint64 `json:"bytes"`
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
		s.Input.Packets, humanBytes(float64(s.Input.Bytes)), s.Input.Name, s.ElapsedSeconds,
		humanRate(rate), humanBytes(bw))
	for _, o := range s.Outputs {
		fmt.Fprintf(w, "  output %-3d %6.2f%%  %10d packets  %10s  %s\n",
			o.Index, pct(o.Packets, s.Input.Packets), o.Packets, humanBytes(float64(o.Bytes)), o.Path)
	}
	where := "spread over the outputs"
	if s.Weird.Path != "" {
		where = "in " + s.Weird.Path
	}
	fmt.Fprintf(w, "  weird      %6.2f%%  %10d packets  %10s  %s\n",
		pct(s.Weird.Packets, s.Input.Packets), s.Weird.Packets, humanBytes(float64(s.Weird.Bytes)), where)
	if s.Input.SkippedBytes > 0 {
		fmt.Fprintf(w, "  damaged input: %d bytes skipped in %d places\n", s.Input.SkippedBytes, s.Input.Resyncs)
	}
}

func pct(a, b uint64) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

func humanBytes(b float64) string {
	const unit = 1000
	if b < unit {
		return fmt.Sprintf("%.0f B", b)
	}
	for _, p := range []string{"kB", "MB", "GB", "TB"} {
		b /= unit
		if b < unit {
			return fmt.Sprintf("%.1f %s", b, p)
		}
	}
	return fmt.Sprintf("%.1f PB", b/unit)
}

func humanRate(pps float64) string {
	switch {
	case pps >= 1e6:
		return fmt.Sprintf("%.2f Mpps", pps/1e6)
	case pps >= 1e3:
		return fmt.Sprintf("%.1f kpps", pps/1e3)
	}
	return fmt.Sprintf("%.0f pps", pps)
}
