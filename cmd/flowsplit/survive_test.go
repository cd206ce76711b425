package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/flowsplit/flowsplit/bench/gen"
	"github.com/flowsplit/flowsplit/internal/oracle"
)

// genCapture writes generated traffic (packets packets) to a file.
func genCapture(t *testing.T, dir string, packets int) string {
	t.Helper()
	path := filepath.Join(dir, "input.pcap")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := gen.WritePcap(f, gen.Config{Packets: packets, Flows: packets / 20, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// referenceSplit splits input into n files with default options and reads
// them back: what each worker must receive.
func referenceSplit(t *testing.T, input string, n int) [][]oracle.Record {
	t.Helper()
	pattern := filepath.Join(t.TempDir(), "ref-%d.pcap")
	if r := flowsplit(t, nil, "split", "-q", "-n", fmt.Sprint(n), "-o", pattern, input); r.code != 0 {
		t.Fatalf("reference split: exit %d: %s", r.code, r.stderr)
	}
	return readAll(t, pattern, n)
}

func readAll(t *testing.T, pattern string, n int) [][]oracle.Record {
	t.Helper()
	outs := make([][]oracle.Record, n)
	for i := range outs {
		recs, err := oracle.ReadFile(outPath(pattern, i))
		if err != nil {
			t.Fatalf("output %d: %v", i, err)
		}
		outs[i] = recs
	}
	return outs
}

func outPath(pattern string, i int) string { return strings.Replace(pattern, "%d", fmt.Sprint(i), 1) }

// indexOf finds rec in ref at or after from, or -1.
func indexOf(ref []oracle.Record, rec oracle.Record, from int) int {
	for i := from; i < len(ref); i++ {
		if ref[i].Time.Equal(rec.Time) && bytes.Equal(ref[i].Data, rec.Data) {
			return i
		}
	}
	return -1
}

// startReader starts `tcpdump -r fifo -w file`.
func startReader(t *testing.T, tcpdump, fifo, file string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(tcpdump, "-n", "-r", fifo, "-w", file)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGCONT)
		cmd.Process.Kill()
	})
	return cmd
}

type splitStats struct {
	Outputs []struct {
		Packets         uint64 `json:"packets"`
		WrittenPackets  uint64 `json:"written_packets"`
		DroppedPackets  uint64 `json:"dropped_packets"`
		SpilledPackets  uint64 `json:"spilled_packets"`
		ReplayedPackets uint64 `json:"replayed_packets"`
		SpillFile       string `json:"spill_file"`
		Reconnects      int64  `json:"reconnects"`
	} `json:"outputs"`
}

func readStats(t *testing.T, path string) splitStats {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var st splitStats
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return st
}

