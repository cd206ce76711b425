package supervise

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the Group's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func shSpec(t *testing.T, script string) Spec {
	return Spec{Argv: []string{"sh", "-c", script}, Dir: t.TempDir()}
}

func waitAll(t *testing.T, g *Group) []Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := g.Wait(ctx); err != nil {
		g.Stop(time.Second)
		t.Fatalf("workers did not end: %v", err)
	}
	g.Close()
	return g.Results()
}

var fast = Backoff{Min: 10 * time.Millisecond, Max: 20 * time.Millisecond}

func TestGroupRestartsThenGivesUp(t *testing.T) {
	var log syncBuffer
	var gaveUp []int
	var mu sync.Mutex
	g, err := Start([]Spec{shSpec(t, "exit 3")}, Options{MaxRestarts: 2, Backoff: fast, Log: &log,
		GiveUp: func(i int) { mu.Lock(); gaveUp = append(gaveUp, i); mu.Unlock() }})
	if err != nil {
		t.Fatal(err)
	}
	r := waitAll(t, g)[0]
	if r.Starts != 3 || r.Restarts != 2 || r.OK() || !r.Early || r.Status() != "exit 3 before the end of its input" {
		t.Errorf("result %+v, status %q", r, r.Status())
	}
	if len(gaveUp) != 1 {
		t.Errorf("GiveUp called %d times", len(gaveUp))
	}
	for _, want := range []string{"restarting in 10ms (restart 1 of 2)", "restarting in 20ms (restart 2 of 2)", "giving up after 2 restarts"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, log.String())
		}
	}
}

func TestGroupSuccessFiles(t *testing.T) {
	s := shSpec(t, "echo out; echo err >&2; pwd")
	g, err := Start([]Spec{s}, Options{MaxRestarts: 5, Backoff: fast, Output: OutputFiles})
	if err != nil {
		t.Fatal(err)
	}
	r := waitAll(t, g)[0]
	if !r.OK() || r.Restarts != 0 || r.Status() != "exit 0" {
		t.Errorf("result %+v", r)
	}
	out, _ := os.ReadFile(filepath.Join(s.Dir, StdoutFile))
	errb, _ := os.ReadFile(filepath.Join(s.Dir, StderrFile))
	if string(out) != "out\n"+s.Dir+"\n" || string(errb) != "err\n" {
		t.Errorf("stdout.log %q, stderr.log %q", out, errb)
	}
}

func TestGroupAlwaysRestartsEarlyExit(t *testing.T) {
	// With Input held open by this process, an exit with status 0 is early.
	dir := t.TempDir()
	in := filepath.Join(dir, "input")
	f, err := os.Create(in)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := shSpec(t, "true")
	s.Input = in
	g, err := Start([]Spec{s}, Options{Restart: RestartAlways, MaxRestarts: 1, Backoff: fast})
	if err != nil {
		t.Fatal(err)
	}
	if r := waitAll(t, g)[0]; r.Restarts != 1 || !r.Early || r.OK() {
		t.Errorf("result %+v", r)
	}
	// Not held: status 0 is the end of the input, no restart.
	s.Input = filepath.Join(dir, "other")
	os.WriteFile(s.Input, nil, 0o644)
	g, err = Start([]Spec{s}, Options{Restart: RestartAlways, MaxRestarts: 1, Backoff: fast})
	if err != nil {
		t.Fatal(err)
	}
	if r := waitAll(t, g)[0]; r.Restarts != 0 || r.Early || !r.OK() {
		t.Errorf("result %+v", r)
	}
}

func TestGroupEndOfInputStopsRestarts(t *testing.T) {
	g, err := Start([]Spec{shSpec(t, "exit 1")}, Options{MaxRestarts: 5, Backoff: Backoff{Min: time.Minute, Max: time.Minute}})
	if err != nil {
		t.Fatal(err)
	}
	for g.Running(0) {
		time.Sleep(5 * time.Millisecond)
	}
	g.EndOfInput()
	start := time.Now()
	r := waitAll(t, g)[0]
	if time.Since(start) > 5*time.Second || r.Starts != 1 {
		t.Errorf("result %+v after %v", r, time.Since(start))
	}
}

func TestGroupStopEscalates(t *testing.T) {
	// The shell and its child ignore SIGTERM: SIGKILL after the timeout.
	g, err := Start([]Spec{shSpec(t, "trap '' TERM; sleep 30; sleep 30")}, Options{Backoff: fast})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	g.Stop(200 * time.Millisecond)
	g.Close()
	d := time.Since(start)
	r := g.Results()[0]
	if d < 200*time.Millisecond || d > 5*time.Second || !r.Stopped || r.Status() != "signal killed (stopped)" || r.OK() {
		t.Errorf("after %v: %+v %q", d, r, r.Status())
	}
}

func TestGroupPrefixOutput(t *testing.T) {
	var log syncBuffer
	s := shSpec(t, `printf 'a\n\nb\n'; printf c >&2`)
	s.Index = 7
	g, err := Start([]Spec{s}, Options{Output: OutputPrefix, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	waitAll(t, g)
	// Only the worker's own lines, in order: flowsplit's "ended" line may
	// come between them.
	var own strings.Builder
	for _, line := range strings.SplitAfter(log.String(), "\n") {
		if strings.HasPrefix(line, "[worker 7] ") {
			own.WriteString(line)
		}
	}
	out := own.String()
	if !strings.Contains(out, "[worker 7] c\n") {
		t.Errorf("log lacks the stderr line:\n%s", log.String())
	}
	// stderr's line may come anywhere between stdout's.
	out = strings.Replace(out, "[worker 7] c\n", "", 1)
	for _, want := range []string{"[worker 7] a\n[worker 7] \n[worker 7] b\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}

func TestGroupStartError(t *testing.T) {
	_, err := Start([]Spec{shSpec(t, "sleep 30"), {Index: 1, Argv: []string{"/nonexistent/worker"}, Dir: t.TempDir()}}, Options{})
	var se *StartError
	if !errors.As(err, &se) || se.Index != 1 || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Start: %v", err)
	}
}

func TestLineWriterLongLine(t *testing.T) {
	var out bytes.Buffer
	lw := &lineWriter{mu: &sync.Mutex{}, dst: &out, prefix: "> "}
	lw.Write(bytes.Repeat([]byte("x"), maxLine+10))
	lw.Write([]byte("y\n"))
	want := "> " + strings.Repeat("x", maxLine+10) + "\n> y\n"
	if out.String() != want {
		t.Errorf("got %d bytes, want %d", out.Len(), len(want))
	}
}

func TestWriteSummary(t *testing.T) {
	var b bytes.Buffer
	WriteSummary(&b, []Result{{Index: 0, Restarts: 1, RunTime: 1500 * time.Millisecond, StartErr: errors.New("boom")}}, []Traffic{{Packets: 10, Bytes: 2000}})
	if want := "  worker  packets  bytes  restarts  run time  status\n       0       10   2000         1      1.5s  not started: boom\n"; b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}
