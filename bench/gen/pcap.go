package gen

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
)

// Classic pcap constants.
const (
	pcapMagicMicro  = 0xa1b2c3d4
	pcapVersionMaj  = 2
	pcapVersionMin  = 4
	pcapSnapLen     = 65535
	linkTypeEther   = 1
	pcapFileHdrLen  = 24
	pcapRecordHdLen = 16
	pcapBufSize     = 1 << 20
)

// WritePcap writes the whole stream of cfg to w as a little-endian classic
// pcap with microsecond timestamps (file header, then one record per
// frame), through a 1 MiB buffer. It returns the number of packets and the
// number of bytes written, header included.
func WritePcap(w io.Writer, cfg Config) (packets int, bytes int64, err error) {
	bw := bufio.NewWriterSize(w, pcapBufSize)
	var hdr [pcapFileHdrLen]byte
	binary.LittleEndian.PutUint32(hdr[0:], pcapMagicMicro)
	binary.LittleEndian.PutUint16(hdr[4:], pcapVersionMaj)
	binary.LittleEndian.PutUint16(hdr[6:], pcapVersionMin)
	binary.LittleEndian.PutUint32(hdr[16:], pcapSnapLen)
	binary.LittleEndian.PutUint32(hdr[20:], linkTypeEther)
	if _, err := bw.Write(hdr[:]); err != nil {
		return 0, 0, fmt.Errorf("write pcap header: %w", err)
	}
	bytes = pcapFileHdrLen
	g := New(cfg)
	var rec [pcapRecordHdLen]byte
	for {
		frame, ts, ok := g.Next()
		if !ok {
			break
		}
		binary.LittleEndian.PutUint32(rec[0:], uint32(ts.Unix()))
		binary.LittleEndian.PutUint32(rec[4:], uint32(ts.Nanosecond()/1000))
		binary.LittleEndian.PutUint32(rec[8:], uint32(len(frame)))
		binary.LittleEndian.PutUint32(rec[12:], uint32(len(frame)))
		if _, err := bw.Write(rec[:]); err != nil {
			return packets, bytes, fmt.Errorf("write pcap record %d at byte %d: %w", packets, bytes, err)
		}
		if _, err := bw.Write(frame); err != nil {
			return packets, bytes, fmt.Errorf("write pcap record %d at byte %d: %w", packets, bytes, err)
		}
		packets++
		bytes += int64(pcapRecordHdLen + len(frame))
	}
	if err := bw.Flush(); err != nil {
		return packets, bytes, fmt.Errorf("flush pcap: %w", err)
	}
	return packets, bytes, nil
}
