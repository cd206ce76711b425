package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flowsplit/flowsplit/internal/status"
	"github.com/flowsplit/flowsplit/splitter"
)

// tlsPackets is how many packets libpcap reads from
// flows-tls-334conns.pcap (testdata/real/MANIFEST.md).
const tlsPackets = 7451

// lockedBuffer is a bytes.Buffer safe for concurrent use (a process's
// writes and a test's reads).
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// statsTotals checks that a --stats-json file parses and that its
// per-output totals add up to the input, and returns the input packets.
func statsTotals(t *testing.T, path string) (packets uint64, ok bool) {
	t.Helper()
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return 0, false
	}
	if err != nil {
		t.Fatal(err)
	}
	var st splitter.Stats
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatalf("stats json does not parse (not written atomically?): %v\n%s", err, b)
	}
	var sum uint64
	for _, o := range st.Outputs {
		sum += o.Packets
	}
	if w := st.Weird.Output; w != nil {
		sum += w.Packets
	}
	if sum+uint64(st.Routing.FragmentsHeld) != st.Input.Packets {
		t.Errorf("stats json: outputs sum to %d (+%d held), input %d", sum, st.Routing.FragmentsHeld, st.Input.Packets)
	}
	return st.Input.Packets, true
}

// TestStatsDuringRun feeds a real capture slowly through a pipe to the
// binary with --stats-json, --metrics on loopback and a short
// --stats-interval: the JSON file parses and adds up mid-run and at the end,
// the metrics are scraped mid-run, and stderr (not a terminal) gets plain
// status log lines.
func TestStatsDuringRun(t *testing.T) {
	data, err := os.ReadFile(realDir + "flows-tls-334conns.pcap")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	jsonPath := filepath.Join(dir, "stats.json")
	cmd := exec.Command(bin, "split", "-n", "3", "-o", filepath.Join(dir, "out-%d.pcap"),
		"--stats-json", jsonPath, "--stats-interval", "200ms", "--metrics", "127.0.0.1:0")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderrPipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	var stderr lockedBuffer
	metricsURL := make(chan string, 1)
	stderrDone := make(chan struct{})
	go func() {
		defer close(stderrDone)
		sc := bufio.NewScanner(stderrPipe)
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(&stderr, line)
			if u, ok := strings.CutPrefix(line, "flowsplit: metrics at "); ok {
				metricsURL <- u
			}
		}
	}()
	var url string
	select {
	case url = <-metricsURL:
	case <-time.After(10 * time.Second):
		t.Fatalf("no metrics address on stderr:\n%s", stderr.String())
	}

	// About 1.8 s of input: many stats intervals.
	midJSON, midScrape := false, false
	for off, i := 0, 0; off < len(data); off, i = off+16<<10, i+1 {
		if _, err := stdin.Write(data[off:min(off+16<<10, len(data))]); err != nil {
			t.Fatal(err)
		}
		time.Sleep(10 * time.Millisecond)
		if i%10 != 9 {
			continue
		}
		if n, ok := statsTotals(t, jsonPath); ok && n > 0 && n < tlsPackets {
			midJSON = true
		}
		if m := scrapeText(t, url); m["flowsplit_input_packets_total"] > 0 {
			var sum float64
			for k, v := range m {
				if strings.HasPrefix(k, "flowsplit_output_packets_total{") {
					sum += v
				}
			}
			if sum != m["flowsplit_input_packets_total"] {
				t.Errorf("metrics mid-run: outputs sum to %v, input %v", sum, m["flowsplit_input_packets_total"])
			}
			midScrape = true
		}
	}
	stdin.Close()
	<-stderrDone
	if err := cmd.Wait(); err != nil {
		t.Fatalf("split: %v\n%s", err, stderr.String())
	}
	if !midJSON {
		t.Error("the JSON statistics were never written mid-run")
	}
	if !midScrape {
		t.Error("the metrics never counted a packet mid-run")
	}
	if n, ok := statsTotals(t, jsonPath); !ok || n != tlsPackets {
		t.Errorf("final stats json: %d packets (written %v), want %d", n, ok, tlsPackets)
	}
	log := stderr.String()
	if c := strings.Count(log, "flowsplit: status: "); c < 2 {
		t.Errorf("%d status log lines on a non-terminal stderr, want some every 200ms:\n%s", c, log)
	}
	if strings.Contains(log, "\r") {
		t.Error("a status line (carriage return) on a non-terminal stderr")
	}
	if !strings.Contains(log, fmt.Sprintf("flowsplit: %d packets", tlsPackets)) {
		t.Errorf("no summary:\n%s", log)
	}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 2 * time.Second}
	if resp, err := client.Get(url); err == nil {
		resp.Body.Close()
		t.Error("the metrics server still answers after the split")
	}
}

