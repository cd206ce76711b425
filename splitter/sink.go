package splitter

import (
	"fmt"
	"os"
	"sync"
	"sync/atomic"
)

// queueBatches is how many batch buffers each output owns: one being filled
// by the engine, the rest queued for or being written by its writer.
const queueBatches = 4

// batchSize returns the batch buffer size for n outputs: 256 KiB each for a
// few outputs, smaller for many so memory stays near 32 MiB, never below
// 16 KiB. A record larger than a batch grows that batch once.
func batchSize(n int) int {
	const total, max, min = 32 << 20, 256 << 10, 16 << 10
	s := total / (n * queueBatches)
	if s > max {
		return max
	}
	if s < min {
		return min
	}
	return s
}

// sink is one output: the batch the engine fills and the goroutine that
// writes full batches to the file.
//
// batch, pending, packets and bytes belong to the engine goroutine. The
// writer goroutine owns a batch from the moment it is sent on full until it
// comes back on free.
type sink struct {
	index int // -1 for the weird output
	path  string
	f     *os.File

	batch   []byte
	pending int64 // clock value when batch got its first record; 0 when empty
	packets uint64
	bytes   uint64

	full chan []byte
	free chan []byte
	done chan struct{}

	failed atomic.Bool
	mu     sync.Mutex
	err    error // first write error, under mu

	written atomic.Uint64 // bytes written to f
}

func newSink(index int, path string, f *os.File, size int) *sink {
	s := &sink{
		index: index,
		path:  path,
		f:     f,
		full:  make(chan []byte, queueBatches),
		free:  make(chan []byte, queueBatches),
		done:  make(chan struct{}),
	}
	s.batch = make([]byte, 0, size)
	for range queueBatches - 1 {
		s.free <- make([]byte, 0, size)
	}
	go s.run()
	return s
}

// name is how messages refer to the output.
func (s *sink) name() string {
	if s.index < 0 {
		return fmt.Sprintf("weird output (%s)", s.path)
	}
	return fmt.Sprintf("output %d (%s)", s.index, s.path)
}

// run writes batches until full is closed, then closes the file.
func (s *sink) run() {
	defer close(s.done)
	for b := range s.full {
		if !s.failed.Load() {
			n, err := s.f.Write(b)
			s.written.Add(uint64(n))
			if err != nil {
				s.mu.Lock()
				s.err = fmt.Errorf("%s: %w", s.name(), err)
				s.mu.Unlock()
				s.failed.Store(true)
			}
		}
		s.free <- b[:0]
	}
	if err := s.f.Close(); err != nil && !s.failed.Load() {
		s.mu.Lock()
		s.err = fmt.Errorf("%s: close: %w", s.name(), err)
		s.mu.Unlock()
		s.failed.Store(true)
	}
}

// submit hands the current batch to the writer and takes a free one,
// waiting while the writer is behind.
func (s *sink) submit() {
	if len(s.batch) == 0 {
		return
	}
	s.full <- s.batch
	s.batch = <-s.free
	s.pending = 0
}

// finish submits what is left, waits for the writer to write it and close
// the file, and returns the first error.
func (s *sink) finish() error {
	s.submit()
	close(s.full)
	<-s.done
	return s.error()
}

func (s *sink) error() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}
