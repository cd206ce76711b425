package pcapio

import (
	"encoding/binary"
	"errors"
	"io"
)

// pcapng block types.
const (
	blockSHB       = 0x0a0d0d0a // Section Header Block (a palindrome: same in both byte orders)
	blockIDB       = 1          // Interface Description Block
	blockPB        = 2          // Packet Block (obsolete)
	blockSPB       = 3          // Simple Packet Block
	blockNRB       = 4          // Name Resolution Block
	blockISB       = 5          // Interface Statistics Block
	blockEPB       = 6          // Enhanced Packet Block
	blockIRIG      = 7          // IRIG timestamp block (experimental)
	blockAFDX      = 8          // ARINC 429 in AFDX encapsulation (experimental)
	blockJournal   = 9          // systemd Journal Export Block
	blockDSB       = 10         // Decryption Secrets Block
	blockCustom    = 0x00000bad // Custom Block that may be copied
	blockCustomNoC = 0x40000bad // Custom Block that must not be copied
)

// pcapng layout.
const (
	byteOrderMagic  = 0x1a2b3c4d
	ngMajorVersion  = 1
	ngBlockOverhead = 12 // type, total length, trailing total length
	ngSHBMinLen     = 28 // overhead + BOM(4) + major(2) + minor(2) + section length(8)
	ngIDBMinLen     = 20 // overhead + link type(2) + reserved(2) + snaplen(4)
	ngEPBMinLen     = 32 // overhead + if id(4) + ts high(4) + ts low(4) + caplen(4) + origlen(4)
	ngPBMinLen      = 32 // overhead + if id(2) + drops(2) + ts high/low(8) + caplen(4) + origlen(4)
	ngSPBMinLen     = 16 // overhead + origlen(4)

	optEndOfOpt = 0 // opt_endofopt
	optIfName   = 2 // if_name
	optTsResol  = 9 // if_tsresol

	defaultTsResol = 6 // 10^-6 when if_tsresol is absent
)

// errHeaderDone stops the header scan before the first packet block.
var errHeaderDone = errors.New("header done")

// ngIface is one interface of the current pcapng section.
type ngIface struct {
	global   int // index in Reader.ifaces
	linkType uint16
	snapLen  uint32
	tsResol  uint8
}

// ngState is the pcapng decoding state of a Reader.
type ngState struct {
	be       bool
	sections int
	section  []ngIface
	header   bool // scanning the header: stop before the first packet block
}

// isSHB reports whether b starts with the section header block type.
func isSHB(b []byte) bool {
	return len(b) >= 4 && binary.LittleEndian.Uint32(b) == blockSHB
}

// readNgHeader reads the first section header block and every block up to
// the first packet block.
func (r *Reader) readNgHeader() error {
	r.format = FormatPcapNG
	r.ng.header = true
	defer func() { r.ng.header = false }()
	var rec Record
	err := r.nextNg(&rec)
	if err == errHeaderDone || err == io.EOF {
		return nil
	}
	return err
}

// minBlockLen returns the smallest valid total length of a block type.
func minBlockLen(typ uint32) int {
	switch typ {
	case blockSHB:
		return ngSHBMinLen
	case blockIDB:
		return ngIDBMinLen
	case blockEPB:
		return ngEPBMinLen
	case blockPB:
		return ngPBMinLen
	case blockSPB:
		return ngSPBMinLen
	}
	return ngBlockOverhead
}

// ngBlockLen reads the type and total length of the block starting p bytes
// after r.pos (8 bytes must be available), taking the byte order of an SHB
// from its byte-order magic (12 bytes then needed). ok is false when an
// SHB's byte-order magic is wrong.
func (r *Reader) ngBlockLen(p int) (typ uint32, length uint32, be bool, ok bool) {
	b := r.buf[r.pos+p:]
	be = r.ng.be
	typ = u32(be, b)
	if typ == blockSHB {
		if r.ensure(p+12) != nil {
			return typ, 0, be, false
		}
		b = r.buf[r.pos+p:]
		switch {
		case binary.LittleEndian.Uint32(b[8:]) == byteOrderMagic:
			be = false
		case binary.BigEndian.Uint32(b[8:]) == byteOrderMagic:
			be = true
		default:
			return typ, 0, be, false
		}
	}
	return typ, u32(be, b[4:]), be, true
}

