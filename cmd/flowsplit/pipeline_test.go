package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/flowsplit/flowsplit/internal/oracle"
)

// checkOutputs judges files as a split of input with the independent reader.
func checkOutputs(t *testing.T, input string, files []string, mode string) oracle.Split {
	t.Helper()
	in, err := oracle.ReadFile(input)
	if err != nil {
		t.Fatal(err)
	}
	outs := make([][]oracle.Record, len(files))
	for i, f := range files {
		if outs[i], err = oracle.ReadFile(f); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	res, err := oracle.CheckSplit(in, outs, nil, oracle.KeyOptions{Mode: mode})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func waitExists(t *testing.T, path string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, err := os.Stat(path); err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never appeared", path)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestFIFOsReadByTcpdump is the production shape: flowsplit creates N FIFOs
// and waits; N `tcpdump -r FIFO -w FILE` workers attach late; every packet
// reaches the worker files, whole flows each.
func TestFIFOsReadByTcpdump(t *testing.T) {
	tcpdump := needTool(t, "tcpdump")
	const n = 4
	input := realDir + "flows-tls-334conns.pcap"
	dir := t.TempDir()
	pattern := filepath.Join(dir, "worker-%d.fifo")
	var stderr bytes.Buffer
	fs := exec.Command(bin, "split", "--fifo", "-n", fmt.Sprint(n), "-o", pattern, input)
	fs.Stderr = &stderr
	if err := fs.Start(); err != nil {
		t.Fatal(err)
	}
	defer fs.Process.Kill()
	var readers []*exec.Cmd
	var files []string
	for i := range n {
		fifo := strings.Replace(pattern, "%d", fmt.Sprint(i), 1)
		waitExists(t, fifo)
		if i == n-1 {
			// Let flowsplit notice a missing reader before the last one comes.
			time.Sleep(300 * time.Millisecond)
		}
		file := filepath.Join(dir, fmt.Sprintf("worker-%d.pcap", i))
		rd := exec.Command(tcpdump, "-n", "-r", fifo, "-w", file)
		if err := rd.Start(); err != nil {
			t.Fatal(err)
		}
		readers = append(readers, rd)
		files = append(files, file)
	}
	waitTimeout(t, fs, 60*time.Second)
	if code := fs.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("flowsplit exit %d\n%s", code, stderr.String())
	}
	for i, rd := range readers {
		waitTimeout(t, rd, 30*time.Second)
		if !rd.ProcessState.Success() {
			t.Errorf("tcpdump on output %d: %v", i, rd.ProcessState)
		}
	}
	if !strings.Contains(stderr.String(), "waiting for readers") {
		t.Errorf("flowsplit did not say it was waiting for FIFO readers:\n%s", stderr.String())
	}
	res := checkOutputs(t, input, files, "5tuple")
	for i, c := range res.PerOutput {
		if c == 0 {
			t.Errorf("worker %d got nothing", i)
		}
	}
}

func waitTimeout(t *testing.T, cmd *exec.Cmd, d time.Duration) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(d):
		cmd.Process.Kill()
		<-done
		t.Fatalf("%s: timed out", cmd.Path)
	}
}

// TestTsharkReadsOutputs: tshark reads every output of several captures
// (nanosecond, big-endian, cooked, raw IP) and counts the packets gopacket
// counts.
func TestTsharkReadsOutputs(t *testing.T) {
	tshark := needTool(t, "tshark")
	for _, name := range []string{"be-nsec-ether.pcap", "sll-tcp-dns.pcap", "rawip-lt12-ipv6-http.pcap", "null-af2-http-41flows.pcap", "caplen96-tcp-timestamps.pcap"} {
		dir := t.TempDir()
		pattern := filepath.Join(dir, "o-%d.pcap")
		if r := flowsplit(t, nil, "split", "-q", "-n", "3", "-o", pattern, realDir+name); r.code != 0 {
			t.Fatalf("%s: exit %d: %s", name, r.code, r.stderr)
		}
		total := 0
		for i := range 3 {
			path := strings.Replace(pattern, "%d", fmt.Sprint(i), 1)
			out, err := exec.Command(tshark, "-n", "-r", path, "-T", "fields", "-e", "frame.number").Output()
			if err != nil {
				t.Fatalf("tshark -r %s (%s): %v", path, name, err)
			}
			got := len(strings.Fields(string(out)))
			recs, err := oracle.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got != len(recs) {
				t.Errorf("%s output %d: tshark reads %d packets, gopacket %d", name, i, got, len(recs))
			}
			total += got
		}
		in, _ := oracle.ReadFile(realDir + name)
		if total != len(in) {
			t.Errorf("%s: tshark reads %d packets over the outputs, input has %d", name, total, len(in))
		}
	}
}

