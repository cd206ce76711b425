package metrics

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/flowsplit/flowsplit/splitter"
)

// Source returns the newest statistics snapshot, or nil before the first.
// The caller must not modify it.
type Source func() *splitter.Stats

// metric is one metric of the Collector: how to describe it and where its
// value comes from.
type metric struct {
	desc *prometheus.Desc
	typ  prometheus.ValueType
	// global reads a value from the whole snapshot; perOutput from one
	// output. Exactly one is set.
	global    func(*splitter.Stats) float64
	perOutput func(*splitter.OutputStats) float64
}

// Collector is a prometheus.Collector over the snapshots of a Source.
type Collector struct {
	src     Source
	metrics []metric
}

// NewCollector returns a Collector reading src at each scrape.
func NewCollector(src Source) *Collector {
	c := &Collector{src: src}
	g := func(name, help string, typ prometheus.ValueType, f func(*splitter.Stats) float64) {
		c.metrics = append(c.metrics, metric{
			desc: prometheus.NewDesc("flowsplit_"+name, help, nil, nil), typ: typ, global: f,
		})
	}
	o := func(name, help string, typ prometheus.ValueType, f func(*splitter.OutputStats) float64) {
		c.metrics = append(c.metrics, metric{
			desc: prometheus.NewDesc("flowsplit_output_"+name, help, []string{"output"}, nil), typ: typ, perOutput: f,
		})
	}
	const cnt, gauge = prometheus.CounterValue, prometheus.GaugeValue

	g("input_packets_total", "Records read from the input.", cnt, func(s *splitter.Stats) float64 { return float64(s.Input.Packets) })
	g("input_bytes_total", "Captured bytes of the records read from the input.", cnt, func(s *splitter.Stats) float64 { return float64(s.Input.Bytes) })
	g("input_stream_bytes_total", "Bytes of the (decompressed) capture stream consumed, headers included.", cnt, func(s *splitter.Stats) float64 { return float64(s.Input.StreamBytes) })
	g("input_skipped_bytes_total", "Damaged input bytes skipped.", cnt, func(s *splitter.Stats) float64 { return float64(s.Input.SkippedBytes) })
	g("input_resyncs_total", "Places where damaged input was skipped.", cnt, func(s *splitter.Stats) float64 { return float64(s.Input.Resyncs) })
	g("last_packet_timestamp_seconds", "Capture time of the last packet read, in seconds since the Unix epoch (0 before the first).", gauge, func(s *splitter.Stats) float64 { return s.Input.LastPacketTime })
	g("lag_seconds", "Wall clock minus the capture time of the last packet read: how far behind real time the pipeline is (0 before the first packet).", gauge, func(s *splitter.Stats) float64 { return s.Input.LagSeconds })
	g("weird_packets_total", "Packets that could not be classified.", cnt, func(s *splitter.Stats) float64 { return float64(s.Weird.Packets) })
	g("weird_bytes_total", "Captured bytes of the packets that could not be classified.", cnt, func(s *splitter.Stats) float64 { return float64(s.Weird.Bytes) })
	g("fragments_held", "IP fragments waiting for their first fragment now.", gauge, func(s *splitter.Stats) float64 { return float64(s.Routing.FragmentsHeld) })
	g("fragments_timed_out_total", "Held fragments released by the fallback choice for age.", cnt, func(s *splitter.Stats) float64 { return float64(s.Routing.FragmentsTimedOut) })
	g("fragments_overflow_total", "Held fragments released by the fallback choice for lack of room.", cnt, func(s *splitter.Stats) float64 { return float64(s.Routing.FragmentsOverflow) })
	g("flow_table_flows", "Live flows in the flow table (least-loaded mode).", gauge, func(s *splitter.Stats) float64 { return float64(s.Routing.FlowTableSize) })
	g("flow_evictions_total", "Flows evicted by the --max-flows cap.", cnt, func(s *splitter.Stats) float64 { return float64(s.Routing.FlowEvictions) })
	g("flow_expirations_total", "Flows expired by the timeouts.", cnt, func(s *splitter.Stats) float64 { return float64(s.Routing.FlowExpiration) })
	g("icmp_errors_total", "ICMP errors routed with the flow they quote.", cnt, func(s *splitter.Stats) float64 { return float64(s.Routing.ICMPErrors) })
	g("tunneled_packets_total", "Packets routed by an inner (tunnelled) header.", cnt, func(s *splitter.Stats) float64 { return float64(s.Routing.Tunneled) })
	g("elapsed_seconds", "Wall time since the split started.", gauge, func(s *splitter.Stats) float64 { return s.ElapsedSeconds })

	o("packets_total", "Packets routed to the output.", cnt, func(s *splitter.OutputStats) float64 { return float64(s.Packets) })
	o("bytes_total", "Captured bytes routed to the output.", cnt, func(s *splitter.OutputStats) float64 { return float64(s.Bytes) })
	o("written_packets_total", "Packets written to the output.", cnt, func(s *splitter.OutputStats) float64 { return float64(s.WrittenPackets) })
	o("written_bytes_total", "Captured bytes written to the output.", cnt, func(s *splitter.OutputStats) float64 { return float64(s.WrittenBytes) })
	o("dropped_packets_total", "Packets dropped (--on-full drop, or left when the drain time ran out).", cnt, func(s *splitter.OutputStats) float64 { return float64(s.DroppedPackets) })
	o("dropped_bytes_total", "Captured bytes dropped.", cnt, func(s *splitter.OutputStats) float64 { return float64(s.DroppedBytes) })
	o("spilled_packets_total", "Packets written to the output's spill file.", cnt, func(s *splitter.OutputStats) float64 { return float64(s.SpilledPackets) })
	o("spilled_bytes_total", "Captured bytes written to the output's spill file.", cnt, func(s *splitter.OutputStats) float64 { return float64(s.SpilledBytes) })
	o("replayed_packets_total", "Packets replayed from the spill file to the output.", cnt, func(s *splitter.OutputStats) float64 { return float64(s.ReplayedPackets) })
	o("reconnects_total", "New readers of a FIFO output after it was down.", cnt, func(s *splitter.OutputStats) float64 { return float64(s.Reconnects) })
	o("blocked_seconds_total", "Time the input waited for the output.", cnt, func(s *splitter.OutputStats) float64 { return s.BlockedSeconds })
	o("down", "1 when the output has no reader (or failed), else 0.", gauge, func(s *splitter.OutputStats) float64 {
		if s.Down {
			return 1
		}
		return 0
	})
	return c
}

