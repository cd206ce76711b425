package pcapio

import (
	"encoding/binary"
	"fmt"
	"io"
)

// Classic pcap layout.
const (
	pcapFileHeaderLen     = 24 // magic, version major/minor, thiszone, sigfigs, snaplen, network
	pcapRecordHeaderLen   = 16 // ts_sec, ts_frac, caplen, origlen
	pcapModifiedHeaderLen = 24 // + ifindex(4), protocol(2), pkt_type(1), pad(1)
	pcapVersionMajor      = 2

	// defaultSnapLen is libpcap's maximum snapshot length (MAXIMUM_SNAPLEN):
	// the least plausibility limit for a record's caplen.
	defaultSnapLen = 262144
)

// Classic pcap magic numbers as read little-endian from the first 4 bytes.
const (
	magicMicroLE    = 0xa1b2c3d4
	magicMicroBE    = 0xd4c3b2a1
	magicNanoLE     = 0xa1b23c4d
	magicNanoBE     = 0x4d3cb2a1
	magicModifiedLE = 0xa1b2cd34 // Alexey Kuznetsov's patched libpcap
	magicModifiedBE = 0x34cdb2a1
)

// pcapKind describes a classic pcap variant named by its magic number.
type pcapKind uint8

const (
	kindBE pcapKind = 1 << iota
	kindNano
	kindModified
	kindValid // set for every recognised magic so that kinds are non-zero
)

// pcapMagic returns the variant named by the 4-byte magic m, or 0.
func pcapMagic(m []byte) pcapKind {
	if len(m) < 4 {
		return 0
	}
	switch binary.LittleEndian.Uint32(m) {
	case magicMicroLE:
		return kindValid
	case magicMicroBE:
		return kindValid | kindBE
	case magicNanoLE:
		return kindValid | kindNano
	case magicNanoBE:
		return kindValid | kindNano | kindBE
	case magicModifiedLE:
		return kindValid | kindModified
	case magicModifiedBE:
		return kindValid | kindModified | kindBE
	}
	return 0
}

// pcapState is the classic pcap decoding state of a Reader.
type pcapState struct {
	be       bool
	nano     bool
	modified bool
	hdrLen   int
	linkType uint16
	iface    int // index in Reader.ifaces of the current file header's link type
	// limit is the plausibility limit for caplen: max(snaplen, 262144),
	// at most maxRecordLen. Old pcapdj writes caplen 70000 under a header
	// snaplen of 65535, which must pass; libpcap itself rejects caplen
	// above max(snaplen, 262144) as a corrupt file.
	limit    uint32
	prevSec  int64
	havePrev bool
}

func (s *pcapState) u32(b []byte) uint32 {
	if s.be {
		return binary.BigEndian.Uint32(b)
	}
	return binary.LittleEndian.Uint32(b)
}

func u16(be bool, b []byte) uint16 {
	if be {
		return binary.BigEndian.Uint16(b)
	}
	return binary.LittleEndian.Uint16(b)
}

func u32(be bool, b []byte) uint32 {
	if be {
		return binary.BigEndian.Uint32(b)
	}
	return binary.LittleEndian.Uint32(b)
}

// pcapHeader is a decoded classic pcap file header.
type pcapHeader struct {
	kind     pcapKind
	major    uint16
	minor    uint16
	snapLen  uint32
	linkType uint16
}

// parsePcapHeader decodes a 24-byte file header; b must hold 24 bytes
// starting with a valid magic.
func parsePcapHeader(b []byte) pcapHeader {
	k := pcapMagic(b)
	be := k&kindBE != 0
	return pcapHeader{
		kind:    k,
		major:   u16(be, b[4:6]),
		minor:   u16(be, b[6:8]),
		snapLen: u32(be, b[16:20]),
		// The upper 16 bits of the network field carry FCS information.
		linkType: uint16(u32(be, b[20:24])),
	}
}

