package splitter

import "github.com/flowsplit/flowsplit/internal/pcapio"

// lookAhead is how many records ahead of Route the engine hands to
// Router.Prefetch when it may (lfu mode, mapped input): enough to cover
// a table lookup's cache miss, within the router's aheadSlots.
const lookAhead = 8

// recordQueue reads records up to depth ahead of the one the engine
// routes, handing each to prefetch as it is read. With depth 0 it is the
// reader itself. The records of an in-memory input stay valid after the
// next read; those of a streamed input live in the reader's buffer, which
// the next reads reuse, so with copy set the queue keeps a copy of each
// record read ahead (one copy more per packet, of bytes just read, to
// hide a cache miss of the lfu table).
type recordQueue struct {
	rd       *pcapio.Reader
	depth    int
	prefetch func(*pcapio.Record)
	copy     bool

	ring       [lookAhead + 1]pcapio.Record
	bufs       [lookAhead + 1][]byte // the copies, when copy
	head, tail int                   // ring[tail%len] is the next record to route
	err        error                 // the read error after ring's records
}

// next returns the next record, valid until the following call, or the
// reader's error once every record read before it was returned.
func (q *recordQueue) next() (*pcapio.Record, error) {
	if q.depth == 0 {
		rec := &q.ring[0]
		return rec, q.rd.Next(rec)
	}
	for q.err == nil && q.head-q.tail <= q.depth {
		rec := &q.ring[q.head%len(q.ring)]
		if q.err = q.rd.Next(rec); q.err == nil {
			if q.copy {
				q.own(rec, &q.bufs[q.head%len(q.ring)])
			}
			q.prefetch(rec)
			q.head++
		}
	}
	if q.tail == q.head {
		return nil, q.err
	}
	rec := &q.ring[q.tail%len(q.ring)]
	q.tail++
	return rec, nil
}

// own moves rec's bytes (Raw, which holds Data, or Data alone) into buf,
// grown as needed: its largest record's size, then no allocation.
func (q *recordQueue) own(rec *pcapio.Record, buf *[]byte) {
	src := rec.Data
	if rec.Raw != nil {
		src = rec.Raw
	}
	if cap(*buf) < len(src) {
		*buf = make([]byte, max(len(src), 2048))
	}
	b := (*buf)[:len(src)]
	copy(b, src)
	if rec.Raw != nil {
		rec.Raw = b
		rec.Data = b[len(b)-len(rec.Data):]
	} else {
		rec.Data = b
	}
}
