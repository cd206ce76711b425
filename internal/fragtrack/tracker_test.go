package fragtrack

import (
	"fmt"
	"testing"
	"time"

	"github.com/flowsplit/flowsplit/hashing"
	"github.com/flowsplit/flowsplit/internal/pcapio"
)

const sec = int64(time.Second)

// dgKey is the key of datagram id.
func dgKey(id uint16) (hashing.Key, uint64) {
	k := hashing.Key{Proto: 17, Family: 4, PortB: id}
	k.A[0], k.B[0] = 10, 11
	return k, k.Hash()
}

// frag is a record whose data names it.
func frag(name string, sec int64) *pcapio.Record {
	d := []byte(name)
	return &pcapio.Record{LinkType: 1, Sec: sec, Data: d, CapLen: uint32(len(d)), OrigLen: 1500}
}

// direct routes rec to out like the router: through the arena when
// records released earlier are pending, so that input order is kept.
func direct(tr *Tracker, rec *pcapio.Record, out int, c *collector) {
	if !tr.Pending() || !tr.Append(rec, out, false) {
		c.emit(rec, out, false)
	}
}

type emitted struct {
	name string
	out  int
}

// collector gathers emitted records.
type collector []emitted

func (c *collector) emit(rec *pcapio.Record, out int, weird bool) {
	*c = append(*c, emitted{string(rec.Data), out})
}

