package fifo

import "strconv"

// Kind says how an output path is written.
type Kind uint8

const (
	// KindFile is a regular file, created or truncated by [OpenFile].
	KindFile Kind = iota + 1
	// KindFIFO is a named pipe, opened by [TryOpenFIFO] or [WaitOpenFIFOs]
	// once a reader has it open.
	KindFIFO
)

// String returns "file", "fifo", or "Kind(n)" for any other value.
func (k Kind) String() string {
	switch k {
	case KindFile:
		return "file"
	case KindFIFO:
		return "fifo"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}
