package splitter

import (
	"encoding/binary"

	"github.com/flowsplit/flowsplit/internal/pcapio"
)

// outHeader is the file header of the outputs: a new file, a new reader of
// a FIFO output and a spill file start with it. With pcapng output,
// interfaces that appear mid-stream are declared by interface blocks in
// the batches, at their place among the records; a file or reader that
// starts at some point of an output's stream gets the header declaring the
// interfaces declared before that point (upTo), and then the stream's own
// blocks declare the others, each once. An outHeader is never changed once
// published (sink.declare).
type outHeader struct {
	b      []byte // the header declaring every interface known (pcap: the pcap header)
	ifaces int    // pcapng interfaces b declares
	ends   []int  // pcapng: ends[k] is the length of the header declaring the first k
}

// newOutHeader returns the header of w's outputs with every interface known
// so far; they count as declared (recordWriter.declared).
func newOutHeader(w *recordWriter) *outHeader {
	if w.format != pcapio.FormatPcapNG {
		return &outHeader{b: w.appendHeader(nil)}
	}
	b := pcapio.AppendPcapngHeader(nil, nil) // the section header alone
	ends := []int{len(b)}
	for _, in := range w.ifs.global {
		b = pcapio.AppendPcapngIDB(b, in)
		ends = append(ends, len(b))
	}
	w.declared = len(w.ifs.global)
	return &outHeader{b: b, ifaces: w.declared, ends: ends}
}

// upTo returns the header declaring the first k interfaces (pcapng), or the
// pcap header.
func (h *outHeader) upTo(k int) []byte {
	if h.ends == nil {
		return h.b
	}
	return h.b[:h.ends[min(max(k, 0), h.ifaces)]]
}

// blockIDB is the pcapng Interface Description Block type.
const blockIDB = 1

// countIDBs counts the interface blocks among b's records (pcapng blocks;
// none in pcap).
func countIDBs(format pcapio.Format, b []byte) int {
	if format != pcapio.FormatPcapNG {
		return 0
	}
	n := 0
	for off := 0; off < len(b); {
		end := recordEnd(format, b, off)
		if end < 0 {
			break
		}
		if binary.LittleEndian.Uint32(b[off:]) == blockIDB {
			n++
		}
		off = end
	}
	return n
}