func newTracker(t *testing.T, c Config) *Tracker {
	t.Helper()
	tr, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// route plays the router: decides first fragments with out, holds the
// others with fallback 9, and returns what was written directly and
// released, in order.
func route(tr *Tracker, id uint16, name string, first bool, at int64, out int, c *collector) {
	k, h := dgKey(id)
	tr.Expire(at * sec)
	dg, dout, decided := tr.Lookup(&k, h, at*sec)
	rec := frag(name, at)
	switch {
	case decided:
		direct(tr, rec, dout, c)
	case first:
		if tr.Decide(dg, out) {
			if ok, o := tr.Hold(dg, rec, at*sec, 9); !ok {
				c.emit(rec, o, false)
			}
		} else {
			direct(tr, rec, out, c)
		}
	default:
		if ok, o := tr.Hold(dg, rec, at*sec, 9); !ok {
			c.emit(rec, o, false)
		}
	}
	tr.Release(c.emit)
}

func TestOutOfOrder(t *testing.T) {
	tr := newTracker(t, Config{})
	var c collector
	route(tr, 1, "a3", false, 1, 2, &c)
	route(tr, 2, "b1", true, 1, 5, &c) // another datagram, in order
	route(tr, 1, "a2", false, 1, 2, &c)
	route(tr, 2, "b2", false, 1, 5, &c)
	if len(c) != 2 || tr.Stats().Held != 2 {
		t.Fatalf("before a's first fragment: emitted %v, held %d; want b1 b2 emitted, 2 held", c, tr.Stats().Held)
	}
	route(tr, 1, "a1", true, 2, 3, &c)
	route(tr, 1, "a4", false, 2, 0, &c) // after the decision: direct
	want := collector{{"b1", 5}, {"b2", 5}, {"a3", 3}, {"a2", 3}, {"a1", 3}, {"a4", 3}}
	if fmt.Sprint(c) != fmt.Sprint(want) {
		t.Errorf("emitted %v, want %v", c, want)
	}
	if st := tr.Stats(); st != (Stats{}) {
		t.Errorf("stats %+v, want zero", st)
	}
}

func TestOverflow(t *testing.T) {
	tr := newTracker(t, Config{MaxHeld: 2})
	var c collector
	route(tr, 1, "a2", false, 1, 0, &c)
	route(tr, 2, "b2", false, 1, 0, &c)
	route(tr, 3, "c2", false, 1, 0, &c) // no room: a (oldest) is given up
	route(tr, 1, "a1", true, 1, 4, &c)  // a stays with its fallback
	route(tr, 2, "b1", true, 1, 4, &c)
	want := collector{{"a2", 9}, {"a1", 9}, {"b2", 4}, {"b1", 4}}
	if fmt.Sprint(c) != fmt.Sprint(want) {
		t.Errorf("emitted %v, want %v", c, want)
	}
	if st := tr.Stats(); st.Overflow != 1 || st.Held != 1 {
		t.Errorf("stats %+v, want 1 overflow, 1 held", st)
	}
	c = nil
	tr.Flush(c.emit)
	tr.Flush((&c).emit)
	if fmt.Sprint(c) != fmt.Sprint(collector{{"c2", 9}}) || tr.Stats().TimedOut != 1 {
		t.Errorf("flush emitted %v, stats %+v", c, tr.Stats())
	}
}

func TestTimeout(t *testing.T) {
	tr := newTracker(t, Config{Timeout: 10 * time.Second})
	var c collector
	route(tr, 1, "a2", false, 100, 0, &c)
	route(tr, 2, "b2", false, 105, 0, &c)
	route(tr, 3, "c1", true, 111, 6, &c) // a has waited 11 s: given up
	route(tr, 1, "a1", true, 112, 6, &c) // follows a's fallback
	route(tr, 2, "b1", true, 112, 7, &c)
	want := collector{{"a2", 9}, {"c1", 6}, {"a1", 9}, {"b2", 7}, {"b1", 7}}
	if fmt.Sprint(c) != fmt.Sprint(want) {
		t.Errorf("emitted %v, want %v", c, want)
	}
	if st := tr.Stats(); st.TimedOut != 1 {
		t.Errorf("stats %+v, want 1 timed out", st)
	}
	// A decided datagram is forgotten after the timeout: the ID may be
	// reused by a new datagram.
	c = nil
	route(tr, 3, "c1'", true, 200, 1, &c)
	if fmt.Sprint(c) != fmt.Sprint(collector{{"c1'", 1}}) {
		t.Errorf("reused ID after timeout: emitted %v", c)
	}
}

// TestArenaCompaction: many hold/release cycles through a small arena
// keep every record intact and in order.
func TestArenaCompaction(t *testing.T) {
	tr := newTracker(t, Config{MaxHeld: 16, MaxBytes: MinBytes})
	var c collector
	big := make([]byte, 200000)
	for i := range 200 {
		id := uint16(i)
		name := fmt.Sprintf("%d-2", i)
		rec := frag(name, 1)
		rec.Data = append([]byte(name+"|"), big[:i*1000]...)
		k, h := dgKey(id)
		dg, _, _ := tr.Lookup(&k, h, sec)
		tr.Hold(dg, rec, sec, 9)
		tr.Release(c.emit)
		route(tr, id, fmt.Sprintf("%d-1", i), true, 1, i%5, &c)
	}
	if len(c) != 400 {
		t.Fatalf("emitted %d records, want 400", len(c))
	}
	for i := range 200 {
		a, b := c[2*i], c[2*i+1]
		if a.name[:len(fmt.Sprintf("%d-2|", i))] != fmt.Sprintf("%d-2|", i) || len(a.name) != len(fmt.Sprintf("%d-2|", i))+i*1000 || a.out != i%5 || b.name != fmt.Sprintf("%d-1", i) {
			t.Fatalf("record pair %d: %q (%d bytes) -> %d, %q", i, a.name[:8], len(a.name), a.out, b.name)
		}
	}
}

// TestNoRelease: a caller that never calls Release fills the arena; Hold
// then refuses (the caller routes the record) instead of failing.
func TestNoRelease(t *testing.T) {
	tr := newTracker(t, Config{MaxHeld: 4})
	refused := 0
	for i := range 100 {
		k, h := dgKey(uint16(i))
		dg, _, _ := tr.Lookup(&k, h, sec)
		if ok, _ := tr.Hold(dg, frag("x", 1), sec, 1); !ok {
			refused++
		}
	}
	if refused == 0 || tr.Stats().Held > 4 {
		t.Errorf("refused %d, held %d", refused, tr.Stats().Held)
	}
}

func TestNoAllocs(t *testing.T) {
	tr := newTracker(t, Config{})
	recs := []*pcapio.Record{frag("x2", 1), frag("x1", 1), frag("x3", 1)}
	i, got := 0, 0
	emit := func(*pcapio.Record, int, bool) { got++ }
	n := testing.AllocsPerRun(1000, func() {
		k, h := dgKey(uint16(i))
		i++
		dg, _, _ := tr.Lookup(&k, h, sec)
		tr.Hold(dg, recs[0], sec, 9)
		tr.Decide(dg, 3)
		tr.Hold(dg, recs[1], sec, 9)
		tr.Release(emit)
		tr.Lookup(&k, h, sec)
		tr.Append(recs[2], 3, false)
		tr.Release(emit)
	})
	if n != 0 {
		t.Errorf("%v allocations per datagram", n)
	}
	if got != 3*1001 {
		t.Errorf("emitted %d records, want %d", got, 3*1001)
	}
}

// TestArenaGrows: the arena starts small (a capture with a few held
// fragments does not pay for a full one) and grows, keeping what it holds,
// until MaxHeld fragments of 1400 bytes are held at once.
func TestArenaGrows(t *testing.T) {
	tr := newTracker(t, Config{})
	var c collector
	const n = DefaultMaxHeld
	payload := make([]byte, 1400)
	for i := range n {
		k, h := dgKey(uint16(i))
		dg, _, _ := tr.Lookup(&k, h, sec)
		rec := frag(fmt.Sprintf("%d-2|", i), 1)
		rec.Data = append(rec.Data, payload...)
		if ok, _ := tr.Hold(dg, rec, sec, 9); !ok {
			t.Fatalf("fragment %d refused", i)
		}
		if i == 0 && cap(tr.buf) != initialArena {
			t.Errorf("arena of %d bytes for one fragment, want %d", cap(tr.buf), initialArena)
		}
	}
	if st := tr.Stats(); st.Held != n || st.Overflow != 0 {
		t.Fatalf("stats %+v, want %d held", st, n)
	}
	if cap(tr.buf) > 2*tr.cfg.MaxBytes {
		t.Errorf("arena of %d bytes, above twice MaxBytes", cap(tr.buf))
	}
	for i := range n {
		route(tr, uint16(i), fmt.Sprintf("%d-1", i), true, 1, i%7, &c)
	}
	if len(c) != 2*n {
		t.Fatalf("emitted %d records, want %d", len(c), 2*n)
	}
	for i := range n {
		a, b := c[2*i], c[2*i+1]
		prefix := fmt.Sprintf("%d-2|", i)
		if len(a.name) != len(prefix)+len(payload) || a.name[:len(prefix)] != prefix || a.out != i%7 || b.name != fmt.Sprintf("%d-1", i) {
			t.Fatalf("record pair %d: %q (%d bytes) -> %d, %q", i, a.name[:len(prefix)], len(a.name), a.out, b.name)
		}
	}
}
