package splitter

import (
	"testing"

	"github.com/flowsplit/flowsplit/hashing"
	"github.com/flowsplit/flowsplit/internal/oracle"
	"github.com/flowsplit/flowsplit/internal/pcapio"
)

// TestRouteAppendNoAllocs: decode + hash + route + append of a record into
// its output batch allocates nothing, for packets of every shape in a few
// real captures and every mode.
func TestRouteAppendNoAllocs(t *testing.T) {
	for _, name := range []string{"flows-tls-334conns.pcap", "mixed-eompls-vlan-ipv6-icmp.pcap", "ipv6-frags.pcap", "sll-tcp-dns.pcap"} {
		recs, err := oracle.ReadFile(realDir + name)
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) > 500 {
			recs = recs[:500]
		}
		prs := records(recs)
		for _, m := range hashing.Modes {
			r, err := NewRouter(RouteConfig{Hash: hashing.Config{Mode: m, VLAN: true, Prefix4: 24}}, 8)
			if err != nil {
				t.Fatal(err)
			}
			w := &recordWriter{format: pcapio.FormatPcap, prec: pcapio.Micro}
			batch := make([]byte, 0, 1<<20)
			i := 0
			allocs := testing.AllocsPerRun(2000, func() {
				pr := &prs[i%len(prs)]
				i++
				out, _, _ := r.Route(pr)
				if len(batch)+w.recordSize(pr) > cap(batch) {
					batch = batch[:0]
				}
				batch = w.appendRecord(batch, pr)
				_ = out
			})
			if allocs != 0 {
				t.Errorf("%s %v: %v allocations per packet", name, m, allocs)
			}
		}
	}
}
