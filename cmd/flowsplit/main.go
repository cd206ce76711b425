// Command flowsplit fans one packet-capture stream out to N analysis
// workers, flow by flow. See the README for usage.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/urfave/cli/v2"

	"github.com/flowsplit/flowsplit/splitter"
)

// Exit codes, documented in the README.
const (
	exitOK      = 0
	exitRuntime = 1 // I/O error on an output, or any other runtime failure
	exitUsage   = 2 // bad flags or arguments
	exitInput   = 3 // the input is not a readable capture, or damaged under --strict
	exitSignal  = 4 // stopped by SIGINT/SIGTERM after draining; outputs are valid captures
)

func main() {
	// SIGUSR1 asks for statistics; it must never kill flowsplit, also
	// before a command installs its handler.
	signal.Ignore(syscall.SIGUSR1)
	os.Exit(run(os.Args))
}

// run executes the command line and maps its error to an exit code. It is
// the only place that decides exit codes.
func run(args []string) int {
	ctx, stop := signalContext()
	defer stop()
	app := newApp()
	err := app.RunContext(ctx, args)
	if err == nil {
		return exitOK
	}
	code := exitCode(err)
	if code == exitSignal && errors.Is(err, context.Canceled) && err.Error() == context.Canceled.Error() {
		// The bare cancellation says nothing to a user: say what it means.
		fmt.Fprintln(os.Stderr, "flowsplit: stopped by a signal before the end of the input; every output flushed and closed")
		return code
	}
	fmt.Fprintf(os.Stderr, "flowsplit: %v\n", err)
	return code
}

func exitCode(err error) int {
	var ie *splitter.InputError
	var coded interface{ ExitCode() int }
	switch {
	case errors.As(err, &coded):
		return coded.ExitCode()
	case errors.Is(err, splitter.ErrUsage), errors.Is(err, errUsage):
		return exitUsage
	case errors.As(err, &ie):
		return exitInput
	case splitter.IsInterrupted(err):
		return exitSignal
	}
	return exitRuntime
}

// signalContext returns a context cancelled by the first SIGINT or SIGTERM;
// a second one exits at once.
func signalContext() (context.Context, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		sig, ok := <-ch
		if !ok {
			return
		}
		fmt.Fprintf(os.Stderr, "flowsplit: %v: stopping, flushing outputs (again to exit at once)\n", sig)
		cancel()
		if _, ok := <-ch; ok {
			fmt.Fprintln(os.Stderr, "flowsplit: second signal: exiting now")
			os.Exit(exitSignal)
		}
	}()
	return ctx, func() { signal.Stop(ch); cancel() }
}

var errUsage = errors.New("usage error")

func newApp() *cli.App {
	return &cli.App{
		Name:  "flowsplit",
		Usage: "split one capture stream into N flow-consistent outputs for parallel Zeek/Suricata workers",
		Commands: []*cli.Command{
			splitCommand(),
			verifyCommand(),
			whichCommand(),
			benchCommand(),
		},
		// Control always returns to run, which owns the exit code.
		ExitErrHandler: func(*cli.Context, error) {},
		OnUsageError:   onUsageError,
	}
}

// onUsageError marks flag parsing errors so that they exit with exitUsage.
func onUsageError(_ *cli.Context, err error, _ bool) error {
	return fmt.Errorf("%w: %v", errUsage, err)
}