// TestReaderDiesAndReturns: worker 0's reader dies mid-stream and a new one
// attaches. flowsplit carries on (exit 0), workers 1-3 get all their
// packets, the new reader gets a valid capture with the rest of worker 0's
// packets, and what is lost is at most what the dead reader's pipe held.
func TestReaderDiesAndReturns(t *testing.T) {
	tcpdump := needTool(t, "tcpdump")
	dir := t.TempDir()
	input := genCapture(t, dir, 60000)
	ref := referenceSplit(t, input, 4)
	data, err := os.ReadFile(input)
	if err != nil {
		t.Fatal(err)
	}

	pattern := filepath.Join(dir, "w-%d.fifo")
	statsPath := filepath.Join(dir, "stats.json")
	fs := exec.Command(bin, "split", "--fifo", "-n", "4", "-o", pattern, "--stats-json", statsPath, "-")
	stdin, err := fs.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	fs.Stderr = &stderr
	if err := fs.Start(); err != nil {
		t.Fatal(err)
	}
	defer fs.Process.Kill()
	files := make([]string, 4)
	readers := make([]*exec.Cmd, 4)
	for i := range 4 {
		waitExists(t, outPath(pattern, i))
		files[i] = filepath.Join(dir, fmt.Sprintf("w-%d.pcap", i))
		readers[i] = startReader(t, tcpdump, outPath(pattern, i), files[i])
	}
	half := len(data) / 2
	if _, err := stdin.Write(data[:half]); err != nil {
		t.Fatal(err)
	}
	// The input pauses: flowsplit flushes everything to the readers.
	time.Sleep(700 * time.Millisecond)
	readers[0].Process.Signal(syscall.SIGTERM)
	waitTimeout(t, readers[0], 10*time.Second)
	time.Sleep(400 * time.Millisecond) // flowsplit notices the reader is gone
	newFile := filepath.Join(dir, "w-0-new.pcap")
	newReader := startReader(t, tcpdump, outPath(pattern, 0), newFile)
	time.Sleep(300 * time.Millisecond)
	if _, err := stdin.Write(data[half:]); err != nil {
		t.Fatal(err)
	}
	stdin.Close()
	waitTimeout(t, fs, 60*time.Second)
	if code := fs.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("flowsplit exit %d\n%s", code, stderr.String())
	}
	for _, r := range append(readers[1:], newReader) {
		waitTimeout(t, r, 30*time.Second)
		if !r.ProcessState.Success() {
			t.Errorf("%v: %v", r.Args, r.ProcessState)
		}
	}
	for i := 1; i < 4; i++ {
		got, err := oracle.ReadFile(files[i])
		if err != nil {
			t.Fatal(err)
		}
		if !sameRecords(got, ref[i]) {
			t.Errorf("worker %d got %d packets, want exactly its %d", i, len(got), len(ref[i]))
		}
	}
	old, err := oracle.ReadFile(files[0])
	if err != nil {
		t.Fatalf("the dead reader's capture: %v", err)
	}
	fresh, err := oracle.ReadFile(newFile)
	if err != nil {
		t.Fatalf("the new reader's capture is not valid: %v", err)
	}
	if len(old) == 0 || len(fresh) == 0 {
		t.Fatalf("old reader got %d packets, new reader %d: the test did not split the stream", len(old), len(fresh))
	}
	if !sameRecords(old, ref[0][:len(old)]) {
		t.Fatal("the dead reader's packets are not the start of worker 0's packets")
	}
	start := indexOf(ref[0], fresh[0], len(old))
	if start < 0 || !sameRecords(fresh, ref[0][start:]) {
		t.Fatalf("the new reader's packets are not the rest of worker 0's packets (first at %d)", start)
	}
	var lost int
	for _, r := range ref[0][len(old):start] {
		lost += 16 + len(r.Data)
	}
	t.Logf("old reader %d, new reader %d, lost %d packets (%d bytes) of %d", len(old), len(fresh), start-len(old), lost, len(ref[0]))
	if lost > 1<<20+256<<10 {
		t.Errorf("lost %d bytes: more than a pipe (1 MiB) and tcpdump's buffer", lost)
	}
	st := readStats(t, statsPath)
	if st.Outputs[0].Reconnects < 1 {
		t.Errorf("stats: output 0 reconnects %d, want >= 1", st.Outputs[0].Reconnects)
	}
	if !strings.Contains(stderr.String(), "output 0") || !strings.Contains(stderr.String(), "went away") {
		t.Errorf("flowsplit did not log that output 0's reader went away:\n%s", stderr.String())
	}
}

