// Package supervise runs and supervises the worker processes of
// `flowsplit split --exec`: one analysis program (zeek, suricata, tcpdump)
// per output FIFO.
//
// # Data flow
//
// A command template (--exec) is parsed once by [ParseTemplate]: split into
// words by [SplitWords] (shell word rules, no expansion), or kept whole for
// sh -c with --shell. [Template.Argv] substitutes each worker's
// placeholders ({fifo} {i} {n} {dir}, see [Vars]). [Start] starts one
// process per [Spec] and supervises it: a worker that ends before its input
// is logged and restarted according to [Restart], after [Backoff.Delay],
// at most Options.MaxRestarts times. [Group.EndOfInput] says the inputs are
// closed: later exits are final. [Group.Wait] waits without a time limit;
// [Group.Stop] sends SIGTERM, then SIGKILL after a timeout. [Group.Results]
// and [WriteSummary] report how each worker fared.
//
// # Processes
//
// Each worker is the leader of its own process group, signalled as a whole
// (a shell's children included) and out of reach of the terminal's Ctrl-C,
// which flowsplit handles first by draining its outputs. On Linux each
// worker also gets SIGTERM when flowsplit dies (parent-death signal), even
// by SIGKILL; the children of a --shell worker's shell are not covered by
// that signal, only by the group signals of an orderly stop. The
// parent-death signal is tied to the OS thread that forked the child, so
// all children are started from one goroutine locked to its thread for the
// Group's life (see spawner).
//
// Whether an exit is early (before the worker's input ended) is judged
// when it happens: a status other than 0, or this process still holding
// the worker's FIFO open (Spec.Input, looked up in /proc/self/fd). A worker
// that ends with status 0 just as its output is given up by the writer
// (broken pipe) counts as finished.
//
// # Allocation and concurrency
//
// Nothing here is on the packet path; it allocates freely. A Group is safe
// for concurrent use; each worker has one goroutine, and all messages and
// prefixed output lines go through one mutex so that lines never mix.
package supervise
