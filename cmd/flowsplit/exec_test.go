package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/flowsplit/flowsplit/internal/oracle"
)

// End-to-end tests of `split --exec`: real worker processes (tcpdump, and
// testdata/worker, a small program that copies, crashes or hangs on
// purpose) started and supervised by the flowsplit binary.

var (
	workerOnce sync.Once
	workerBin  string
	workerErr  error
)

// testWorker builds testdata/worker once, next to the flowsplit binary.
func testWorker(t *testing.T) string {
	t.Helper()
	workerOnce.Do(func() {
		workerBin = filepath.Join(filepath.Dir(bin), "worker")
		out, err := exec.Command("go", "build", "-o", workerBin, "./testdata/worker").CombinedOutput()
		if err != nil {
			workerErr = fmt.Errorf("build worker: %v\n%s", err, out)
		}
	})
	if workerErr != nil {
		t.Fatal(workerErr)
	}
	return workerBin
}

// runIn runs flowsplit in dir, bounded in time.
func runIn(t *testing.T, dir string, args ...string) result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitTimeout(t, cmd, 60*time.Second)
	return result{cmd.ProcessState.ExitCode(), so.String(), se.String()}
}

// TestExecTcpdump: N tcpdump workers started by flowsplit, each in its
// default working directory ./worker-I/ with its stdout.log and
// stderr.log, write captures that together are the input, flow by flow.
func TestExecTcpdump(t *testing.T) {
	needTool(t, "tcpdump")
	const n = 4
	input, err := filepath.Abs(realDir + "flows-tls-334conns.pcap")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	r := runIn(t, dir, "split", "-n", strconv.Itoa(n), "-o", "w-%d.fifo",
		"--exec", "tcpdump -n -r {fifo} -w {dir}/out.pcap", input)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	var files []string
	for i := range n {
		wd := filepath.Join(dir, fmt.Sprintf("worker-%d", i))
		for _, name := range []string{"out.pcap", "stdout.log", "stderr.log"} {
			if _, err := os.Stat(filepath.Join(wd, name)); err != nil {
				t.Errorf("worker %d: %v", i, err)
			}
		}
		log, _ := os.ReadFile(filepath.Join(wd, "stderr.log"))
		if want := filepath.Join(dir, fmt.Sprintf("w-%d.fifo", i)); !strings.Contains(string(log), want) {
			t.Errorf("worker %d: tcpdump's stderr.log does not name its FIFO %s:\n%s", i, want, log)
		}
		files = append(files, filepath.Join(wd, "out.pcap"))
	}
	res := checkOutputs(t, input, files, "5tuple")
	for i, c := range res.PerOutput {
		if c == 0 {
			t.Errorf("worker %d got nothing", i)
		}
	}
	if got := strings.Count(r.stderr, "  exit 0\n"); got != n {
		t.Errorf("summary shows %d workers with exit 0, want %d:\n%s", got, n, r.stderr)
	}
}

