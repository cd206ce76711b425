package metrics

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/flowsplit/flowsplit/hashing"
	"github.com/flowsplit/flowsplit/internal/status"
	"github.com/flowsplit/flowsplit/splitter"
)

const realCapture = "../../testdata/real/flows-tls-334conns.pcap"

// realPackets is how many packets libpcap reads from realCapture
// (testdata/real/MANIFEST.md).
const realPackets = 7451

// TestServeDuringRun splits a real capture fed slowly through a pipe, with
// the metrics served on loopback; scrapes during and after the run show
// per-output counters that add up to the input.
func TestServeDuringRun(t *testing.T) {
	data, err := os.ReadFile(realCapture)
	if err != nil {
		t.Fatal(err)
	}
	latest := status.NewLatest(status.SystemClock{})
	srv, err := Listen("127.0.0.1:0", latest.Load)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close(context.Background())

	const n = 4
	pr, pw := io.Pipe()
	var log bytes.Buffer
	cfg := &splitter.Config{
		Input:           "-",
		Stdin:           pr,
		Workers:         n,
		OutPattern:      filepath.Join(t.TempDir(), "out-%d.pcap"),
		Route:           splitter.RouteConfig{Hash: hashing.Config{Mode: hashing.Mode5Tuple}},
		Log:             &log,
		Observe:         latest.Store,
		ObserveInterval: 20 * time.Millisecond,
	}
	type result struct {
		st  *splitter.Stats
		err error
	}
	done := make(chan result, 1)
	go func() {
		st, err := splitter.Run(context.Background(), cfg)
		done <- result{st, err}
	}()

	// Half the capture, then keep the pipe open while scraping: the
	// engine has read some packets and is waiting for more.
	half := len(data) / 2
	for off := 0; off < half; off += 16 << 10 {
		if _, err := pw.Write(data[off:min(off+16<<10, half)]); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * time.Millisecond)
	}
	var mid map[string]float64
	deadline := time.Now().Add(10 * time.Second)
	for {
		mid = scrape(t, srv.URL())
		if mid["flowsplit_input_packets_total"] > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no packets counted mid-run; log:\n%s", log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	in := mid["flowsplit_input_packets_total"]
	if in >= realPackets {
		t.Fatalf("mid-run scrape counts %v packets: the whole input, not mid-run", in)
	}
	sum, outs := sumOutputs(mid, "flowsplit_output_packets_total")
	if outs != n || sum+mid["flowsplit_fragments_held"] != in {
		t.Errorf("mid-run: %d outputs summing to %v packets (+%v held), input %v", outs, sum, mid["flowsplit_fragments_held"], in)
	}
	if _, ok := mid["flowsplit_lag_seconds"]; !ok {
		t.Error("flowsplit_lag_seconds missing")
	}

	if _, err := pw.Write(data[half:]); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	var res result
	select {
	case res = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("run did not end")
	}
	if res.err != nil {
		t.Fatalf("run: %v\n%s", res.err, log.String())
	}
	latest.Final(res.st)

	end := scrape(t, srv.URL())
	if got := end["flowsplit_input_packets_total"]; got != realPackets {
		t.Errorf("input packets %v, want %d", got, realPackets)
	}
	sum, _ = sumOutputs(end, "flowsplit_output_packets_total")
	written, _ := sumOutputs(end, "flowsplit_output_written_packets_total")
	if sum != realPackets || written != realPackets {
		t.Errorf("outputs: %v routed, %v written; want %d each", sum, written, realPackets)
	}
	for i, o := range res.st.Outputs {
		key := `flowsplit_output_packets_total{output="` + OutputLabel(i) + `"}`
		if end[key] != float64(o.Packets) {
			t.Errorf("%s = %v, the run says %d", key, end[key], o.Packets)
		}
	}
	// The lag is the age of the last packet's capture time.
	last := end["flowsplit_last_packet_timestamp_seconds"]
	age := float64(time.Now().UnixNano())/1e9 - last
	if lag := end["flowsplit_lag_seconds"]; last == 0 || lag <= 0 || lag > age || age-lag > 60 {
		t.Errorf("lag %v s, last packet at %v (%v s ago)", lag, last, age)
	}

	if err := srv.Close(context.Background()); err != nil {
		t.Fatalf("close: %v", err)
	}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 5 * time.Second}
	if resp, err := client.Get(srv.URL()); err == nil {
		resp.Body.Close()
		t.Error("server still answers after Close")
	}
}
