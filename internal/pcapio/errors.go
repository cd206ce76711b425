package pcapio

import (
	"errors"
	"fmt"
)

// ErrDamaged is wrapped by the error Next returns in strict mode when the
// stream's framing is damaged: an impossible record length, a pcapng block
// whose trailer does not match its header, a packet on an unknown interface.
var ErrDamaged = errors.New("damaged capture")

// ErrTruncated is wrapped by the error returned when the input ends inside
// the file header (always), or inside a record or block (strict mode only;
// otherwise a truncated tail is a warning followed by io.EOF).
var ErrTruncated = errors.New("truncated capture")

// ErrNotCapture is wrapped by the error NewReader returns when the input
// starts with neither a pcap, pcapng, gzip nor zstd magic number.
var ErrNotCapture = errors.New("not a pcap or pcapng capture")

// Error is an input error at a known byte offset of the (decompressed)
// stream. Its message reads `name: byte offset N: what`. Err, when not nil,
// is one of the sentinels above or the underlying read error.
type Error struct {
	Name   string
	Offset int64
	Msg    string
	Err    error
}

func (e *Error) Error() string {
	if e.Msg == "" && e.Err != nil {
		return fmt.Sprintf("%s: byte offset %d: %v", e.Name, e.Offset, e.Err)
	}
	return fmt.Sprintf("%s: byte offset %d: %s", e.Name, e.Offset, e.Msg)
}

// Unwrap returns the sentinel or the underlying read error.
func (e *Error) Unwrap() error { return e.Err }

// errorf builds an *Error at offset off wrapping sentinel (which may be nil).
func (r *Reader) errorf(off int64, sentinel error, format string, args ...any) error {
	return &Error{Name: r.name, Offset: off, Msg: fmt.Sprintf(format, args...), Err: sentinel}
}

// warnf reports a non-fatal notice through ReaderOptions.Warn.
func (r *Reader) warnf(off int64, format string, args ...any) {
	if r.warn == nil {
		return
	}
	r.warn(fmt.Sprintf("%s: byte offset %d: ", r.name, off) + fmt.Sprintf(format, args...))
}
