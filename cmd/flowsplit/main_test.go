package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// bin is the flowsplit binary built for these tests: they run it as a user
// would, with real FIFOs and real reader processes.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "flowsplit-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin = filepath.Join(dir, "flowsplit")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

const realDir = "../../testdata/real/"

// needTool returns the path of an external tool, skipping the test when it
// is missing, or failing it when FLOWSPLIT_REQUIRE_TOOLS=1 (as in CI).
func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("FLOWSPLIT_REQUIRE_TOOLS") == "1" {
			t.Fatalf("%s is required (FLOWSPLIT_REQUIRE_TOOLS=1) but not found: %v", name, err)
		}
		t.Skipf("%s not installed", name)
	}
	return p
}

// result is a finished flowsplit run.
type result struct {
	code           int
	stdout, stderr string
}

// flowsplit runs the binary with args and stdin, bounded in time.
func flowsplit(t *testing.T, stdin []byte, args ...string) result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatalf("flowsplit %s: timed out\nstderr:\n%s", strings.Join(args, " "), se.String())
	}
	return result{cmd.ProcessState.ExitCode(), so.String(), se.String()}
}
