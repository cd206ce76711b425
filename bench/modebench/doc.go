// Package modebench measures flowsplit's routing core, mode by mode: how
// fast splitter.Router decides outputs (packets per second, Gbit/s of
// captured bytes, one goroutine, no I/O) and how evenly the decisions spread
// the traffic over the outputs (max/mean load in packets and in bytes,
// flows per output, Jain's fairness index over bytes). It is the engine of
// `flowsplit bench`, which users run to choose a mode.
//
// Data flow: a Capture holds every record of a stream in memory, either
// generated (bench/gen, FromGenerator) or read from a capture file
// (ReadCapture). Measure routes the whole Capture once untimed to compute
// the balance, then Rounds more times with a fresh Router each time, timing
// only the loop over Router.Route (and Release/Flush). The records are
// staged in chunks of ChunkSize bytes into a buffer that stays in the CPU
// cache, as they would be right after the engine's read(2): the staging copy
// is not timed, so the rate is that of the routing core alone.
//
// Allocation: building a Capture allocates its arena (the captured bytes)
// and 32 bytes of metadata a record; the timed loop does not allocate.
//
// Nothing here is safe for concurrent use; Measure runs on the calling
// goroutine.
package modebench
