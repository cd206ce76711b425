package pcapio

import (
	"encoding/binary"
	"fmt"
)

// pcapng output layout written by AppendPcapngHeader.
const (
	outSHBLen      = 28 // SHB without options
	outIDBLen      = 32 // IDB + if_tsresol option (8) + opt_endofopt (4)
	outTsResolNano = 9
)

// AppendPcapHeader appends a little-endian classic pcap file header,
// version 2.4, for linkType with snapLen, declaring microsecond or
// nanosecond timestamps according to prec.
//
// Records may be longer than snapLen (old pcapdj writes caplen 70000 under
// 65535) and libpcap readers silently cut such records to the snaplen, so a
// writer copying another stream should declare max(input snaplen, 262144).
func AppendPcapHeader(dst []byte, linkType uint16, snapLen uint32, prec Precision) []byte {
	magic := uint32(magicMicroLE)
	if prec == Nano {
		magic = magicNanoLE
	}
	dst = binary.LittleEndian.AppendUint32(dst, magic)
	dst = binary.LittleEndian.AppendUint16(dst, pcapVersionMajor)
	dst = binary.LittleEndian.AppendUint16(dst, 4) // version minor
	dst = binary.LittleEndian.AppendUint32(dst, 0) // thiszone
	dst = binary.LittleEndian.AppendUint32(dst, 0) // sigfigs
	dst = binary.LittleEndian.AppendUint32(dst, snapLen)
	return binary.LittleEndian.AppendUint32(dst, uint32(linkType))
}

// AppendPcapRecord appends rec as a little-endian classic pcap record with
// timestamps of precision prec. When rec.Raw is non-nil and
// rec.RawPrecision equals prec, Raw is copied verbatim; otherwise a 16-byte
// header is encoded from Sec, Nsec (truncated to microseconds for Micro),
// len(Data) and OrigLen, followed by Data. It does not allocate when dst has
// room.
func AppendPcapRecord(dst []byte, rec *Record, prec Precision) []byte {
	if rec.Raw != nil && rec.RawPrecision == prec {
		return append(dst, rec.Raw...)
	}
	frac := rec.Nsec
	if prec == Micro {
		frac /= 1000
	}
	dst = binary.LittleEndian.AppendUint32(dst, uint32(rec.Sec))
	dst = binary.LittleEndian.AppendUint32(dst, frac)
	dst = binary.LittleEndian.AppendUint32(dst, uint32(len(rec.Data)))
	dst = binary.LittleEndian.AppendUint32(dst, rec.OrigLen)
	return append(dst, rec.Data...)
}

// AppendPcapngHeader appends a little-endian pcapng section header block
// (version 1.0, section length -1, no options) followed by one interface
// description block per interface, in order, each with its link type,
// snaplen and if_tsresol 9 (nanoseconds). Record.Interface indexes ifaces.
// It allocates only when dst lacks capacity.
func AppendPcapngHeader(dst []byte, ifaces []Interface) []byte {
	le := binary.LittleEndian
	dst = le.AppendUint32(dst, blockSHB)
	dst = le.AppendUint32(dst, outSHBLen)
	dst = le.AppendUint32(dst, byteOrderMagic)
	dst = le.AppendUint16(dst, ngMajorVersion)
	dst = le.AppendUint16(dst, 0)          // minor version
	dst = le.AppendUint64(dst, ^uint64(0)) // section length: unknown
	dst = le.AppendUint32(dst, outSHBLen)
	for _, in := range ifaces {
		dst = AppendPcapngIDB(dst, in)
	}
	return dst
}

// AppendPcapngIDB appends one little-endian interface description block for
// in (link type, snaplen, if_tsresol 9). An IDB may follow packets in a
// section: a writer copying a pcapng stream whose Interfaces grew after its
// header was written appends the new ones with this before their first
// packet, keeping Record.Interface a valid index.
func AppendPcapngIDB(dst []byte, in Interface) []byte {
	le := binary.LittleEndian
	dst = le.AppendUint32(dst, blockIDB)
	dst = le.AppendUint32(dst, outIDBLen)
	dst = le.AppendUint16(dst, in.LinkType)
	dst = le.AppendUint16(dst, 0) // reserved
	dst = le.AppendUint32(dst, in.SnapLen)
	dst = le.AppendUint16(dst, optTsResol)
	dst = le.AppendUint16(dst, 1)
	dst = append(dst, outTsResolNano, 0, 0, 0) // value + padding
	dst = le.AppendUint32(dst, optEndOfOpt)    // code 0, length 0
	return le.AppendUint32(dst, outIDBLen)
}

// AppendPcapngEPB appends rec as a little-endian enhanced packet block on
// interface rec.Interface with a nanosecond timestamp, Data padded to 4
// bytes and no options. It does not allocate when dst has room. Timestamps
// after the year 2554 do not fit in 64-bit nanoseconds and wrap.
func AppendPcapngEPB(dst []byte, rec *Record) []byte {
	le := binary.LittleEndian
	n := len(rec.Data)
	total := uint32(ngEPBMinLen + pad4(n))
	ts := uint64(rec.Sec)*1e9 + uint64(rec.Nsec)
	dst = le.AppendUint32(dst, blockEPB)
	dst = le.AppendUint32(dst, total)
	dst = le.AppendUint32(dst, uint32(rec.Interface))
	dst = le.AppendUint32(dst, uint32(ts>>32))
	dst = le.AppendUint32(dst, uint32(ts))
	dst = le.AppendUint32(dst, uint32(n))
	dst = le.AppendUint32(dst, rec.OrigLen)
	dst = append(dst, rec.Data...)
	dst = append(dst, zeroPad[:pad4(n)-n]...)
	return le.AppendUint32(dst, total)
}

var zeroPad [3]byte

// ChooseFormat picks the output format for ifaces: want "pcap" or
// "pcapng" forces it, "auto" (or "") picks pcap when every interface has
// the same link type and pcapng otherwise. Classic pcap with mixed link
// types, or with no interface at all, is an error.
func ChooseFormat(ifaces []Interface, want string) (Format, error) {
	mixed := false
	for _, in := range ifaces[min(1, len(ifaces)):] {
		if in.LinkType != ifaces[0].LinkType {
			mixed = true
		}
	}
	switch want {
	case "auto", "":
		if mixed || len(ifaces) == 0 {
			return FormatPcapNG, nil
		}
		return FormatPcap, nil
	case "pcap":
		if len(ifaces) == 0 {
			return 0, fmt.Errorf("pcap output needs a link type but the input declares no interface")
		}
		if mixed {
			return 0, fmt.Errorf("pcap output needs one link type but the input has several (%s); use pcapng", linkTypes(ifaces))
		}
		return FormatPcap, nil
	case "pcapng":
		return FormatPcapNG, nil
	}
	return 0, fmt.Errorf("unknown output format %q (want auto, pcap or pcapng)", want)
}

// linkTypes lists the distinct link types of ifaces, for messages.
func linkTypes(ifaces []Interface) string {
	s := ""
	seen := map[uint16]bool{}
	for _, in := range ifaces {
		if !seen[in.LinkType] {
			if s != "" {
				s += ", "
			}
			s += fmt.Sprint(in.LinkType)
			seen[in.LinkType] = true
		}
	}
	return s
}
