package pcapio

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"io"

	"github.com/klauspost/compress/zstd"
)

// Magic numbers of the compressed containers recognised by NewReader.
var (
	gzipMagic = []byte{0x1f, 0x8b}
	zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}
)

// Compressed reports whether head, the first bytes of an input, starts
// with a gzip or zstd magic number.
func Compressed(head []byte) bool {
	return bytes.HasPrefix(head, gzipMagic) || bytes.HasPrefix(head, zstdMagic)
}

// decompress sniffs the first bytes of the source and, when they are a gzip
// or zstd magic number, replaces the source by a decompressing reader that
// starts with the bytes already buffered. Offsets thereafter count
// decompressed bytes. Concatenated gzip members and zstd frames are read as
// one stream.
func (r *Reader) decompress() error {
	err := r.ensure(len(zstdMagic))
	if err != nil && err != io.EOF {
		return r.readError(err)
	}
	head := r.buf[r.pos:r.end]
	isGzip := bytes.HasPrefix(head, gzipMagic)
	isZstd := bytes.HasPrefix(head, zstdMagic)
	if !isGzip && !isZstd {
		return nil
	}
	var src io.Reader
	switch {
	case r.src == nil: // NewReaderBytes: head is the whole input
		src = bytes.NewReader(head)
		r.buf = make([]byte, cmp.Or(max(r.bufSize, 0), DefaultBufSize))
	case r.readErr == io.EOF: // the compressed input is already complete
		src = bytes.NewReader(bytes.Clone(head))
	default:
		src = io.MultiReader(bytes.NewReader(bytes.Clone(head)), r.src)
	}
	if isGzip {
		zr, err := gzip.NewReader(src)
		if err != nil {
			return r.errorf(0, err, "gzip: %v", err)
		}
		r.src = zr
	} else {
		zr, err := zstd.NewReader(src, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return r.errorf(0, err, "zstd: %v", err)
		}
		r.src = zr
		r.closer = zr.Close
	}
	r.pos, r.end, r.base, r.readErr, r.zeroReads = 0, 0, 0, nil, 0
	return nil
}
