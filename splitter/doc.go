// Package splitter is flowsplit's engine: it reads one capture stream,
// decodes each packet, picks an output by its flow, and writes the packet
// there.
//
// Data flow. The engine goroutine (Run's) reads the input through
// internal/pcapio: an uncompressed input file is mapped and parsed in place
// (input_mapped.go: no read copy; the pages behind the reader are dropped
// from the resident set as it goes); a stream is read with 1 MiB reads (a
// helper goroutine performs each read, so that a read that waits can flush
// the outputs: input.go). It decodes each
// record in place (internal/decode), routes it (Router: hashing, or the
// least-loaded flow table; early IP fragments are held, copied, until their
// first fragment decides) and appends it to the current batch of its output
// (sink.go). Full batches go to the output's writer goroutine (writer.go),
// which writes them in order; the engine continues with a free batch, so
// outputs are written concurrently and a slow output does not hold up the
// others until its queue is full. Then Config.OnFull decides: wait
// (lossless), drop (counted) or spill to disk (spill.go, replayed in order).
// A batch that has held a packet for Config.FlushInterval, and every batch
// while the input pauses, is handed over early.
//
// Outputs survive their readers: a FIFO whose reader goes away is down
// until a new reader opens it, which first gets a fresh capture header.
// Writes to a FIFO never cut a record (fifo.RecordPipe), so every output is
// a valid capture on every exit path.
//
// Memory is bounded: batches are made on demand up to Config.QueueTotal
// for all the outputs together (by default under Block; under Drop and
// Spill the sum of their own bounds) and recycled among them, each output
// holding at most Config.QueueSize and always able to double-buffer
// (batchPool); the router's tables are bounded, and the per-packet path
// (read, decode, route, append) does not allocate.
//
// Buffer ownership: a record's bytes belong to the reader until the next
// record (a mapped input's pages stay mapped until Run returns, but those
// behind the reader leave the resident set); the router copies what it
// holds; a batch belongs to the engine
// until it is sent to its writer, and to the writer until it gives it back
// to the pool.
//
// Run is safe to call from one goroutine per Config. A Router is not safe
// for concurrent use.
package splitter
