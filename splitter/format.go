package splitter

import "github.com/flowsplit/flowsplit/internal/pcapio"

// recordWriter encodes the output format chosen for a run.
type recordWriter struct {
	format pcapio.Format
	prec   pcapio.Precision
	rd     *pcapio.Reader
}

func newRecordWriter(f pcapio.Format, rd *pcapio.Reader) *recordWriter {
	return &recordWriter{format: f, prec: rd.Precision(), rd: rd}
}

// appendHeader appends the file header every output starts with.
func (w *recordWriter) appendHeader(dst []byte) []byte {
	ifs := w.rd.Interfaces()
	if w.format == pcapio.FormatPcapNG {
		return pcapio.AppendPcapngHeader(dst, ifs)
	}
	return pcapio.AppendPcapHeader(dst, ifs[0].LinkType, w.rd.SnapLen(), w.prec)
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