// scrapeText fetches a Prometheus text page into series -> value.
func scrapeText(t *testing.T, url string) map[string]float64 {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("scrape: %v", err)
	}
	defer resp.Body.Close()
	m := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		if i := strings.LastIndexByte(line, ' '); i > 0 {
			if v, err := strconv.ParseFloat(line[i+1:], 64); err == nil {
				m[line[:i]] = v
			}
		}
	}
	return m
}

// TestQuietStatus: -q silences the status log lines, not the summary or the
// JSON statistics.
func TestQuietStatus(t *testing.T) {
	dir := t.TempDir()
	jsonPath := filepath.Join(dir, "stats.json")
	data, err := os.ReadFile(realDir + "flows-tls-334conns.pcap")
	if err != nil {
		t.Fatal(err)
	}
	// Slow enough for a few intervals.
	pr, pw := io.Pipe()
	go func() {
		for off := 0; off < len(data); off += 256 << 10 {
			pw.Write(data[off:min(off+256<<10, len(data))])
			time.Sleep(30 * time.Millisecond)
		}
		pw.Close()
	}()
	cmd := exec.Command(bin, "split", "-q", "-n", "2", "-o", filepath.Join(dir, "out-%d.pcap"),
		"--stats-json", jsonPath, "--stats-interval", "50ms")
	cmd.Stdin = pr
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("split: %v\n%s", err, out)
	}
	if strings.Contains(string(out), "status:") {
		t.Errorf("status lines despite -q:\n%s", out)
	}
	if !strings.Contains(string(out), fmt.Sprintf("flowsplit: %d packets", tlsPackets)) {
		t.Errorf("no summary with -q:\n%s", out)
	}
	if n, ok := statsTotals(t, jsonPath); !ok || n != tlsPackets {
		t.Errorf("stats json: %d packets, want %d", n, tlsPackets)
	}
}

// TestStatusLineOnTerminal drives the reporter as on a terminal: the line
// is drawn with a carriage return, a log message clears it first, and the
// end clears it.
func TestStatusLineOnTerminal(t *testing.T) {
	var out lockedBuffer
	r, err := startStatus(statusOptions{
		out: &out, tty: true, width: 60, interval: 20 * time.Millisecond, clock: status.SystemClock{},
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg := &splitter.Config{Log: &out}
	r.hook(cfg)
	st := &splitter.Stats{ElapsedSeconds: 1, Input: splitter.InputStats{Packets: 1500, Bytes: 150000}}
	st.Outputs = []splitter.OutputStats{{Index: 0, Packets: 500}, {Index: 1, Packets: 1000}}
	cfg.Observe(st)
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(out.String(), "\r1.50k pkts") {
		if time.Now().After(deadline) {
			t.Fatalf("no status line drawn: %q", out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	fmt.Fprintf(cfg.Log, "flowsplit: output 1: no reader\n")
	// The next refresh draws the line again.
	for !strings.Contains(out.String(), "no reader\n\r1.50k pkts") {
		if time.Now().After(deadline) {
			t.Fatalf("status line not redrawn after a message: %q", out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	r.finish(st)
	got := out.String()
	if !strings.Contains(got, "\r1.50k pkts  150.0 kB  1.5 kpps  1.2 Mbit/s  busiest #1 67%\x1b[K") {
		t.Errorf("status line not as expected: %q", got)
	}
	if !strings.Contains(got, "\x1b[K\r\x1b[Kflowsplit: output 1: no reader\n") {
		t.Errorf("log message did not clear the line first: %q", got)
	}
	if !strings.HasSuffix(got, "\r\x1b[K") {
		t.Errorf("line not cleared at the end: %q", got)
	}
	for _, line := range strings.Split(got, "\r") {
		if l := len(strings.TrimSuffix(line, "\x1b[K")); l > 59 {
			t.Errorf("line of %d columns on a 60-column terminal: %q", l, line)
		}
	}
}

// TestInputsSize: progress is measured against every input file, a
// directory's included.
func TestInputsSize(t *testing.T) {
	dir := t.TempDir()
	a, _ := os.ReadFile(realDir + "sctp.pcap")
	os.WriteFile(filepath.Join(dir, "1.pcap"), a, 0o644)
	os.WriteFile(filepath.Join(dir, "2.pcap"), a, 0o644)
	one := filepath.Join(dir, "1.pcap")
	for _, tc := range []struct {
		cfg  splitter.Config
		want int64
	}{
		{splitter.Config{Input: one}, int64(len(a))},
		{splitter.Config{Input: dir}, 2 * int64(len(a))},
		{splitter.Config{Inputs: []string{one, dir}}, 3 * int64(len(a))},
		{splitter.Config{Inputs: []string{one, "-"}}, 0},
	} {
		if got := inputsSize(&tc.cfg); got != tc.want {
			t.Errorf("%q %q: %d bytes, want %d", tc.cfg.Input, tc.cfg.Inputs, got, tc.want)
		}
	}
}
