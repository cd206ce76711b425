// Package splitter is flowsplit's engine: it reads one capture stream,
// decodes each packet, picks an output by its flow, and writes the packet
// there.
//
// Data flow: one goroutine (Run's) reads the input through internal/pcapio
// with large reads, decodes each record in place (internal/decode), routes it
// (hashing) and appends it to the current batch of its output. Full batches
// go to the output's writer goroutine, which writes them with one write(2)
// each; the engine continues with a free batch, so outputs are written
// concurrently and a slow output does not serialise the others until its
// queue is full (then, with the default policy, the engine waits: lossless).
// A batch that has held a packet for longer than Config.FlushInterval, and
// every batch when the input pauses, is handed over early, so low-rate
// input does not sit in buffers.
//
// Memory is bounded: each output owns a fixed number of batch buffers. The
// per-packet path (decode, route, append) does not allocate.
//
// Run is safe to call from one goroutine per Config; nothing else is
// exported for concurrent use.
package splitter
