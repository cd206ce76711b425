package splitter

import "github.com/flowsplit/flowsplit/internal/pcapio"

// recordWriter encodes the output format chosen for a run.
type recordWriter struct {
	format   pcapio.Format
	prec     pcapio.Precision
	ifs      *ifaceMap // the interfaces pcapng output declares
	snapLen  uint32    // of pcap output
	linkType uint16    // of pcap output
	declared int       // interfaces declared in pcapng output so far
}

// newRecordWriter returns the writer of format f for the interfaces of ifs
// (pcap output: at least one), with the precision and snaplen that pcap
// output's header declares.
func newRecordWriter(f pcapio.Format, ifs *ifaceMap, prec pcapio.Precision, snapLen uint32) *recordWriter {
	w := &recordWriter{format: f, prec: prec, ifs: ifs, snapLen: snapLen}
	if len(ifs.global) > 0 {
		w.linkType = ifs.global[0].LinkType
	}
	return w
}

// appendHeader appends the file header every output starts with: for
// pcapng, a section header and every interface known so far.
func (w *recordWriter) appendHeader(dst []byte) []byte {
	if w.format == pcapio.FormatPcapNG {
		w.declared = len(w.ifs.global)
		return pcapio.AppendPcapngHeader(dst, w.ifs.global)
	}
	return pcapio.AppendPcapHeader(dst, w.linkType, w.snapLen, w.prec)
}

// newInterfaces returns the interface description blocks of the interfaces
// that appeared since the outputs' header was made (a later pcapng section
// or IDB, a later input), or nil. Only for pcapng output.
func (w *recordWriter) newInterfaces() []byte {
	var idbs []byte
	for ; w.declared < len(w.ifs.global); w.declared++ {
		idbs = pcapio.AppendPcapngIDB(idbs, w.ifs.global[w.declared])
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