// nextNg reads blocks until a packet block, which it decodes into rec.
func (r *Reader) nextNg(rec *Record) error {
	for {
		off := r.offset()
		if err := r.ensure(8); err != nil {
			if r.ng.sections == 0 {
				return r.errorf(off, ErrTruncated, "truncated file header: %d bytes", r.end-r.pos)
			}
			return r.endOfInput(err, off, "block header", 8)
		}
		if pcapMagic(r.buf[r.pos:]) != 0 {
			return r.errorf(off, nil, "classic pcap file header in a pcapng stream")
		}
		typ, length, be, ok := r.ngBlockLen(0)
		var bad string
		switch {
		case !ok && r.end-r.pos < 12:
			if r.ng.sections == 0 {
				return r.errorf(off, ErrTruncated, "truncated file header: %d bytes", r.end-r.pos)
			}
			return r.endOfInput(io.EOF, off, "section header block", 12)
		case !ok:
			bad = "section header block has a bad byte-order magic"
		case length < ngBlockOverhead || length%4 != 0 || length > maxRecordLen:
			bad = "invalid block total length " + itoa(length)
		case int(length) < minBlockLen(typ):
			bad = "block type " + itoa(typ) + " too short: total length " + itoa(length)
		}
		if bad == "" {
			if err := r.ensure(int(length)); err != nil {
				if r.ng.sections == 0 {
					return r.errorf(off, ErrTruncated, "truncated file header: %d of %d bytes", r.end-r.pos, length)
				}
				if err != io.EOF || r.strict {
					return r.endOfInput(err, off, "block", int(length))
				}
				// The tail may be a cut block followed by complete ones
				// (pcapdj writes 8 bytes of a refused packet): look for them.
				r.damage = "truncated block: input ends after " + itoa(uint32(r.end-r.pos)) + " of " + itoa(length) + " bytes"
				if err := r.resyncNg(off); err != nil {
					return err
				}
				continue
			}
			if t := u32(be, r.buf[r.pos+int(length)-4:]); t != length {
				bad = "block total length " + itoa(length) + " and trailer " + itoa(t) + " differ"
			}
		}
		if bad != "" {
			if r.ng.sections == 0 {
				return r.errorf(off, ErrDamaged, "%s", bad)
			}
			if err := r.damaged(off, "%s", bad); err != nil {
				return err
			}
			if err := r.resyncNg(off); err != nil {
				return err
			}
			continue
		}
		if r.ng.header && (typ == blockEPB || typ == blockSPB || typ == blockPB) {
			return errHeaderDone
		}
		block := r.buf[r.pos : r.pos+int(length) : r.pos+int(length)]
		body := block[8 : length-4]
		switch typ {
		case blockSHB:
			if err := r.readSHB(off, body, be); err != nil {
				return err
			}
		case blockIDB:
			r.readIDB(body)
		case blockEPB, blockPB, blockSPB:
			if msg := r.fillNg(rec, typ, body, off); msg != "" {
				if err := r.badBlock(off, int(length), msg); err != nil {
					return err
				}
				continue
			}
			r.pos += int(length)
			return nil
		}
		r.pos += int(length)
	}
}

// badBlock handles a correctly framed block with impossible contents: in
// strict mode an error wrapping ErrDamaged, otherwise a warning and the
// block is skipped.
func (r *Reader) badBlock(off int64, length int, msg string) error {
	if r.strict {
		return r.errorf(off, ErrDamaged, "%s", msg)
	}
	r.warnf(off, "%s: skipped block of %d bytes", msg, length)
	r.stats.SkippedBytes += int64(length)
	r.pos += length
	return nil
}

// readSHB starts a new section: interface ids restart at 0.
func (r *Reader) readSHB(off int64, body []byte, be bool) error {
	major, minor := u16(be, body[4:]), u16(be, body[6:])
	if major != ngMajorVersion {
		return r.errorf(off, nil, "unsupported pcapng version %d.%d", major, minor)
	}
	if r.ng.sections > 0 {
		r.stats.Headers++
		r.warnf(off, "new pcapng section (section %d), interface ids restart", r.ng.sections+1)
	}
	r.ng.sections++
	r.ng.be = be
	r.ng.section = r.ng.section[:0]
	return nil
}

// readIDB appends the interface described by an IDB body.
func (r *Reader) readIDB(body []byte) {
	be := r.ng.be
	in := Interface{
		LinkType:   u16(be, body[0:]),
		SnapLen:    u32(be, body[4:]),
		TsResolRaw: defaultTsResol,
	}
	for o := body[8:]; len(o) >= 4; {
		code, n := u16(be, o), int(u16(be, o[2:]))
		if code == optEndOfOpt || 4+n > len(o) {
			break
		}
		v := o[4 : 4+n]
		switch code {
		case optTsResol:
			if n >= 1 {
				in.TsResolRaw = v[0]
			}
		case optIfName:
			in.Name = string(v)
		}
		o = o[min(len(o), 4+pad4(n)):]
	}
	if finerThanMicro(in.TsResolRaw) {
		r.nano = true
	}
	r.ng.section = append(r.ng.section, ngIface{
		global:   len(r.ifaces),
		linkType: in.LinkType,
		snapLen:  in.SnapLen,
		tsResol:  in.TsResolRaw,
	})
	r.ifaces = append(r.ifaces, in)
}

