package mapfile

import "golang.org/x/sys/unix"

// populate maps b's pages into the process without reading them, as a
// read would (MADV_POPULATE_READ). Past the end of a file that shrank it
// returns an error instead of raising SIGBUS; on a kernel older than 5.14
// it returns EINVAL.
func populate(b []byte) error {
	return unix.Madvise(b, unix.MADV_POPULATE_READ)
}
