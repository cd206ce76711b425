package fifo

import (
	"io/fs"
	"os"
)

// fileMode is the permission of the files and FIFOs that this package
// creates, before the umask. Other users may read them: an analysis worker
// (zeek, tcpdump) often runs under another account than the splitter.
const fileMode fs.FileMode = 0o644

// OpenFile creates path as a regular file, or truncates it if it exists,
// and opens it for writing. It is the opener for a [KindFile] output.
func OpenFile(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, fileMode)
}

// IsPipe reports whether f is a FIFO or an anonymous pipe (fstat gives
// S_IFIFO). It is false if f cannot be stat'ed.
func IsPipe(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&fs.ModeNamedPipe != 0
}
