// Package mapfile maps a regular input file read-only into memory, so that
// a capture file is parsed where the page cache holds it instead of being
// copied by read(2) first, and lets the reader drop the pages it has
// finished with from the process's resident set.
//
// A mapped file that another process truncates while it is read faults
// (SIGBUS) on the first access past its new end. Callers that read the
// mapping run under debug.SetPanicOnFault and recover the fault as an input
// error (see Fault).
package mapfile