// TestExecCrashOnce: worker 0 reads 64 KiB and crashes; it is restarted,
// the split goes on (--on-full block), and the new process gets every
// packet after those the dead one had read or left in its pipe, under a
// fresh capture header.
func TestExecCrashOnce(t *testing.T) {
	w := testWorker(t)
	input := realDir + "flows-tls-334conns.pcap"
	dir := t.TempDir()
	r := flowsplit(t, nil, "split", "-n", "2", "-o", filepath.Join(dir, "o-%d.fifo"), "--on-full", "block",
		"--workdir", filepath.Join(dir, "w{i}"), "--exec", w+" crash-once {fifo} {dir} {i}", input)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "worker 0: ended (exit 1)") || !strings.Contains(r.stderr, "worker 0: restarting in 100ms (restart 1 of 5)") {
		t.Errorf("crash and restart not logged:\n%s", r.stderr)
	}
	if log, _ := os.ReadFile(filepath.Join(dir, "w0", "stderr.log")); !strings.Contains(string(log), "crashing on purpose") {
		t.Errorf("worker 0's stderr.log: %q", log)
	}
	ref := filepath.Join(dir, "ref-%d.pcap")
	if rr := flowsplit(t, nil, "split", "-q", "-n", "2", "-o", ref, input); rr.code != 0 {
		t.Fatalf("reference split: %s", rr.stderr)
	}
	read := func(path string) []oracle.Record {
		recs, err := oracle.ReadFile(path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return recs
	}
	want0, want1 := read(strings.Replace(ref, "%d", "0", 1)), read(strings.Replace(ref, "%d", "1", 1))
	got0, got1 := read(filepath.Join(dir, "w0", "out.pcap")), read(filepath.Join(dir, "w1", "out.pcap"))
	if !sameRecords(got1, want1) {
		t.Errorf("worker 1 (never crashed): %d records, want its %d", len(got1), len(want1))
	}
	lost := len(want0) - len(got0)
	if lost <= 0 || len(got0) == 0 || !sameRecords(got0, want0[lost:]) {
		t.Fatalf("restarted worker 0: %d records, not a tail of its %d", len(got0), len(want0))
	}
	// Lost: what the first process read (64 KiB) and what its pipe held.
	lostBytes := 0
	for _, rec := range want0[:lost] {
		lostBytes += 16 + len(rec.Data)
	}
	if limit := 64<<10 + pipeMax(t) + 64<<10; lostBytes > limit {
		t.Errorf("lost %d bytes (%d records) with the crash, more than the 64 KiB read and the pipe (%d)", lostBytes, lost, limit)
	}
	t.Logf("crash lost %d of %d records (%d bytes)", lost, len(want0), lostBytes)
}

func sameRecords(a, b []oracle.Record) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i].Data, b[i].Data) || !a[i].Time.Equal(b[i].Time) {
			return false
		}
	}
	return true
}

func pipeMax(t *testing.T) int {
	b, err := os.ReadFile("/proc/sys/fs/pipe-max-size")
	if err != nil {
		return 1 << 20
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	return max(n, 1<<20)
}

// TestExecAlwaysFails: workers that never get going end the run with exit
// code 5 after --max-restarts, naming them, instead of stalling it.
func TestExecAlwaysFails(t *testing.T) {
	w := testWorker(t)
	dir := t.TempDir()
	start := time.Now()
	r := flowsplit(t, nil, "split", "-n", "2", "-o", filepath.Join(dir, "o-%d.fifo"), "--drain-timeout", "1s",
		"--max-restarts", "2", "--workdir", filepath.Join(dir, "w{i}"), "--exec", w+" fail {fifo} {dir} {i}",
		realDir+"flows-tls-334conns.pcap")
	if r.code != exitWorkers {
		t.Fatalf("exit %d, want %d\n%s", r.code, exitWorkers, r.stderr)
	}
	for _, want := range []string{"giving up after 2 restarts", "workers failed: worker 0: exit 1", "stopping"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if d := time.Since(start); d > 15*time.Second {
		t.Errorf("took %v", d)
	}
}

// TestExecStartErrors: a command that cannot run is a usage error before
// any input is read.
func TestExecStartErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ name, exec, want string }{
		{"not found", "no-such-worker-program {fifo}", "executable file not found"},
		{"unterminated quote", "tcpdump -r '{fifo}", "unterminated single quote"},
		{"shell syntax", "tcpdump -r {fifo} > x", "needs a shell"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := flowsplit(t, nil, "split", "-n", "2", "-o", filepath.Join(dir, "o-%d.fifo"), "--workdir", filepath.Join(dir, "w{i}"), "--exec", tc.exec, "/nonexistent-input")
			if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, want %d with %q:\n%s", r.code, exitUsage, tc.want, r.stderr)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "w0")); err == nil {
		t.Error("working directory made for a command that cannot run")
	}
}

// TestExecPrintCommands prints one shell-quoted command per worker with
// the absolute FIFO and directory paths, and splits nothing.
func TestExecPrintCommands(t *testing.T) {
	dir := t.TempDir()
	r := runIn(t, dir, "split", "-n", "2", "-o", "o-%d.fifo", "--print-commands", "--exec", `zeek -C -r {fifo} local "Log::default_logdir={dir}/my logs"`)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	want := fmt.Sprintf("zeek -C -r %[1]s/o-0.fifo local 'Log::default_logdir=%[1]s/worker-0/my logs'\n"+
		"zeek -C -r %[1]s/o-1.fifo local 'Log::default_logdir=%[1]s/worker-1/my logs'\n", dir)
	if r.stdout != want {
		t.Errorf("got\n%s\nwant\n%s", r.stdout, want)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("--print-commands made %d files", len(ents))
	}
}

// TestExecShellPrefix: --shell with a quoted placeholder value, and
// --worker-output prefix on flowsplit's stderr.
func TestExecShellPrefix(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "it's here")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	r := flowsplit(t, nil, "split", "-n", "2", "-o", filepath.Join(dir, "o-%d.fifo"), "--workdir", filepath.Join(dir, "w{i}"),
		"--worker-output", "prefix", "--shell", "--exec", "echo reading; wc -c < {fifo}; echo done >&2",
		realDir+"null-af2-http-41flows.pcap")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"[worker 0] reading\n", "[worker 1] reading\n", "[worker 1] done\n"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
}

