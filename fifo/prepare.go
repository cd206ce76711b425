package fifo

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// Prepare decides how path will be written and makes it ready, without
// opening it for writing:
//
//   - an existing FIFO (or a symbolic link to one) is [KindFIFO];
//   - a missing path is created as a FIFO with mode 0644 (before the
//     umask; readable by other users' workers) and is [KindFIFO] when
//     mkFIFO is true; otherwise it is [KindFile], created later by
//     [OpenFile];
//   - an existing regular file is [KindFile] when force is true ([OpenFile]
//     will truncate it), and otherwise an error wrapping [fs.ErrExist];
//   - anything else (directory, device, socket) is an error naming the path.
//
// On error the Kind is zero.
func Prepare(path string, mkFIFO, force bool) (Kind, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		if !mkFIFO {
			return KindFile, nil
		}
		err = mkfifo(path, fileMode)
		if err == nil {
			return KindFIFO, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return 0, err
		}
		// Created by someone else since the Stat: judge what is there now.
		fi, err = os.Stat(path)
	}
	if err != nil {
		return 0, err
	}
	switch m := fi.Mode(); {
	case m&fs.ModeNamedPipe != 0:
		return KindFIFO, nil
	case m.IsRegular():
		if !force {
			return 0, fmt.Errorf("%s: regular file would be overwritten (force to truncate): %w", path, fs.ErrExist)
		}
		return KindFile, nil
	default:
		return 0, fmt.Errorf("%s: is a %s, want a FIFO or a regular file", path, typeName(m))
	}
}

// typeName names the file type in m for error messages.
func typeName(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "directory"
	case m&fs.ModeCharDevice != 0:
		return "character device"
	case m&fs.ModeDevice != 0:
		return "block device"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeSymlink != 0:
		return "symbolic link"
	}
	return "special file (" + m.Type().String() + ")"
}
