package splitter

import "github.com/flowsplit/flowsplit/internal/pcapio"

// recordWriter encodes the output format chosen for a run.
type recordWriter struct {
	format   pcapio.Format
	prec     pcapio.Precision
	rd       *pcapio.Reader
	linkType uint16 // the link type of pcap output
	declared int    // interfaces declared in pcapng output so far
}

func newRecordWriter(f pcapio.Format, rd *pcapio.Reader) *recordWriter {
	return &recordWriter{format: f, prec: rd.Precision(), rd: rd, linkType: rd.Interfaces()[0].LinkType}
}

// appendHeader appends the file header every output starts with: for
// pcapng, a section header and every interface known so far.
func (w *recordWriter) appendHeader(dst []byte) []byte {
	ifs := w.rd.Interfaces()
	if w.format == pcapio.FormatPcapNG {
		w.declared = len(ifs)
		return pcapio.AppendPcapngHeader(dst, ifs)
	}
	return pcapio.AppendPcapHeader(dst, w.linkType, w.rd.SnapLen(), w.prec)
}

// newInterfaces returns the interface description blocks of the input
// interfaces that appeared since the outputs' header was made (a later
// pcapng section or IDB), or nil. Only for pcapng output.
func (w *recordWriter) newInterfaces() []byte {
	ifs := w.rd.Interfaces()
	var idbs []byte
	for ; w.declared < len(ifs); w.declared++ {
		idbs = pcapio.AppendPcapngIDB(idbs, ifs[w.declared])
	}
	return idbs
}

// recordSize is how many bytes appendRecord will append for rec.
func (w *recordWriter) recordSize(rec *pcapio.Record) int {
	if w.format == pcapio.FormatPcapNG {
		return 32 + (len(rec.Data)+3)&^3
	}
	return 16 + len(rec.Data)
}

// appendRecord appends rec in the output format.
func (w *recordWriter) appendRecord(dst []byte, rec *pcapio.Record) []byte {
	if w.format == pcapio.FormatPcapNG {
		return pcapio.AppendPcapngEPB(dst, rec)
	}
	return pcapio.AppendPcapRecord(dst, rec, w.prec)
}

func formatName(f pcapio.Format) string {
	if f == pcapio.FormatPcapNG {
		return "pcapng"
	}
	return "pcap"
}