// stoppedReaderRun splits input into 4 FIFOs read by tcpdump, reader
// stop stopped with SIGSTOP from the start, with extra flowsplit args; it
// returns when flowsplit has exited, then resumes that reader and waits.
func stoppedReaderRun(t *testing.T, input string, stop int, resumeBeforeExit bool, args ...string) (files []string, st splitStats, stderr string) {
	tcpdump := needTool(t, "tcpdump")
	dir := t.TempDir()
	pattern := filepath.Join(dir, "w-%d.fifo")
	statsPath := filepath.Join(dir, "stats.json")
	fs := exec.Command(bin, append([]string{"split", "--fifo", "-n", "4", "-o", pattern, "--stats-json", statsPath, "--queue-size", "256KiB", "--spill-dir", dir}, append(args, input)...)...)
	var se bytes.Buffer
	fs.Stderr = &se
	if err := fs.Start(); err != nil {
		t.Fatal(err)
	}
	defer fs.Process.Kill()
	files = make([]string, 4)
	readers := make([]*exec.Cmd, 4)
	waitExists(t, outPath(pattern, 3))
	for i := range 4 {
		files[i] = filepath.Join(dir, fmt.Sprintf("w-%d.pcap", i))
	}
	// That reader first, stopped once it has the capture header.
	readers[stop] = startReader(t, tcpdump, outPath(pattern, stop), files[stop])
	for i := range 4 {
		if i != stop {
			readers[i] = startReader(t, tcpdump, outPath(pattern, i), files[i])
		}
	}
	waitExists(t, files[stop])
	readers[stop].Process.Signal(syscall.SIGSTOP)
	// The others finish while it is stopped: nobody stalls.
	for i := range 4 {
		if i == stop {
			continue
		}
		waitTimeout(t, readers[i], 60*time.Second)
		if !readers[i].ProcessState.Success() {
			t.Errorf("reader %d: %v", i, readers[i].ProcessState)
		}
	}
	if resumeBeforeExit {
		readers[stop].Process.Signal(syscall.SIGCONT)
	}
	waitTimeout(t, fs, 60*time.Second)
	if code := fs.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("flowsplit exit %d\n%s", code, se.String())
	}
	readers[stop].Process.Signal(syscall.SIGCONT)
	waitTimeout(t, readers[stop], 30*time.Second)
	return files, readStats(t, statsPath), se.String()
}

// busiest returns the output with the most bytes in ref, the one whose
// stopped reader surely fills its pipe and queue.
func busiest(ref [][]oracle.Record) int {
	best, most := 0, 0
	for i, recs := range ref {
		n := 0
		for _, r := range recs {
			n += len(r.Data)
		}
		if n > most {
			best, most = i, n
		}
	}
	return best
}

// TestDropStoppedReader: under --on-full drop a stopped reader stalls
// nobody, and for every output delivered + dropped = routed, exactly.
func TestDropStoppedReader(t *testing.T) {
	input := genCapture(t, t.TempDir(), 40000)
	ref := referenceSplit(t, input, 4)
	stop := busiest(ref)
	files, st, stderr := stoppedReaderRun(t, input, stop, false, "--on-full", "drop", "--drain-timeout", "500ms")
	for i, f := range files {
		got, err := oracle.ReadFile(f)
		if err != nil {
			t.Fatalf("output %d is not a valid capture: %v", i, err)
		}
		o := st.Outputs[i]
		if uint64(len(got)) != o.WrittenPackets || o.WrittenPackets+o.DroppedPackets != o.Packets || o.Packets != uint64(len(ref[i])) {
			t.Errorf("output %d: delivered %d, written %d + dropped %d, routed %d, reference %d",
				i, len(got), o.WrittenPackets, o.DroppedPackets, o.Packets, len(ref[i]))
		}
		// What was delivered is in order, a subsequence of the reference.
		at := 0
		for k, r := range got {
			if at = indexOf(ref[i], r, at); at < 0 {
				t.Fatalf("output %d: delivered packet %d of %d (%d bytes, %v) is out of order or unknown\n%s", i, k, len(got), len(r.Data), r.Time, stderr)
			}
			at++
		}
	}
	if st.Outputs[stop].DroppedPackets == 0 {
		t.Errorf("the stopped output dropped nothing: the test did not fill its queue\n%s", stderr)
	}
}

// TestSpillStoppedReader: under --on-full spill a stopped reader stalls
// nobody, and after it resumes it gets every packet, in order.
func TestSpillStoppedReader(t *testing.T) {
	input := genCapture(t, t.TempDir(), 40000)
	ref := referenceSplit(t, input, 4)
	stop := busiest(ref)
	files, st, stderr := stoppedReaderRun(t, input, stop, true, "--on-full", "spill", "--drain-timeout", "60s")
	for i, f := range files {
		got, err := oracle.ReadFile(f)
		if err != nil {
			t.Fatalf("output %d: %v", i, err)
		}
		if !sameRecords(got, ref[i]) {
			t.Errorf("output %d: got %d packets, want exactly its %d in order", i, len(got), len(ref[i]))
		}
	}
	o := st.Outputs[stop]
	if o.SpilledPackets == 0 || o.ReplayedPackets != o.SpilledPackets || o.SpillFile != "" {
		t.Errorf("output %d: spilled %d, replayed %d, left in %q\n%s", stop, o.SpilledPackets, o.ReplayedPackets, o.SpillFile, stderr)
	}
}

