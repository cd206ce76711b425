// Package fifo is flowsplit's output transport: it prepares output paths,
// opens FIFOs (named pipes) without hanging forever on a missing reader,
// sizes pipe buffers, writes runs of records without cutting one, and
// detects and recovers from readers that go away. It is the only package
// of flowsplit that imports golang.org/x/sys/unix.
//
// # Data flow
//
// An output is a FIFO read by an analysis worker (zeek -r FIFO,
// tcpdump -r FIFO) or a regular file. The caller runs [Prepare] on each
// path, which creates missing FIFOs and refuses to clobber files, then
// opens files with [OpenFile] and FIFOs with [WaitOpenFIFOs], which returns
// once every FIFO has a reader and reports the outputs still waiting.
// [SetPipeSize] enlarges the pipe buffers, and a [RecordPipe] writes batches
// of packet records so that a record is never split across writes (the
// reader's capture ends at a record boundary however writing stops).
// [ReaderGone] notices a departed reader without writing. When a reader dies, writes fail with
// an error for which [IsBrokenPipe] is true; [WaitReader] then waits for a
// new reader of the same FIFO.
//
// # Broken pipes and SIGPIPE
//
// Writing to a pipe without a reader makes the kernel send SIGPIPE and
// fail the write with EPIPE. The Go runtime does not let SIGPIPE kill the
// process for descriptors other than 1 and 2 (standard output and error):
// writes to FIFOs opened by this package return an EPIPE error, which
// [IsBrokenPipe] recognises, and the process lives on. [os.File.Write] to
// a broken standard output or error still kills the process with SIGPIPE
// (unless the program calls signal.Notify for it); a [RecordPipe] never
// does, on any descriptor, and returns EPIPE instead.
//
// # Blocking and concurrency
//
// FIFOs are opened non-blocking and registered with the runtime poller, so
// a write to a full pipe parks its goroutine and not an OS thread. One
// goroutine may write a file while another closes it or sets its write
// deadline: the write then returns [os.ErrClosed] or
// [os.ErrDeadlineExceeded], so a slow or stuck reader cannot make shutdown
// hang. Writes on one *os.File are serialised by the file itself, but each
// output is meant to have one writer.
//
// # Allocation and ownership
//
// [RecordPipe.Write] does not keep or modify its data and allocates only
// while it waits for room. Opening, preparing and sizing allocate;
// they run once per output, not per packet. The functions of this package
// are safe for concurrent use; they keep no state but the pipe-max-size
// value, read once. A RecordPipe belongs to one writer.
//
// Linux is the target. On other systems the package builds, but
// [TryOpenFIFO], [SetPipeSize] and FIFO creation return an error wrapping
// [errors.ErrUnsupported], and a RecordPipe writes with plain Writes.
package fifo
