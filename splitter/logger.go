package splitter

import (
	"fmt"
	"io"
	"sync"
)

// logger serialises messages from the engine and the writer goroutines
// onto one io.Writer, one line each, prefixed "flowsplit: ".
type logger struct {
	mu sync.Mutex
	w  io.Writer
}

// Write writes p as it is, for multi-line reports.
func (l *logger) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (l *logger) printf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, "flowsplit: "+format+"\n", args...)
}