// TestSIGTERMMidStream: SIGTERM while the input is still coming leaves
// every output a valid capture whose packets are a prefix of the output's
// packets, and exits with the documented code 4.
func TestSIGTERMMidStream(t *testing.T) {
	dir := t.TempDir()
	input := genCapture(t, dir, 30000)
	ref := referenceSplit(t, input, 3)
	data, _ := os.ReadFile(input)
	pattern := filepath.Join(dir, "o-%d.pcap")
	fs := exec.Command(bin, "split", "-n", "3", "-o", pattern, "-")
	stdin, _ := fs.StdinPipe()
	var stderr bytes.Buffer
	fs.Stderr = &stderr
	if err := fs.Start(); err != nil {
		t.Fatal(err)
	}
	defer fs.Process.Kill()
	stdin.Write(data[:len(data)/2])
	time.Sleep(500 * time.Millisecond)
	fs.Process.Signal(syscall.SIGTERM)
	waitTimeout(t, fs, 30*time.Second)
	stdin.Close()
	if code := fs.ProcessState.ExitCode(); code != exitSignal {
		t.Fatalf("exit %d, want %d\n%s", code, exitSignal, stderr.String())
	}
	if last := strings.TrimSpace(stderr.String()); !strings.HasSuffix(last, "flowsplit: stopped by a signal before the end of the input; every output flushed and closed") {
		t.Errorf("last message after SIGTERM:\n%s", last)
	}
	total := 0
	for i := range 3 {
		got, err := oracle.ReadFile(outPath(pattern, i))
		if err != nil {
			t.Fatalf("output %d is not a valid capture after SIGTERM: %v", i, err)
		}
		if !sameRecords(got, ref[i][:len(got)]) {
			t.Errorf("output %d: not a prefix of its packets", i)
		}
		total += len(got)
	}
	if total == 0 {
		t.Error("nothing written before SIGTERM")
	}
}

// TestSIGUSR1PrintsStatistics: SIGUSR1 prints the current statistics on
// stderr while the split goes on.
func TestSIGUSR1PrintsStatistics(t *testing.T) {
	dir := t.TempDir()
	data, _ := os.ReadFile(realDir + "null-af2-http-41flows.pcap")
	fs := exec.Command(bin, "split", "-n", "2", "-o", filepath.Join(dir, "o-%d.pcap"), "-")
	stdin, _ := fs.StdinPipe()
	var stderr lockedBuffer
	fs.Stderr = &stderr
	if err := fs.Start(); err != nil {
		t.Fatal(err)
	}
	defer fs.Process.Kill()
	stdin.Write(data[:len(data)/2])
	waitExists(t, filepath.Join(dir, "o-1.pcap"))
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(stderr.String(), "output 1") && time.Now().Before(deadline) {
		fs.Process.Signal(syscall.SIGUSR1)
		time.Sleep(200 * time.Millisecond)
	}
	mid := stderr.String()
	stdin.Write(data[len(data)/2:])
	stdin.Close()
	waitTimeout(t, fs, 30*time.Second)
	if fs.ProcessState.ExitCode() != 0 {
		t.Fatalf("exit %d: %s", fs.ProcessState.ExitCode(), stderr.String())
	}
	if !strings.Contains(mid, "packets") || !strings.Contains(mid, "output 0") {
		t.Fatalf("no statistics on SIGUSR1 before the end:\n%s", mid)
	}
}

