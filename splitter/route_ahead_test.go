package splitter

import (
	"os"
	"strings"
	"testing"

	"github.com/flowsplit/flowsplit/hashing"
	"github.com/flowsplit/flowsplit/internal/oracle"
	"github.com/flowsplit/flowsplit/internal/pcapio"
)

// records converts the oracle's records into the reader's, Offset the
// index.
func records(orecs []oracle.Record) []pcapio.Record {
	recs := make([]pcapio.Record, len(orecs))
	for i, o := range orecs {
		recs[i] = pcapio.Record{LinkType: uint16(o.LinkType), Sec: o.Time.Unix(), Nsec: uint32(o.Time.Nanosecond()),
			CapLen: uint32(len(o.Data)), OrigLen: uint32(o.OrigLen), Data: o.Data, Offset: int64(i)}
	}
	return recs
}

// decision is one routing result: Route's, or a held record's at Release.
type decision struct {
	index       int
	out         int
	weird, held bool
}

// routeAhead routes recs through a fresh lfu router over outputs outputs,
// handing each record to Prefetch ahead records before its Route (0: no
// Prefetch), and returns every decision in order.
func routeAhead(t *testing.T, recs []pcapio.Record, ahead, outputs int) []decision {
	t.Helper()
	r, err := NewRouter(RouteConfig{Hash: hashing.Config{Mode: hashing.ModeLFU}, ICMPErrors: true}, outputs)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var ds []decision
	emit := func(rec *pcapio.Record, o int, weird bool) {
		ds = append(ds, decision{int(rec.Offset), o, weird, false})
	}
	for i := range min(ahead, len(recs)) {
		r.Prefetch(&recs[i])
	}
	for i := range recs {
		if j := i + ahead; ahead > 0 && j < len(recs) {
			r.Prefetch(&recs[j])
		}
		o, weird, held := r.Route(&recs[i])
		ds = append(ds, decision{i, o, weird, held})
		r.Release(emit)
	}
	r.Flush(emit)
	return ds
}

// TestPrefetchSameDecisions: routing with records handed to Prefetch
// ahead of Route decides exactly as routing without, on every real
// capture (fragments held and released, ICMP errors, tunnels, non-IP),
// for several look-ahead depths, including one beyond the hint slots.
func TestPrefetchSameDecisions(t *testing.T) {
	ents, err := os.ReadDir(realDir)
	if err != nil {
		t.Fatal(err)
	}
	tried := 0
	for _, e := range ents {
		if !strings.HasSuffix(e.Name(), ".pcap") && !strings.HasSuffix(e.Name(), ".pcapng") {
			continue
		}
		orecs, err := oracle.ReadFile(realDir + e.Name())
		if err != nil || len(orecs) == 0 {
			continue // the captures of bad input
		}
		recs := records(orecs)
		tried++
		want := routeAhead(t, recs, 0, 3)
		for _, ahead := range []int{1, 8, aheadSlots - 1, aheadSlots + 3} {
			got := routeAhead(t, recs, ahead, 3)
			if len(got) != len(want) {
				t.Fatalf("%s ahead %d: %d decisions, want %d", e.Name(), ahead, len(got), len(want))
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("%s ahead %d: decision %d is %+v, want %+v", e.Name(), ahead, i, got[i], want[i])
				}
			}
		}
	}
	if tried < 20 {
		t.Fatalf("only %d captures read", tried)
	}
}

// TestPrefetchNoAllocs: Prefetch then Route of each record allocates
// nothing in the lfu mode.
func TestPrefetchNoAllocs(t *testing.T) {
	orecs, err := oracle.ReadFile(realDir + "flows-tls-334conns.pcap")
	if err != nil {
		t.Fatal(err)
	}
	recs := records(orecs)
	r, err := NewRouter(RouteConfig{Hash: hashing.Config{Mode: hashing.ModeLFU}}, 8)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	i := 0
	step := func() {
		r.Prefetch(&recs[(i+8)%len(recs)])
		r.Route(&recs[i%len(recs)])
		i++
	}
	for range len(recs) {
		step()
	}
	if n := testing.AllocsPerRun(2000, step); n != 0 {
		t.Errorf("%v allocations per packet", n)
	}
	if st := r.Stats(); st.FlowTableSize == 0 {
		t.Error("no flow in the table")
	}
}
