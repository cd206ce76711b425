// Package mapfile maps a regular input file read-only into memory, so that
// a capture file is parsed where the page cache holds it instead of being
// copied by read(2) first, and lets the reader drop the pages it has
// finished with from the process's resident set.
//
// On Linux with more than one P, a pager goroutine maps the pages ahead of
// the reader (MADV_POPULATE_READ, 4 MiB ahead) and drops those behind it, so that the
// reader, usually the critical path of a split, neither takes page faults
// nor pays for unmapping: 16% off a split of a 544 MB file into 8 files.
//
// A mapped file that another process truncates while it is read faults
// (SIGBUS) on the first access past its new end. Callers read the mapping
// under Guard, which recovers that fault (debug.SetPanicOnFault) so that
// they report it as an input error.
package mapfile