// TestNoWaitReaders: with --wait-readers=false the split starts although
// no FIFO has a reader; a reader that comes later gets a valid capture of
// what was routed to it from then on, and under drop what could not be
// delivered is counted.
func TestNoWaitReaders(t *testing.T) {
	tcpdump := needTool(t, "tcpdump")
	dir := t.TempDir()
	input := genCapture(t, dir, 20000)
	data, _ := os.ReadFile(input)
	pattern := filepath.Join(dir, "w-%d.fifo")
	statsPath := filepath.Join(dir, "stats.json")
	fs := exec.Command(bin, "split", "--fifo", "--wait-readers=false", "--on-full", "drop", "--queue-size", "256KiB",
		"--drain-timeout", "1s", "-n", "2", "-o", pattern, "--stats-json", statsPath, "-")
	stdin, _ := fs.StdinPipe()
	var stderr lockedBuffer
	fs.Stderr = &stderr
	if err := fs.Start(); err != nil {
		t.Fatal(err)
	}
	defer fs.Process.Kill()
	// The first half goes in with no reader at all.
	stdin.Write(data[:len(data)/2])
	time.Sleep(500 * time.Millisecond)
	file := filepath.Join(dir, "w-1.pcap")
	rd := startReader(t, tcpdump, outPath(pattern, 1), file)
	time.Sleep(300 * time.Millisecond)
	stdin.Write(data[len(data)/2:])
	stdin.Close()
	waitTimeout(t, fs, 30*time.Second)
	if code := fs.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	waitTimeout(t, rd, 10*time.Second)
	got, err := oracle.ReadFile(file)
	if err != nil {
		t.Fatalf("the late reader's capture: %v", err)
	}
	st := readStats(t, statsPath)
	for i, o := range st.Outputs {
		if o.WrittenPackets+o.DroppedPackets != o.Packets {
			t.Errorf("output %d: written %d + dropped %d != routed %d", i, o.WrittenPackets, o.DroppedPackets, o.Packets)
		}
	}
	if o := st.Outputs[0]; o.WrittenPackets != 0 || o.DroppedPackets == 0 {
		t.Errorf("output 0 never had a reader: written %d dropped %d", o.WrittenPackets, o.DroppedPackets)
	}
	if o := st.Outputs[1]; uint64(len(got)) != o.WrittenPackets || len(got) == 0 {
		t.Errorf("output 1: the late reader got %d packets, %d written", len(got), o.WrittenPackets)
	}
	if !strings.Contains(stderr.String(), "no reader") {
		t.Errorf("outputs without a reader at start not reported:\n%s", stderr.String())
	}
}

// TestSecondSignalExits: a second SIGTERM exits at once even while the
// drain waits for a stopped reader.
func TestSecondSignalExits(t *testing.T) {
	tcpdump := needTool(t, "tcpdump")
	dir := t.TempDir()
	input := genCapture(t, dir, 200000) // more than the worker reads before it is stopped
	pattern := filepath.Join(dir, "w-%d.fifo")
	fs := exec.Command(bin, "split", "--fifo", "--drain-timeout", "60s", "--queue-size", "256KiB", "-n", "1", "-o", pattern, input)
	var stderr lockedBuffer
	fs.Stderr = &stderr
	if err := fs.Start(); err != nil {
		t.Fatal(err)
	}
	defer fs.Process.Kill()
	waitExists(t, outPath(pattern, 0))
	file := filepath.Join(dir, "w-0.pcap")
	rd := startReader(t, tcpdump, outPath(pattern, 0), file)
	waitExists(t, file)
	rd.Process.Signal(syscall.SIGSTOP) // the worker stalls: --on-full block waits
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(stderr.String(), "blocked for") && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if !strings.Contains(stderr.String(), "output 0") || !strings.Contains(stderr.String(), "blocked for") {
		t.Errorf("stderr does not say which output blocks and for how long:\n%s", stderr.String())
	}
	fs.Process.Signal(syscall.SIGTERM)
	time.Sleep(300 * time.Millisecond)
	fs.Process.Signal(syscall.SIGTERM)
	waitTimeout(t, fs, 10*time.Second)
	if code := fs.ProcessState.ExitCode(); code != exitSignal {
		t.Fatalf("exit %d, want %d\n%s", code, exitSignal, stderr.String())
	}
	if !strings.Contains(stderr.String(), "second signal") {
		t.Errorf("no word about the second signal:\n%s", stderr.String())
	}
}