// readPcapHeader reads the classic file header at the current position:
// the first one when first is set, otherwise one concatenated at a record
// boundary. Each link type is an interface: the records after a header of
// another link type than the first are on interface 1 (and so on), which a
// pcapng output declares and a pcap output refuses.
func (r *Reader) readPcapHeader(first bool) error {
	off := r.offset()
	if err := r.ensure(pcapFileHeaderLen); err != nil {
		if err != io.EOF {
			return r.readError(err)
		}
		if first || r.strict {
			return r.errorf(off, ErrTruncated, "truncated file header: %d of %d bytes", r.end-r.pos, pcapFileHeaderLen)
		}
		return r.endOfInput(err, off, "file header", pcapFileHeaderLen)
	}
	h := parsePcapHeader(r.buf[r.pos : r.pos+pcapFileHeaderLen])
	if h.major != pcapVersionMajor {
		return r.errorf(off, nil, "unsupported pcap version %d.%d (want major version %d)", h.major, h.minor, pcapVersionMajor)
	}
	s := &r.pcap
	if first {
		r.format = FormatPcap
		r.ifaces = append(r.ifaces, Interface{LinkType: h.linkType, SnapLen: h.snapLen, TsResolRaw: 6})
		s.linkType, s.iface = h.linkType, 0
	} else {
		r.stats.Headers++
		if h.linkType == s.linkType {
			r.warnf(off, "another pcap file header (concatenated capture), continuing")
		} else {
			s.linkType, s.iface = h.linkType, r.pcapInterface(h.linkType)
			r.warnf(off, "another pcap file header (concatenated capture), of link type %d: continuing as interface %d", h.linkType, s.iface)
		}
		r.ifaces[s.iface].SnapLen = max(r.ifaces[s.iface].SnapLen, h.snapLen)
	}
	s.be = h.kind&kindBE != 0
	s.nano = h.kind&kindNano != 0
	s.modified = h.kind&kindModified != 0
	if s.nano {
		r.nano = true
		r.ifaces[s.iface].TsResolRaw = 9
	}
	s.hdrLen = pcapRecordHeaderLen
	if s.modified {
		s.hdrLen = pcapModifiedHeaderLen
	}
	s.limit = min(max(r.ifaces[s.iface].SnapLen, defaultSnapLen), maxRecordLen)
	r.pos += pcapFileHeaderLen
	return nil
}

// pcapInterface returns the interface of a concatenated file header of
// link type lt: the first one of that link type, or a new one.
func (r *Reader) pcapInterface(lt uint16) int {
	for i, in := range r.ifaces {
		if in.LinkType == lt {
			return i
		}
	}
	r.ifaces = append(r.ifaces, Interface{LinkType: lt, TsResolRaw: 6})
	return len(r.ifaces) - 1
}

// nextPcap reads the next classic pcap record into rec.
func (r *Reader) nextPcap(rec *Record) error {
	s := &r.pcap
	if r.fastPcap(rec) {
		return nil
	}
	for {
		off := r.offset()
		if err := r.ensure(s.hdrLen); err != nil {
			if err == io.EOF && r.end-r.pos >= 4 && pcapMagic(r.buf[r.pos:]) != 0 {
				return r.readPcapHeader(false) // truncated concatenated header
			}
			return r.endOfInput(err, off, "record header", s.hdrLen)
		}
		h := r.buf[r.pos : r.pos+s.hdrLen]
		if pcapMagic(h) != 0 {
			if err := r.readPcapHeader(false); err != nil {
				return err
			}
			continue
		}
		if isSHB(h) {
			return r.errorf(off, nil, "pcapng section header in a classic pcap stream")
		}
		caplen := s.u32(h[8:12])
		if caplen > s.limit {
			if err := r.damaged(off, "record caplen %d exceeds limit %d", caplen, s.limit); err != nil {
				return err
			}
			if err := r.resyncPcap(off); err != nil {
				return err
			}
			continue
		}
		n := s.hdrLen + int(caplen)
		if err := r.ensure(n); err != nil {
			if err != io.EOF || r.strict {
				return r.endOfInput(err, off, "record", n)
			}
			// The tail may be a cut record followed by complete ones: look
			// for them.
			r.damage = fmt.Sprintf("truncated record: input ends after %d of %d bytes", r.end-r.pos, n)
			if err := r.resyncPcap(off); err != nil {
				return err
			}
			continue
		}
		h = r.buf[r.pos : r.pos+n]
		r.fillPcap(rec, h, off)
		r.pos += n
		return nil
	}
}

