package supervise

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
)

// OutputMode says where a worker's standard output and error go.
type OutputMode int

const (
	// OutputFiles appends them to stdout.log and stderr.log in the worker's
	// directory (kept across restarts).
	OutputFiles OutputMode = iota
	// OutputPrefix writes them, line by line, to Options.Log, each line
	// prefixed "[worker I] ".
	OutputPrefix
)

// Names of the files of OutputFiles.
const (
	StdoutFile = "stdout.log"
	StderrFile = "stderr.log"
)

// ParseOutput parses "files" or "prefix".
func ParseOutput(s string) (OutputMode, error) {
	switch s {
	case "files":
		return OutputFiles, nil
	case "prefix":
		return OutputPrefix, nil
	}
	return 0, fmt.Errorf("--worker-output %q: want files or prefix", s)
}

// openOutput returns the stdout and stderr files of one run of worker w,
// and a function that copies what it writes until it closes them (nil for
// files). The parent's copies of the returned files must be closed once
// the child has started.
func (g *Group) openOutput(w *worker) (stdout, stderr *os.File, copy func(), err error) {
	if g.opts.Output == OutputFiles {
		const flags = os.O_WRONLY | os.O_CREATE | os.O_APPEND
		so, err := os.OpenFile(filepath.Join(w.spec.Dir, StdoutFile), flags, 0o644)
		if err != nil {
			return nil, nil, nil, err
		}
		se, err := os.OpenFile(filepath.Join(w.spec.Dir, StderrFile), flags, 0o644)
		if err != nil {
			so.Close()
			return nil, nil, nil, err
		}
		return so, se, nil, nil
	}
	r, pw, err := os.Pipe()
	if err != nil {
		return nil, nil, nil, err
	}
	lw := &lineWriter{mu: &g.logMu, dst: g.log, prefix: "[worker " + strconv.Itoa(w.spec.Index) + "] "}
	copy = func() {
		io.Copy(lw, r) //nolint:errcheck // ends when every writer has closed
		lw.Flush()
		r.Close()
	}
	return pw, pw, copy, nil
}

// maxLine bounds the partial line a lineWriter holds: once a write makes it
// that long, it is written out as a line.
const maxLine = 4096

// lineWriter writes whole lines to dst, each with prefix, under mu (shared
// with the other workers and the supervisor's messages, so that lines never
// mix).
type lineWriter struct {
	mu     *sync.Mutex
	dst    io.Writer
	prefix string
	buf    []byte
}

// Write buffers p and writes out every completed line.
func (l *lineWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := indexNL(p)
		if i < 0 {
			l.buf = append(l.buf, p...)
			if len(l.buf) >= maxLine {
				l.Flush()
			}
			break
		}
		l.buf = append(l.buf, p[:i]...)
		l.emit()
		p = p[i+1:]
	}
	return n, nil
}

// Flush writes the buffered partial line, if any, as a line.
func (l *lineWriter) Flush() {
	if len(l.buf) > 0 {
		l.emit()
	}
}

// emit writes the buffer as one prefixed line and empties it.
func (l *lineWriter) emit() {
	l.mu.Lock()
	fmt.Fprintf(l.dst, "%s%s\n", l.prefix, l.buf)
	l.mu.Unlock()
	l.buf = l.buf[:0]
}

func indexNL(p []byte) int {
	for i, c := range p {
		if c == '\n' {
			return i
		}
	}
	return -1
}