// Describe implements prometheus.Collector.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, m := range c.metrics {
		ch <- m.desc
	}
}

// Collect implements prometheus.Collector. Before the first snapshot it
// reports nothing.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	st := c.src()
	if st == nil {
		return
	}
	outs := make([]*splitter.OutputStats, 0, len(st.Outputs)+1)
	for i := range st.Outputs {
		outs = append(outs, &st.Outputs[i])
	}
	if st.Weird.Output != nil {
		outs = append(outs, st.Weird.Output)
	}
	for _, m := range c.metrics {
		if m.global != nil {
			send(ch, m.desc, m.typ, m.global(st))
			continue
		}
		for _, o := range outs {
			send(ch, m.desc, m.typ, m.perOutput(o), OutputLabel(o.Index))
		}
	}
}

// OutputLabel is the value of the "output" label of output index i: its
// index in decimal, or "weird" for the weird output (-1).
func OutputLabel(i int) string {
	if i < 0 {
		return "weird"
	}
	return strconv.Itoa(i)
}

// send sends one constant metric. The descriptors and label values are made
// together in this file, so NewConstMetric cannot fail; if it ever did, the
// metric is left out rather than the scrape panicking.
func send(ch chan<- prometheus.Metric, d *prometheus.Desc, typ prometheus.ValueType, v float64, labels ...string) {
	if m, err := prometheus.NewConstMetric(d, typ, v, labels...); err == nil {
		ch <- m
	}
}