// fastPcap reads the next record when it is the common case: a
// little-endian unmodified 16-byte header, not a concatenated file header,
// a plausible caplen, the whole record in the buffer, fractions in range.
// It reports false, having changed nothing, for anything else; nextPcap's
// general path then handles it.
func (r *Reader) fastPcap(rec *Record) bool {
	s := &r.pcap
	if s.be || s.modified || s.hdrLen != 16 || r.slow {
		return false
	}
	pos := r.pos
	if r.end-pos < 16 {
		return false
	}
	h := r.buf[pos : pos+16 : pos+16]
	w0 := binary.LittleEndian.Uint32(h[0:4])
	frac := binary.LittleEndian.Uint32(h[4:8])
	caplen := binary.LittleEndian.Uint32(h[8:12])
	if caplen > s.limit || int(caplen) > r.end-pos-16 || isPcapOrSHBMagic(w0) {
		return false
	}
	scale := uint32(1000)
	if s.nano {
		if frac >= 1e9 {
			return false
		}
		scale = 1
	} else if frac >= 1e6 {
		return false
	}
	end := pos + 16 + int(caplen)
	rec.Interface = s.iface
	rec.LinkType = s.linkType
	rec.Sec = int64(w0)
	rec.Nsec = frac * scale
	rec.CapLen = caplen
	rec.OrigLen = binary.LittleEndian.Uint32(h[12:16])
	rec.Data = r.buf[pos+16 : end : end]
	rec.Raw = r.buf[pos:end:end]
	rec.RawPrecision = Micro
	if s.nano {
		rec.RawPrecision = Nano
	}
	rec.Offset = r.base + int64(pos)
	s.prevSec, s.havePrev = int64(w0), true
	r.pos = end
	return true
}

// isPcapOrSHBMagic reports whether the first word of a record header is a
// classic pcap magic or a pcapng section header type.
func isPcapOrSHBMagic(w uint32) bool {
	switch w {
	case magicMicroLE, magicMicroBE, magicNanoLE, magicNanoBE, blockSHB:
		return true
	}
	return false
}

// fillPcap decodes the complete record b (header and data) into rec.
func (r *Reader) fillPcap(rec *Record, b []byte, off int64) {
	s := &r.pcap
	sec := int64(s.u32(b[0:4]))
	frac := s.u32(b[4:8])
	if s.nano {
		if frac >= 1e9 { // broken writer: carry into seconds
			sec += int64(frac / 1e9)
			frac %= 1e9
		}
	} else {
		if frac >= 1e6 {
			sec += int64(frac / 1e6)
			frac %= 1e6
		}
		frac *= 1000
	}
	*rec = Record{
		Interface: s.iface,
		LinkType:  s.linkType,
		Sec:       sec,
		Nsec:      frac,
		CapLen:    uint32(len(b) - s.hdrLen),
		OrigLen:   s.u32(b[12:16]),
		Data:      b[s.hdrLen:len(b):len(b)],
		Offset:    off,
	}
	if !s.be && !s.modified {
		rec.Raw = b[:len(b):len(b)]
		if s.nano {
			rec.RawPrecision = Nano
		}
	}
	s.prevSec, s.havePrev = sec, true
}

// damaged handles damage detected at offset off: in strict mode it returns
// an error wrapping ErrDamaged; otherwise it returns nil and the caller
// resynchronises (the warning is issued once the skip length is known).
func (r *Reader) damaged(off int64, format string, args ...any) error {
	err := r.errorf(off, ErrDamaged, format, args...)
	if r.strict {
		return err
	}
	r.damage = err.(*Error).Msg
	return nil
}

