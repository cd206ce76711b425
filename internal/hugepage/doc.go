// Package hugepage maps large buffers outside the Go heap, aligned to and
// backed by transparent huge pages where the kernel allows, so that a table
// read at random addresses costs one TLB entry per 2 MiB instead of per
// 4 KiB.
//
// # Data flow
//
// Map asks the kernel for an anonymous, private, zeroed mapping, trims it
// to a 2 MiB boundary and advises it for huge pages (MADV_HUGEPAGE: with
// /sys/kernel/mm/transparent_hugepage/enabled at "madvise" the kernel
// backs only advised regions with huge pages; at "never", none). Pages are
// faulted in on first touch. Off Linux, Map fails with
// [errors.ErrUnsupported] and the caller falls back to the Go heap.
//
// # Allocation and ownership
//
// The memory is not Go heap memory: the garbage collector neither scans
// nor frees it, so it must only hold pointer-free values, and its owner
// must call Unmap (directly, or from a runtime.AddCleanup of the object
// that owns it) once no slice into it is used any more. Using a slice into
// a mapping after Unmap faults.
//
// # Concurrency
//
// A Mapping is not safe for concurrent use; its memory is ordinary memory.
package hugepage
