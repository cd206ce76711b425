package pcapio

// Precision is the timestamp resolution of a capture stream or output.
type Precision uint8

const (
	// Micro is microsecond resolution (classic pcap magic 0xa1b2c3d4).
	Micro Precision = iota
	// Nano is nanosecond resolution (classic pcap magic 0xa1b23c4d).
	Nano
)

// Format is a capture file format.
type Format uint8

const (
	// FormatPcap is classic libpcap format.
	FormatPcap Format = iota + 1
	// FormatPcapNG is pcapng.
	FormatPcapNG
)

// Interface describes one capture interface of the input. A classic pcap
// stream has exactly one; a pcapng stream has one per Interface Description
// Block, numbered across sections in the order they appear.
type Interface struct {
	LinkType uint16
	SnapLen  uint32
	// TsResolRaw is the raw if_tsresol option byte (6 when absent).
	TsResolRaw uint8
	Name       string
}

// Record is one packet read from the input.
//
// Data (and Raw) alias the Reader's internal buffer: they are valid only
// until the next call to Reader.Next. A caller that keeps a record longer
// must copy it.
type Record struct {
	// Interface is the global index into Reader.Interfaces().
	Interface int
	// LinkType is the link type of the record's interface.
	LinkType uint16
	// Sec and Nsec are the capture timestamp. For classic pcap input Nsec is
	// the raw fraction field scaled to nanoseconds (x1000 for microsecond
	// files), so that writing it back at the input precision is byte-exact
	// (a fraction of a second or more, written by broken tools, is carried
	// into Sec so that Nsec < 1e9 always). For pcapng it is the timestamp
	// converted from the interface's if_tsresol, truncated to nanoseconds;
	// Simple Packet Blocks have no timestamp (0, 0).
	Sec  int64
	Nsec uint32
	// CapLen is len(Data); OrigLen is the original length on the wire.
	CapLen, OrigLen uint32
	// Data is the captured bytes.
	Data []byte
	// Raw, when non-nil, is the complete little-endian classic pcap record
	// (16-byte record header followed by Data) exactly as it appeared in the
	// input. Writers may copy it verbatim when the output is little-endian
	// classic pcap of the same precision.
	Raw []byte
	// RawPrecision is the timestamp precision of Raw's record header
	// (the input's magic); meaningful only when Raw is non-nil.
	RawPrecision Precision
	// Offset is the byte offset of the record (its header) in the
	// decompressed input stream, for error messages.
	Offset int64
}