// TestExecNoOutPattern: without -o the FIFOs live in a private temporary
// directory, gone after the run.
func TestExecNoOutPattern(t *testing.T) {
	needTool(t, "tcpdump")
	dir := t.TempDir()
	input, _ := filepath.Abs(realDir + "null-af2-http-41flows.pcap")
	r := runIn(t, dir, "split", "-n", "2", "--exec", "tcpdump -r {fifo} -w out.pcap", input)
	if strings.Contains(r.stderr, `"out" not set`) || strings.Contains(r.stderr, "--out is required") {
		t.Skip("split still requires -o (cmd/flowsplit/split.go)")
	}
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	files := []string{filepath.Join(dir, "worker-0", "out.pcap"), filepath.Join(dir, "worker-1", "out.pcap")}
	checkOutputs(t, input, files, "5tuple")
	log, _ := os.ReadFile(filepath.Join(dir, "worker-0", "stderr.log"))
	i := strings.Index(string(log), "reading from file ")
	if i < 0 {
		t.Fatalf("tcpdump's log: %q", log)
	}
	fifoPath := strings.Fields(string(log[i:]))[3]
	fifoPath = strings.TrimSuffix(fifoPath, ",")
	if _, err := os.Stat(filepath.Dir(fifoPath)); err == nil {
		t.Errorf("FIFO directory %s left behind", filepath.Dir(fifoPath))
	}
}

// TestExecSIGTERMNoOrphans: SIGTERM to flowsplit while workers run drains,
// closes the outputs, signals every worker's process group (a shell's
// child included) and kills, after --stop-timeout, a worker that ignores
// SIGTERM; nothing is left behind.
func TestExecSIGTERMNoOrphans(t *testing.T) {
	w := testWorker(t)
	dir := t.TempDir()
	fs, stdin, stderr := startFed(t, "split", "-n", "2", "-o", filepath.Join(dir, "o-%d.fifo"), "--stop-timeout", "500ms",
		"--workdir", filepath.Join(dir, "w{i}"), "--shell", "--exec", "sleep 300 & exec "+w+" hang-hard {fifo} {dir} {i}", "-")
	defer stdin.Close()
	groups := workerGroups(t, fs, 2, dir)
	if err := fs.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitTimeout(t, fs, 30*time.Second)
	if code := fs.ProcessState.ExitCode(); code != exitSignal {
		t.Errorf("exit %d, want %d\n%s", code, exitSignal, stderr.String())
	}
	if left := groupMembers(groups, fs.Process.Pid); len(left) > 0 {
		t.Errorf("processes left behind: %v\n%s", left, stderr.String())
	}
	for i := range 2 {
		if _, err := oracle.ReadFile(filepath.Join(dir, fmt.Sprintf("w%d", i), "out.pcap")); err != nil {
			t.Errorf("worker %d's capture after SIGTERM: %v", i, err)
		}
	}
}

