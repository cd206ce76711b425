package splitter

import (
	"encoding/binary"

	"github.com/flowsplit/flowsplit/internal/pcapio"
)

// Batches hold whole records of the output format, back to back: classic
// pcap records (16-byte header, caplen at offset 8) or pcapng blocks (total
// length at offset 4). recordEnd finds where the record starting at off
// ends, or -1 when the bytes there are not a whole record.
// blockEPB is the pcapng Enhanced Packet Block type.
const blockEPB = 6

func recordEnd(format pcapio.Format, b []byte, off int) int {
	var n int
	if format == pcapio.FormatPcapNG {
		if off+8 > len(b) {
			return -1
		}
		n = int(binary.LittleEndian.Uint32(b[off+4:]))
		if n < 12 {
			return -1
		}
	} else {
		if off+16 > len(b) {
			return -1
		}
		n = 16 + int(binary.LittleEndian.Uint32(b[off+8:]))
	}
	if off+n > len(b) || off+n < off {
		return -1
	}
	return off + n
}

// recordBoundary returns the offset of the first record of b that was not
// completely written when n bytes of b were, and how many records were
// complete before it.
func recordBoundary(format pcapio.Format, b []byte, n int) (off, complete int) {
	for off < len(b) {
		end := recordEnd(format, b, off)
		if end < 0 || end > n {
			return off, complete
		}
		off = end
		complete++
	}
	return off, complete
}

// countRecords counts the packet records in b (pcapng: Enhanced Packet
// Blocks, not the interface blocks a batch may also carry) and their
// captured bytes.
func countRecords(format pcapio.Format, b []byte) (records int, dataBytes uint64) {
	hdr := 16
	if format == pcapio.FormatPcapNG {
		hdr = 32
	}
	for off := 0; off < len(b); {
		end := recordEnd(format, b, off)
		if end < 0 {
			break
		}
		switch {
		case format != pcapio.FormatPcapNG:
			dataBytes += uint64(end - off - hdr)
			records++
		case binary.LittleEndian.Uint32(b[off:]) == blockEPB && end-off >= hdr:
			dataBytes += uint64(binary.LittleEndian.Uint32(b[off+20:]))
			records++
		}
		off = end
	}
	return records, dataBytes
}

// recordNeed returns the total length of the record starting b, from its
// header alone, or 0 when b is too short to tell.
func recordNeed(format pcapio.Format, b []byte) int {
	if format == pcapio.FormatPcapNG {
		if len(b) < 8 {
			return 0
		}
		return int(binary.LittleEndian.Uint32(b[4:]))
	}
	if len(b) < 16 {
		return 0
	}
	return 16 + int(binary.LittleEndian.Uint32(b[8:]))
}
