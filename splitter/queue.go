package splitter

import "github.com/flowsplit/flowsplit/internal/pcapio"

// lookAhead is how many records ahead of Route the engine hands to
// Router.Prefetch when it may (lfu mode, mapped input): enough to cover
// a table lookup's cache miss, within the router's aheadSlots.
const lookAhead = 8

// recordQueue reads records up to depth ahead of the one the engine
// routes, handing each to prefetch as it is read. With depth 0 it is the
// reader itself. It may read ahead only where records stay valid after
// the next read (in-memory input): a streamed reader reuses its buffer.
type recordQueue struct {
	rd       *pcapio.Reader
	depth    int
	prefetch func(*pcapio.Record)

	ring       [lookAhead + 1]pcapio.Record
	head, tail int   // ring[tail%len] is the next record to route
	err        error // the read error after ring's records
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