// TestExecKilledNoOrphans: when flowsplit is killed outright, its workers
// get the parent-death signal and end.
func TestExecKilledNoOrphans(t *testing.T) {
	w := testWorker(t)
	dir := t.TempDir()
	fs, stdin, _ := startFed(t, "split", "-n", "2", "-o", filepath.Join(dir, "o-%d.fifo"),
		"--workdir", filepath.Join(dir, "w{i}"), "--exec", w+" hang {fifo} {dir} {i}", "-")
	defer stdin.Close()
	groups := workerGroups(t, fs, 2, dir)
	fs.Process.Kill()
	fs.Wait()
	deadline := time.Now().Add(10 * time.Second)
	for {
		left := groupMembers(groups, -1)
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("workers outlived a killed flowsplit: %v", left)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// startFed starts flowsplit reading its stdin, fed with a whole capture
// and kept open: the split runs until it is signalled.
func startFed(t *testing.T, args ...string) (*exec.Cmd, *os.File, *bytes.Buffer) {
	t.Helper()
	data, err := os.ReadFile(realDir + "null-af2-http-41flows.pcap")
	if err != nil {
		t.Fatal(err)
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	fs := exec.Command(bin, args...)
	fs.Stdin = pr
	var stderr bytes.Buffer
	fs.Stderr = &stderr
	if err := fs.Start(); err != nil {
		t.Fatal(err)
	}
	pr.Close()
	t.Cleanup(func() { fs.Process.Kill() })
	go pw.Write(data) //nolint:errcheck // flowsplit may be gone
	return fs, pw, &stderr
}

// workerGroups waits until flowsplit's n workers have their captures open
// in dir/wI and returns their process groups.
func workerGroups(t *testing.T, fs *exec.Cmd, n int, dir string) map[int]bool {
	t.Helper()
	for i := range n {
		waitExists(t, filepath.Join(dir, fmt.Sprintf("w%d", i), "out.pcap"))
	}
	groups := map[int]bool{}
	ps, err := procs()
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	for _, p := range ps {
		if p.ppid == fs.Process.Pid {
			groups[p.pgrp] = true
		}
	}
	if len(groups) != n {
		t.Fatalf("%d worker process groups, want %d", len(groups), n)
	}
	return groups
}

// proc is a live process as /proc shows it.
type proc struct {
	pid, ppid, pgrp int
	state           byte
}

func procs() ([]proc, error) {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil, err
	}
	var ps []proc
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue // gone
		}
		// pid (comm) state ppid pgrp ...; comm may hold spaces and parens.
		i := bytes.LastIndexByte(b, ')')
		f := strings.Fields(string(b[i+1:]))
		if len(f) < 3 {
			continue
		}
		ppid, _ := strconv.Atoi(f[1])
		pgrp, _ := strconv.Atoi(f[2])
		ps = append(ps, proc{pid, ppid, pgrp, f[0][0]})
	}
	return ps, nil
}

// groupMembers lists the live (not zombie) processes in groups or whose
// parent is parent.
func groupMembers(groups map[int]bool, parent int) []string {
	var left []string
	ps, _ := procs()
	for _, p := range ps {
		if p.state != 'Z' && (groups[p.pgrp] || p.ppid == parent) {
			b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", p.pid))
			left = append(left, fmt.Sprintf("%d (%s)", p.pid, bytes.ReplaceAll(b, []byte{0}, []byte{' '})))
		}
	}
	return left
}
