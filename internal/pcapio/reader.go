package pcapio

import (
	"fmt"
	"io"
)

// DefaultBufSize is the read buffer size used when ReaderOptions.BufSize is 0.
const DefaultBufSize = 1 << 20

// maxRecordLen is the hard limit on one record's captured length and on one
// pcapng block's total length. Anything longer is damage, whatever the
// headers say.
const maxRecordLen = 64 << 20

// maxZeroReads is how many consecutive (0, nil) reads are tolerated before
// giving up with io.ErrNoProgress, as bufio does.
const maxZeroReads = 100

// ReaderOptions configures NewReader.
type ReaderOptions struct {
	// Name names the input in errors and warnings ("stdin" or a path);
	// "input" when empty.
	Name string
	// BufSize is the read buffer size; DefaultBufSize when 0. Records are
	// sliced in place from it; it grows only for a record larger than itself.
	BufSize int
	// Strict stops at the first damage with an error wrapping ErrDamaged,
	// and at a truncated last record with an error wrapping ErrTruncated.
	Strict bool
	// Warn receives non-fatal notices (damage skipped by resynchronisation,
	// a second file header or section, a truncated tail). May be nil.
	Warn func(msg string)
}

// ReaderStats counts what a Reader has consumed.
type ReaderStats struct {
	// BytesRead is the number of (decompressed) stream bytes consumed,
	// including headers and skipped bytes.
	BytesRead int64
	// Records is the number of records returned by Next.
	Records int64
	// SkippedBytes is the number of bytes skipped because of damage or a
	// truncated tail.
	SkippedBytes int64
	// Resyncs is the number of times the reader resynchronised after damage.
	Resyncs int64
	// Headers is the number of extra file headers (classic pcap) or section
	// header blocks (pcapng) seen after the first.
	Headers int64
}

// Reader reads records from a pcap or pcapng stream. It is not safe for
// concurrent use.
type Reader struct {
	src     io.Reader // nil for NewReaderBytes until decompression
	closer  func()
	bufSize int // NewReaderBytes: the buffer size for decompressed data
	name    string
	strict  bool
	warn    func(string)

	buf       []byte
	pos, end  int   // unread bytes are buf[pos:end]
	pf        int   // buf[:pf] has been prefetched (readahead.go)
	slow      bool  // never take fastPcap (tests compare both paths)
	base      int64 // stream offset of buf[0]
	readErr   error // sticky error (io.EOF included) from src
	zeroReads int

	format Format
	ifaces []Interface
	nano   bool
	fatal  error  // sticky error returned by every later Next
	damage string // description of the damage being resynchronised over
	stats  ReaderStats

	pcap pcapState
	ng   ngState
}

// NewReader sniffs the input's magic number and reads the capture's file
// header: for classic pcap the 24-byte header, for pcapng the section header
// block and every block up to the first packet block (so that Interfaces
// knows every interface declared before the first packet). Gzip and zstd
// input is recognised by its magic number and decompressed transparently.
// NewReader blocks until the header has arrived.
func NewReader(src io.Reader, opts ReaderOptions) (*Reader, error) {
	r := &Reader{src: src, name: opts.Name, strict: opts.Strict, warn: opts.Warn}
	if r.name == "" {
		r.name = "input"
	}
	size := opts.BufSize
	if size <= 0 {
		size = DefaultBufSize
	}
	r.buf = make([]byte, max(size, 64))
	return r.start()
}

// NewReaderBytes is NewReader for a capture held whole in memory, such as a
// mapped file: records are sliced from data in place, never copied, and
// data is never written to, so it may be read-only memory. Next returns
// records up to the end of data, which is the end of the input. Compressed
// data is decompressed into a buffer of its own (DefaultBufSize, or
// opts.BufSize) as NewReader does.
func NewReaderBytes(data []byte, opts ReaderOptions) (*Reader, error) {
	r := &Reader{name: opts.Name, strict: opts.Strict, warn: opts.Warn, bufSize: opts.BufSize}
	if r.name == "" {
		r.name = "input"
	}
	r.buf, r.end, r.readErr = data, len(data), io.EOF
	return r.start()
}