// fillNg decodes a packet block body into rec, or returns why it cannot.
func (r *Reader) fillNg(rec *Record, typ uint32, body []byte, off int64) string {
	be := r.ng.be
	var ifid int
	var ts uint64
	var caplen, orig uint32
	var data []byte
	switch typ {
	case blockEPB, blockPB:
		if typ == blockEPB {
			ifid = int(u32(be, body))
		} else {
			ifid = int(u16(be, body))
		}
		ts = uint64(u32(be, body[4:]))<<32 | uint64(u32(be, body[8:]))
		caplen, orig = u32(be, body[12:]), u32(be, body[16:])
		if uint64(caplen) > uint64(len(body)-20) {
			return "packet caplen " + itoa(caplen) + " exceeds its block"
		}
		data = body[20 : 20+caplen]
	case blockSPB:
		orig = u32(be, body)
		caplen = min(orig, uint32(len(body)-4))
		if len(r.ng.section) > 0 && r.ng.section[0].snapLen != 0 {
			caplen = min(caplen, r.ng.section[0].snapLen)
		}
		data = body[4 : 4+caplen]
	}
	if ifid < 0 || ifid >= len(r.ng.section) {
		return "packet on undeclared interface " + itoa(uint32(ifid))
	}
	in := &r.ng.section[ifid]
	sec, nsec := convertTs(ts, in.tsResol)
	*rec = Record{
		Interface: in.global,
		LinkType:  in.linkType,
		Sec:       sec,
		Nsec:      nsec,
		CapLen:    caplen,
		OrigLen:   orig,
		Data:      data[:len(data):len(data)],
		Offset:    off,
	}
	return ""
}

// knownBlock reports whether typ is a block type that resynchronisation
// may land on.
func knownBlock(typ uint32) bool {
	switch typ {
	case blockSHB, blockIDB, blockPB, blockSPB, blockNRB, blockISB, blockEPB,
		blockIRIG, blockAFDX, blockJournal, blockDSB, blockCustom, blockCustomNoC:
		return true
	}
	return false
}

// resyncNg skips bytes from the damaged block at off until a plausible
// block starts: a known block type, a valid total length whose trailer
// matches, and for packet blocks a declared interface and a caplen that
// fits.
func (r *Reader) resyncNg(off int64) error {
	for {
		r.pos++
		if err := r.ensure(ngBlockOverhead); err != nil {
			return r.resyncGiveUp(off, err)
		}
		if r.ngCandidate() {
			break
		}
	}
	r.resynced(off)
	return nil
}

// ngCandidate reports whether a plausible block starts at r.pos.
func (r *Reader) ngCandidate() bool {
	if pcapMagic(r.buf[r.pos:]) != 0 {
		return false
	}
	typ, length, be, ok := r.ngBlockLen(0)
	if !ok || !knownBlock(typ) || length%4 != 0 || length > r.ngResyncMaxLen() || int(length) < minBlockLen(typ) {
		return false
	}
	if r.ensure(int(length)) != nil {
		return false
	}
	b := r.buf[r.pos : r.pos+int(length)]
	if u32(be, b[length-4:]) != length {
		return false
	}
	switch typ {
	case blockEPB:
		return int(u32(be, b[8:])) < len(r.ng.section) && u32(be, b[20:]) <= length-ngEPBMinLen
	case blockPB:
		return int(u16(be, b[8:])) < len(r.ng.section) && u32(be, b[20:]) <= length-ngPBMinLen
	case blockSPB:
		return len(r.ng.section) > 0
	}
	return true
}

// ngResyncMaxLen bounds the length of a block that resynchronisation will
// consider: the largest snaplen (at least 262144) plus room for options.
// Verifying a candidate's trailer means reading that far ahead, which on a
// live stream waits for the data.
func (r *Reader) ngResyncMaxLen() uint32 {
	return min(maxRecordLen, max(r.SnapLen(), defaultSnapLen)+ngResyncOptionRoom)
}

// ngResyncOptionRoom is the room left for block options by ngResyncMaxLen.
const ngResyncOptionRoom = 1 << 16

// pad4 rounds n up to a multiple of 4.
func pad4(n int) int { return (n + 3) &^ 3 }

// itoa formats n without fmt (used on damage paths only, but cheap).
func itoa(n uint32) string {
	var b [10]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return string(b[i:])
}