// TestTcpdumpStdinPipeline: `tcpdump -r X -w - | flowsplit split ... -`.
func TestTcpdumpStdinPipeline(t *testing.T) {
	tcpdump := needTool(t, "tcpdump")
	input := realDir + "null-af2-http-41flows.pcap"
	dir := t.TempDir()
	pattern := filepath.Join(dir, "o-%d.pcap")
	src := exec.Command(tcpdump, "-r", input, "-w", "-")
	fs := exec.Command(bin, "split", "-n", "4", "-o", pattern, "-")
	pipe, err := src.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	fs.Stdin = pipe
	var stderr bytes.Buffer
	fs.Stderr = &stderr
	if err := src.Start(); err != nil {
		t.Fatal(err)
	}
	if err := fs.Start(); err != nil {
		t.Fatal(err)
	}
	waitTimeout(t, src, 30*time.Second)
	waitTimeout(t, fs, 30*time.Second)
	if fs.ProcessState.ExitCode() != 0 {
		t.Fatalf("flowsplit: %v\n%s", fs.ProcessState, stderr.String())
	}
	files := make([]string, 4)
	for i := range files {
		files[i] = strings.Replace(pattern, "%d", fmt.Sprint(i), 1)
	}
	checkOutputs(t, input, files, "5tuple")
}

// TestTcpflowSameStreams answers the user's question "does each worker see
// whole connections?": tcpflow reassembles the TCP streams of the whole
// capture and of each output; the outputs together give exactly the same
// streams, byte for byte, and no stream is reassembled from two outputs.
func TestTcpflowSameStreams(t *testing.T) {
	tcpflow := needTool(t, "tcpflow")
	for _, name := range []string{"flows-tls-334conns.pcap", "null-af2-http-41flows.pcap", "sll-tcp-dns.pcap", "vlan-triple-8100.pcap", "ipv6-exthdrs-atomic-frag.pcap"} {
		input := realDir + name
		dir := t.TempDir()
		pattern := filepath.Join(dir, "o-%d.pcap")
		const n = 4
		if r := flowsplit(t, nil, "split", "-q", "-n", fmt.Sprint(n), "-o", pattern, input); r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		whole := runTcpflow(t, tcpflow, input, filepath.Join(dir, "whole"))
		if len(whole) == 0 {
			t.Fatalf("%s: tcpflow found no streams in the input", name)
		}
		split := map[string][]byte{}
		for i := range n {
			streams := runTcpflow(t, tcpflow, strings.Replace(pattern, "%d", fmt.Sprint(i), 1), filepath.Join(dir, fmt.Sprint("split", i)))
			for k, v := range streams {
				if _, dup := split[k]; dup {
					t.Errorf("%s: stream %s reassembled on two outputs", name, k)
				}
				split[k] = v
			}
		}
		if len(split) != len(whole) {
			t.Errorf("%s: %d streams from the outputs, %d from the whole capture", name, len(split), len(whole))
		}
		for k, v := range whole {
			if !bytes.Equal(split[k], v) {
				t.Errorf("%s: stream %s differs (%d bytes whole, %d split)", name, k, len(v), len(split[k]))
			}
		}
	}
}

// runTcpflow reassembles the TCP streams of a capture into dir and returns
// them by tcpflow's stream name.
func runTcpflow(t *testing.T, tcpflow, capture, dir string) map[string][]byte {
	t.Helper()
	if out, err := exec.Command(tcpflow, "-r", capture, "-o", dir).CombinedOutput(); err != nil {
		t.Fatalf("tcpflow -r %s: %v\n%s", capture, err, out)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	streams := map[string][]byte{}
	for _, e := range entries {
		if e.IsDir() || strings.HasSuffix(e.Name(), ".xml") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		streams[e.Name()] = b
	}
	return streams
}

// TestFIFOInput is pcapdj's setup: the input is a FIFO whose writer
// delivers the capture in 4 KiB pieces with pauses. flowsplit must open it
// once, read it to the end, and split every packet.
func TestFIFOInput(t *testing.T) {
	input := realDir + "null-af2-http-41flows.pcap"
	data, err := os.ReadFile(input)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "pcapdj.fifo")
	if err := syscall.Mkfifo(in, 0o600); err != nil {
		t.Fatal(err)
	}
	fed := make(chan error, 1)
	go func() {
		w, err := os.OpenFile(in, os.O_WRONLY, 0)
		if err != nil {
			fed <- err
			return
		}
		for i := 0; i < len(data); i += 4096 {
			if _, err := w.Write(data[i:min(i+4096, len(data))]); err != nil {
				w.Close()
				fed <- err
				return
			}
			if i/4096%10 == 9 {
				time.Sleep(120 * time.Millisecond)
			}
		}
		fed <- w.Close()
	}()
	pattern := filepath.Join(dir, "o-%d.pcap")
	r := flowsplit(t, nil, "split", "-n", "3", "-o", pattern, "--stats-json", filepath.Join(dir, "s.json"), in)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if err := <-fed; err != nil {
		t.Fatalf("the writer of the input FIFO failed: %v", err)
	}
	files := []string{}
	for i := range 3 {
		files = append(files, strings.Replace(pattern, "%d", fmt.Sprint(i), 1))
	}
	checkOutputs(t, input, files, "5tuple")
}