// start sniffs the magic number and reads the file header: the common
// part of NewReader and NewReaderBytes.
func (r *Reader) start() (*Reader, error) {
	if err := r.decompress(); err != nil {
		return nil, err
	}
	err := r.ensure(4)
	if err != nil && err != io.EOF {
		return nil, r.readError(err)
	}
	if r.end-r.pos < 4 {
		return nil, r.errorf(0, ErrTruncated, "truncated file header: %d bytes", r.end-r.pos)
	}
	m := r.buf[r.pos : r.pos+4]
	switch {
	case pcapMagic(m) != 0:
		err = r.readPcapHeader(true)
	case isSHB(m):
		err = r.readNgHeader()
	default:
		return nil, r.errorf(0, ErrNotCapture, "%v (magic %x)", ErrNotCapture, m)
	}
	if err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// Next fills rec with the next record. Its Data and Raw alias the reader's
// buffer until the following call. Next returns io.EOF at the clean end of
// the input (also after a truncated tail or trailing damage, which are
// reported through Warn unless Strict). Once Next has returned an error it
// returns the same error on every later call.
func (r *Reader) Next(rec *Record) error {
	if r.fatal != nil {
		return r.fatal
	}
	var err error
	if r.format == FormatPcap {
		err = r.nextPcap(rec)
	} else {
		err = r.nextNg(rec)
	}
	if err != nil {
		r.fatal = err
		return err
	}
	r.stats.Records++
	if r.src == nil && r.pos+prefetchAhead > r.pf { // in memory (NewReaderBytes): see readahead.go
		r.readAhead()
	}
	return nil
}

// Format returns the input's capture format.
func (r *Reader) Format() Format { return r.format }

// Interfaces returns the interfaces known so far, indexed by
// Record.Interface. A classic pcap stream has one. A pcapng stream has every
// interface declared before the first packet once NewReader returns; an
// interface description block that appears later (or in a later section)
// appends to the list, so a caller that must know every interface up front
// (to write a pcapng header) can only rely on the ones present at start.
// The returned slice must not be modified.
func (r *Reader) Interfaces() []Interface { return r.ifaces }

// Precision returns Nano when the input is classic pcap with the nanosecond
// magic or when any pcapng interface has a timestamp resolution finer than
// one microsecond; otherwise Micro. It can change from Micro to Nano when a
// concatenated header or a later interface is finer.
func (r *Reader) Precision() Precision {
	if r.nano {
		return Nano
	}
	return Micro
}

// SnapLen returns the classic pcap header's snaplen (the largest one when
// several headers were concatenated), or for pcapng the largest interface
// snaplen, where 0 (unlimited) counts as 262144.
func (r *Reader) SnapLen() uint32 {
	var s uint32
	for _, i := range r.ifaces {
		n := i.SnapLen
		if n == 0 && r.format == FormatPcapNG {
			n = defaultSnapLen
		}
		s = max(s, n)
	}
	return s
}

// Stats returns the reader's counters so far.
func (r *Reader) Stats() ReaderStats {
	s := r.stats
	s.BytesRead = r.offset()
	return s
}

// Close releases the decompressor, if any. It does not close the
// underlying reader. The Reader must not be used afterwards.
func (r *Reader) Close() error {
	if r.closer != nil {
		r.closer()
		r.closer = nil
	}
	return nil
}

// offset returns the stream offset of the next unread byte.
func (r *Reader) offset() int64 { return r.base + int64(r.pos) }

// ensure makes at least n unread bytes available in buf[pos:end], reading
// (and compacting or growing the buffer) as needed. Short reads are normal;
// only an error from the source ends the stream. It returns io.EOF when the
// source ended with fewer than n bytes available, or the read error.
func (r *Reader) ensure(n int) error {
	for r.end-r.pos < n {
		if r.readErr != nil {
			return r.readErr
		}
		if len(r.buf)-r.pos < n {
			r.makeRoom(n)
		}
		m, err := r.src.Read(r.buf[r.end:])
		if m < 0 || m > len(r.buf)-r.end {
			r.readErr = fmt.Errorf("invalid read count %d", m)
			continue
		}
		r.end += m
		switch {
		case err != nil:
			r.readErr = err
		case m == 0:
			r.zeroReads++
			if r.zeroReads >= maxZeroReads {
				r.readErr = io.ErrNoProgress
			}
		default:
			r.zeroReads = 0
		}
	}
	return nil
}

// makeRoom is called when n unread bytes would not fit after pos. It moves
// the unread bytes to the front of the buffer (they are shorter than the
// record being assembled, so the copy is small) and, when the buffer is
// full and still smaller than n, doubles it (at most to n). Growing by
// doubling as data arrives keeps a bogus length in a damaged header from
// allocating more than the input actually holds.
func (r *Reader) makeRoom(n int) {
	if r.pos > 0 {
		r.end = copy(r.buf, r.buf[r.pos:r.end])
		r.base += int64(r.pos)
		r.pos = 0
		r.pf = 0
	}
	if r.end == len(r.buf) && len(r.buf) < n {
		nb := make([]byte, min(n, 2*len(r.buf)))
		copy(nb, r.buf[:r.end])
		r.buf = nb
	}
}

// readError wraps a non-EOF read error with the input name and offset.
func (r *Reader) readError(err error) error {
	return &Error{Name: r.name, Offset: r.base + int64(r.end), Msg: "read: " + err.Error(), Err: err}
}

// endOfInput is called when ensure failed with err while a record or block
// starting at off needed want bytes. At a record boundary with nothing left
// it is the clean end (io.EOF). Otherwise the tail is truncated: a warning
// and io.EOF, or in strict mode an error wrapping ErrTruncated. A read error
// other than io.EOF is returned wrapped.
func (r *Reader) endOfInput(err error, off int64, what string, want int) error {
	if err != io.EOF {
		return r.readError(err)
	}
	have := r.end - r.pos
	if have == 0 {
		return io.EOF
	}
	if r.strict {
		return r.errorf(off, ErrTruncated, "truncated %s: input ends after %d of %d bytes", what, have, want)
	}
	r.warnf(off, "truncated %s: input ends after %d of %d bytes, skipped", what, have, want)
	r.stats.SkippedBytes += int64(have)
	r.pos = r.end
	return io.EOF
}
