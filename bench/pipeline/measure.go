package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"time"

	"github.com/flowsplit/flowsplit/internal/peakrss"
)

// sample is one measured run of one tool.
type sample struct {
	wall   time.Duration
	cpu    time.Duration // user+system time of the measured process
	maxRSS int64         // bytes: the largest VmHWM seen while it ran, if watched
}

// row is one tool in one setup, with all its samples.
type row struct {
	setup   string
	tool    string
	ceiling bool // a reference the flowsplit row of the setup is compared with
	samples []sample
	peakRSS int64 // bytes, from a run of its own (see measureRows)
}

// median returns the sample with the median wall time (its CPU time goes
// with it).
func (r *row) median() sample {
	s := slices.Clone(r.samples)
	slices.SortFunc(s, func(a, b sample) int { return int(a.wall - b.wall) })
	return s[len(s)/2]
}

// best returns the sample with the shortest wall time: on a shared machine,
// the run least disturbed by others.
func (r *row) best() sample {
	return slices.MinFunc(r.samples, func(a, b sample) int { return int(a.wall - b.wall) })
}

// measureAll runs every measurement o.runs times, interleaved so that the
// machine's noise hits ceiling and flowsplit alike.
func measureAll(o *options, dir string, in capture) ([]*row, error) {
	filesDir := filepath.Join(dir, "files")
	fifoDir := filepath.Join(dir, "fifos")
	for _, d := range []string{filesDir, fifoDir} {
		if err := os.Mkdir(d, 0o755); err != nil {
			return nil, err
		}
	}
	inFIFO, outFIFOs, err := makeFIFOs(fifoDir, o.workers)
	if err != nil {
		return nil, err
	}
	fileSetup := fmt.Sprintf("file -> %d files", o.workers)
	tmpfsSetup := fmt.Sprintf("tmpfs file -> %d files", o.workers)
	fifoSetup := fmt.Sprintf("FIFO -> %d FIFOs", o.workers)
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	split := func(out, input string) []string {
		return []string{o.bin, "split", "-q", "-n", fmt.Sprint(o.workers), "-o", out, input}
	}
	toFilesOf := func(argv ...string) runFunc {
		return func(watch bool) (sample, error) { return toFiles(filesDir, argv, watch) }
	}
	throughFIFOsOf := func(argv ...string) runFunc {
		return func(watch bool) (sample, error) { return throughFIFOs(in.path, inFIFO, outFIFOs, argv, watch) }
	}
	splitOut := filepath.Join(filesDir, "out-%d.pcap")
	ms := []measurement{
		{&row{setup: fileSetup, tool: "cat", ceiling: true},
			func(watch bool) (sample, error) { return toFile(filesDir, in.path, watch) }},
		{&row{setup: fileSetup, tool: "fan-out, a writer per file", ceiling: true},
			toFilesOf(append([]string{self, fanoutFilesArg, in.path}, outFiles(filesDir, o.workers)...)...)},
		{&row{setup: fileSetup, tool: "flowsplit"}, toFilesOf(split(splitOut, in.path)...)},
		{&row{setup: tmpfsSetup, tool: "cat", ceiling: true},
			func(watch bool) (sample, error) { return toFile(filesDir, in.tmpfsPath, watch) }},
		{&row{setup: tmpfsSetup, tool: "flowsplit"}, toFilesOf(split(splitOut, in.tmpfsPath)...)},
		{&row{setup: fifoSetup, tool: "fan-out", ceiling: true},
			throughFIFOsOf(append([]string{self, fanoutArg, inFIFO}, outFIFOs...)...)},
		{&row{setup: fifoSetup, tool: "fan-out, 1 MiB pipes", ceiling: true},
			throughFIFOsOf(append([]string{self, fanoutBigArg, inFIFO}, outFIFOs...)...)},
		{&row{setup: fifoSetup, tool: "flowsplit"},
			throughFIFOsOf(split(filepath.Join(fifoDir, "out-%d.fifo"), inFIFO)...)},
	}
	return measureRows(ms, o.runs, os.Stderr)
}

// runFunc runs a measured command once; with watch, it also polls its peak
// RSS.
type runFunc func(watch bool) (sample, error)

// measurement is one row and how to run it.
type measurement struct {
	row *row
	run runFunc
}

// measureRows runs every measurement runs times, interleaved so that the
// machine's noise hits ceiling and flowsplit alike, then each once more for
// its peak RSS alone. Polling /proc during a timed run perturbs it, and
// flowsplit, which keeps both cores busy, more than cat: 5-10% with a
// read every 2 ms.
func measureRows(ms []measurement, runs int, log io.Writer) ([]*row, error) {
	rows := make([]*row, len(ms))
	for i, m := range ms {
		rows[i] = m.row
	}
	for i := range runs + 1 {
		for _, m := range ms {
			watch := i == runs
			if watch {
				fmt.Fprintf(log, "peak RSS run: %s, %s\n", m.row.setup, m.row.tool)
			} else {
				fmt.Fprintf(log, "run %d/%d: %s, %s\n", i+1, runs, m.row.setup, m.row.tool)
			}
			s, err := m.run(watch)
			if err != nil {
				return nil, fmt.Errorf("%s, %s: %w", m.row.setup, m.row.tool, err)
			}
			if watch {
				m.row.peakRSS = s.maxRSS
			} else {
				m.row.samples = append(m.row.samples, s)
			}
		}
	}
	return rows, nil
}

