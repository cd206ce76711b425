package modebench

import (
	"testing"

	"github.com/flowsplit/flowsplit/bench/gen"
	"github.com/flowsplit/flowsplit/splitter"
)

// BenchmarkRoute measures the routing core per mode on cache-hot, staged
// records (one op is one pass over the capture).
func BenchmarkRoute(b *testing.B) {
	c := FromGenerator(gen.Config{Flows: 20000, Packets: 200000, Seed: 1, Tunnels: 0.05})
	st := newStaging(c)
	for _, m := range DefaultModes(GeneratorLocalNets) {
		b.Run(m.Name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(c.Bytes()))
			var ns int64
			for b.Loop() {
				r, err := splitter.NewRouter(m.Route, DefaultOutputs)
				if err != nil {
					b.Fatal(err)
				}
				ns += st.route(r).Nanoseconds()
			}
			b.ReportMetric(float64(ns)/float64(b.N)/float64(c.Packets()), "ns/pkt")
			b.ReportMetric(float64(c.Packets())*float64(b.N)/(float64(ns)/1e9), "pkts/s")
		})
	}
}
