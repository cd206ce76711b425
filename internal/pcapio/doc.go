// Package pcapio reads and writes packet-capture streams: classic pcap
// (both byte orders, microsecond, nanosecond and the "modified" variant)
// and pcapng (multiple sections and interfaces, either byte order), plain
// or gzip/zstd compressed.
//
// # Data flow
//
// NewReader sniffs the magic number of a non-seekable stream (a file, FIFO
// or stdin that may deliver data in small pieces with long pauses), reads
// the file header (or the pcapng section header and the interface blocks
// before the first packet), and Reader.Next then decodes one Record per
// call. Only io.EOF from the source ends the stream; a short read never
// does. NewReaderBytes does the same over a capture already in memory (a
// mapped file): records are sliced from it in place, nothing is read or
// copied, the memory is never written, and the next 4 KiB are prefetched
// into the CPU caches as the reader goes. The Append* functions encode headers and records for the outputs:
// classic pcap (little-endian, a verbatim copy of the input record when
// possible) or pcapng (one section, one IDB per input interface, EPBs with
// nanosecond timestamps).
//
// # Damage
//
// A record header or block whose framing is impossible (caplen above
// max(snaplen, 262144), a block length that is not a multiple of 4 or whose
// trailer differs) is damage. By default the reader warns with the byte
// offset and the number of bytes skipped and resynchronises on the next
// plausible record or block; with ReaderOptions.Strict it stops with an
// error wrapping ErrDamaged. A truncated last record is a warning and
// io.EOF (ErrTruncated in strict mode).
//
// # Allocation and buffer ownership
//
// The reader owns one read buffer (1 MiB by default) that grows only for a
// record larger than itself (NewReaderBytes: the caller's memory, and a
// buffer of its own only for decompressed data). Next slices Record.Data and Record.Raw from it
// without copying and without allocating in steady state; they stay valid
// only until the next call to Next, so a caller that keeps a record must
// copy it. Allocations happen in NewReader, when a pcapng interface block
// arrives, when the buffer grows, and on warning and error paths. The
// Append* functions append to the caller's slice and allocate only when it
// lacks capacity.
//
// # Concurrency
//
// A Reader is not safe for concurrent use. The Append* functions and
// ChooseFormat are pure and safe to call from any goroutine.
package pcapio