// resynced reports a completed resynchronisation that started at off.
func (r *Reader) resynced(off int64) {
	skipped := r.offset() - off
	r.stats.SkippedBytes += skipped
	r.stats.Resyncs++
	r.warnf(off, "%s: skipped %d bytes, resynchronised at byte offset %d", r.damage, skipped, r.offset())
}

// resyncGiveUp reports damage after which no plausible record was found
// before the end of the input and returns the end (io.EOF or read error).
func (r *Reader) resyncGiveUp(off int64, err error) error {
	if err != io.EOF {
		return r.readError(err)
	}
	r.pos = r.end
	skipped := r.offset() - off
	r.stats.SkippedBytes += skipped
	r.warnf(off, "%s: skipped %d bytes to the end of the input", r.damage, skipped)
	return io.EOF
}

// Resynchronisation plausibility rules for classic pcap.
const (
	// resyncNearSecs is how far (either way) a candidate's timestamp may be
	// from the last good record's for one following header to confirm it.
	resyncNearSecs = 7 * 24 * 3600
	// resyncChainSecs bounds the gap between chained candidate records.
	resyncChainSecs = 24 * 3600
)

// resyncPcap skips bytes from the damaged record header at off until a
// plausible record header (or a concatenated file header) starts. A
// candidate must have caplen in 1..limit, caplen <= origlen <= maxRecordLen
// and a sub-second fraction in range. It is confirmed either by a timestamp
// within resyncNearSecs of the last good record plus one plausible
// following header, or by two plausible following headers with timestamps
// within resyncChainSecs of each other; a candidate whose record ends
// exactly at the end of the input needs no follower.
func (r *Reader) resyncPcap(off int64) error {
	for {
		r.pos++
		if err := r.ensure(4); err != nil {
			return r.resyncGiveUp(off, err)
		}
		if pcapMagic(r.buf[r.pos:r.pos+4]) != 0 {
			if r.ensure(pcapFileHeaderLen) == nil &&
				parsePcapHeader(r.buf[r.pos:r.pos+pcapFileHeaderLen]).major == pcapVersionMajor {
				break
			}
		}
		s := &r.pcap
		if s.havePrev && r.pcapCandidate(0, 1, s.prevSec, resyncNearSecs) {
			break
		}
		if r.pcapCandidate(0, 2, 0, -1) {
			break
		}
	}
	r.resynced(off)
	return nil
}

// pcapCandidate reports whether a plausible record header starts p bytes
// after r.pos, with a timestamp within window seconds of sec (window < 0:
// any), followed by `more` further plausible records.
func (r *Reader) pcapCandidate(p, more int, sec int64, window int64) bool {
	s := &r.pcap
	if r.ensure(p+s.hdrLen) != nil {
		return false
	}
	h := r.buf[r.pos+p : r.pos+p+s.hdrLen]
	ts := int64(s.u32(h[0:4]))
	frac, caplen, orig := s.u32(h[4:8]), s.u32(h[8:12]), s.u32(h[12:16])
	fracLimit := uint32(1e6)
	if s.nano {
		fracLimit = 1e9
	}
	if caplen == 0 || caplen > s.limit || caplen > orig || orig > maxRecordLen || frac >= fracLimit {
		return false
	}
	if window >= 0 && (ts < sec-window || ts > sec+window) {
		return false
	}
	if more == 0 {
		return true
	}
	next := p + s.hdrLen + int(caplen)
	if err := r.ensure(next + s.hdrLen); err != nil {
		// End of input: accept a complete record followed by less than a header.
		return err == io.EOF && r.end-r.pos >= next
	}
	if pcapMagic(r.buf[r.pos+next:]) != 0 {
		return true
	}
	return r.pcapCandidate(next, more-1, ts, resyncChainSecs)
}
