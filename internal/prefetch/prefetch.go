// Package prefetch asks the CPU to start loading a cache line that the
// caller will read soon, so that several cache misses overlap instead of
// following one another (a lookup that hashes a few packets ahead can hide
// most of the latency of its table's random accesses).
//
// Line never faults, allocates, or blocks, and has no effect on results:
// on amd64 it is one PREFETCHT0 instruction (a non-inlined assembly call);
// on other architectures it does nothing. It is safe for concurrent use.
package prefetch
