package status

import (
	"bytes"
	"io"
	"os"
)

// compressedMagics are the magic numbers of the compressed inputs the
// reader decompresses (gzip, zstd).
var compressedMagics = [][]byte{{0x1f, 0x8b}, {0x28, 0xb5, 0x2f, 0xfd}}

// InputSize returns the size of the capture file at path when progress
// can be measured against it: a regular, uncompressed file. It returns 0
// for stdin ("" or "-"), FIFOs, devices, unreadable paths and compressed
// files (the reader counts decompressed bytes, which the file size does
// not bound).
func InputSize(path string) int64 {
	if path == "" || path == "-" {
		return 0
	}
	// Stat before opening: opening a FIFO would block until its writer
	// comes, and closing it would then break the writer's pipe.
	fi, err := os.Stat(path)
	if err != nil || !fi.Mode().IsRegular() {
		return 0
	}
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	var head [4]byte
	n, _ := io.ReadFull(f, head[:])
	for _, m := range compressedMagics {
		if bytes.HasPrefix(head[:n], m) {
			return 0
		}
	}
	return fi.Size()
}

// InputsSize returns the total size of inputs read one after the other
// (directories already expanded), or 0 when progress cannot be measured
// against one of them (see InputSize). An empty file counts as 0 bytes.
func InputsSize(paths []string) int64 {
	var total int64
	for _, p := range paths {
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Size() == 0 {
			continue
		}
		n := InputSize(p)
		if n == 0 {
			return 0
		}
		total += n
	}
	return total
}
