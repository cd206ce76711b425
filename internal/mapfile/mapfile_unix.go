//go:build unix

package mapfile

import (
	"fmt"
	"os"
	"runtime"

	"golang.org/x/sys/unix"
)

// Map maps f read-only. It returns an error wrapping ErrNotMappable for a
// file that is not a non-empty regular file, or that is too large to map
// on this platform; the caller then reads f instead.
func Map(f *os.File) (*File, error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := fi.Size()
	if !fi.Mode().IsRegular() || size <= 0 || int64(int(size)) != size {
		return nil, fmt.Errorf("%s: %w", f.Name(), ErrNotMappable)
	}
	data, err := unix.Mmap(int(f.Fd()), 0, int(size), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %v", f.Name(), ErrNotMappable, err)
	}
	unix.Madvise(data, unix.MADV_SEQUENTIAL) //nolint:errcheck // advice
	m := &File{data: data, next: dropStep}
	// The pager pays off only with a core to run on, and needs a kernel
	// that populates mappings (Linux 5.14).
	if runtime.GOMAXPROCS(0) > 1 && populate(data[:min(len(data), os.Getpagesize())]) == nil {
		m.next = 0
		m.startPager()
	}
	return m, nil
}

// Close stops the pager and unmaps the file. Bytes must not be used
// afterwards.
func (m *File) Close() error {
	if m.data == nil {
		return nil
	}
	if m.pager != nil {
		m.pager.stop()
		m.pager = nil
	}
	err := unix.Munmap(m.data)
	m.data = nil
	return err
}

func dontNeed(b []byte) {
	unix.Madvise(b, unix.MADV_DONTNEED) //nolint:errcheck // advice
}