// makeFIFOs creates the input FIFO and the n output FIFOs.
func makeFIFOs(dir string, n int) (in string, outs []string, err error) {
	in = filepath.Join(dir, "in.fifo")
	if err := syscall.Mkfifo(in, 0o600); err != nil {
		return "", nil, fmt.Errorf("mkfifo %s: %w", in, err)
	}
	for i := range n {
		p := filepath.Join(dir, fmt.Sprintf("out-%d.fifo", i))
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			return "", nil, fmt.Errorf("mkfifo %s: %w", p, err)
		}
		outs = append(outs, p)
	}
	return in, outs, nil
}

// outFiles returns the n output paths of a fan-out into dir.
func outFiles(dir string, n int) []string {
	paths := make([]string, n)
	for i := range paths {
		paths[i] = filepath.Join(dir, fmt.Sprintf("fanout-%d", i))
	}
	return paths
}

// clearDir removes the regular files in dir, so that every run writes
// fresh tmpfs pages.
func clearDir(dir string) error {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// toFile measures `cat input > dir/cat.out`.
func toFile(dir, input string, watch bool) (sample, error) {
	if err := clearDir(dir); err != nil {
		return sample{}, err
	}
	out, err := os.Create(filepath.Join(dir, "cat.out"))
	if err != nil {
		return sample{}, err
	}
	defer out.Close()
	cmd := exec.Command("cat", input)
	cmd.Stdout = out
	return runMeasured(cmd, watch)
}

// toFiles measures a command that writes files into dir.
func toFiles(dir string, argv []string, watch bool) (sample, error) {
	if err := clearDir(dir); err != nil {
		return sample{}, err
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	s, err := runMeasured(cmd, watch)
	if err != nil {
		err = fmt.Errorf("%w: %s", err, bytes.TrimSpace(stderr.Bytes()))
	}
	return s, err
}

// throughFIFOs measures writer argv reading inFIFO (fed by `cat input`) and
// writing outs, each drained by `cat FIFO > /dev/null`. The wall time runs
// from the readers' start until every process has exited.
func throughFIFOs(input, inFIFO string, outs []string, argv []string, watch bool) (sample, error) {
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return sample{}, err
	}
	defer devNull.Close()
	start := time.Now()
	var readers []*exec.Cmd
	wait := func() {
		for _, r := range readers {
			r.Wait() //nolint:errcheck // a reader's failure shows as the writer's
		}
	}
	for _, p := range outs {
		r := exec.Command("cat", p)
		r.Stdout = devNull
		if err := r.Start(); err != nil {
			wait()
			return sample{}, err
		}
		readers = append(readers, r)
	}
	w := exec.Command(argv[0], argv[1:]...)
	var stderr bytes.Buffer
	w.Stderr = &stderr
	if err := w.Start(); err != nil {
		wait()
		return sample{}, err
	}
	stopRSS := watchRSS(w.Process.Pid, watch)
	feed := exec.Command("sh", "-c", `exec cat "$1" > "$2"`, "feed", input, inFIFO)
	if err := feed.Start(); err != nil {
		w.Process.Kill() //nolint:errcheck
		w.Wait()         //nolint:errcheck
		wait()
		return sample{}, err
	}
	ferr := feed.Wait()
	werr := w.Wait()
	rss := stopRSS()
	wait()
	wall := time.Since(start)
	if werr != nil {
		werr = fmt.Errorf("%w: %s", werr, bytes.TrimSpace(stderr.Bytes()))
	} else if ferr != nil {
		werr = fmt.Errorf("feeder: %w", ferr)
	}
	return measured(w, wall, rss, werr)
}

// runMeasured runs cmd and measures its wall time, CPU time and, with
// watch, its peak RSS.
func runMeasured(cmd *exec.Cmd, watch bool) (sample, error) {
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return sample{}, err
	}
	stopRSS := watchRSS(cmd.Process.Pid, watch)
	err := cmd.Wait()
	rss := stopRSS()
	return measured(cmd, time.Since(start), rss, err)
}

// watchRSS polls pid's peak RSS when watch is set (peakrss.Watch).
func watchRSS(pid int, watch bool) (stop func() int64) {
	if !watch {
		return func() int64 { return 0 }
	}
	return peakrss.Watch(pid)
}

// measured turns a finished command into a sample.
func measured(cmd *exec.Cmd, wall time.Duration, rss int64, err error) (sample, error) {
	if err != nil {
		return sample{}, err
	}
	ps := cmd.ProcessState
	return sample{wall: wall, cpu: ps.UserTime() + ps.SystemTime(), maxRSS: rss}, nil
}
