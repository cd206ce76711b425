package fragtrack

import (
	"github.com/flowsplit/flowsplit/hashing"
	"github.com/flowsplit/flowsplit/internal/pcapio"
)

// Emit receives a released record and its output. The record is valid
// only during the call.
type Emit = func(rec *pcapio.Record, out int, weird bool)

// Record states in the arena.
const (
	recWaiting uint8 = iota + 1
	recReleased
	recEmitted
)

// held is a record copied into the arena.
type held struct {
	state   uint8
	weird   bool
	hasRaw  bool
	rawPrec pcapio.Precision
	dg      int32 // datagram entry, while waiting
	out     int32
	link    uint16
	iface   int32
	off, n  int // bytes in the arena: the raw record when hasRaw, else Data
	sec     int64
	nsec    uint32
	orig    uint32
	inOff   int64
	time    int64
}

// Stats are a Tracker's counters.
type Stats struct {
	// Held is the number of fragments waiting now.
	Held int
	// TimedOut and Overflow count fragments released with the fallback
	// output for age (or at Flush) and for lack of room.
	TimedOut, Overflow uint64
	// Forgotten counts decided datagrams forgotten before their timeout
	// because the table was full.
	Forgotten uint64
}

// Tracker holds and places IP fragments. See the package documentation.
type Tracker struct {
	cfg     Config
	timeout int64
	tab     table
	buf     []byte        // arena; records are appended at len(buf)
	recs    []held        // arena records in input order, from head
	head    int           // first record not emitted
	pending int           // records released, not yet emitted
	waiting int           // records waiting
	wbytes  int           // their bytes
	now     int64         // the latest capture time seen
	scratch pcapio.Record // the record given to Emit (does not escape per call)
	stats   Stats
}

// New returns a Tracker for c (after WithDefaults), with all its memory.
func New(c Config) (*Tracker, error) {
	c = c.WithDefaults()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &Tracker{
		cfg:     c,
		timeout: int64(c.Timeout),
		tab:     newTable(max(4*c.MaxHeld, 1024)),
		recs:    make([]held, 0, 2*c.MaxHeld+2),
	}, nil
}

// Stats returns the tracker's counters.
func (t *Tracker) Stats() Stats {
	s := t.stats
	s.Held = t.waiting
	return s
}

// Lookup finds the datagram k (Key.Hash h) of a fragment seen at capture
// time now (ns). It returns the datagram's handle, and its output with
// decided=true when it was decided. A new datagram is created undecided
// (forgetting the oldest one when the table is full).
func (t *Tracker) Lookup(k *hashing.Key, h uint64, now int64) (dg int32, out int, decided bool) {
	t.now = now
	e := t.tab.find(k, h)
	if e >= 0 {
		d := &t.tab.ents[e]
		if d.state == stateDecided && now-d.last >= t.timeout {
			// Expired: a new datagram that reuses the ID.
			d.state = stateWaiting
			d.held = 0
		}
		d.last = now
		return e, int(d.out), d.state == stateDecided
	}
	e = int32(t.tab.next)
	t.tab.next++
	if t.tab.next == len(t.tab.ents) {
		t.tab.next = 0
	}
	if old := &t.tab.ents[e]; old.state != stateFree {
		if old.held > 0 {
			t.giveUp(e, &t.stats.Overflow)
		} else if old.state == stateDecided && now-old.last < t.timeout {
			t.stats.Forgotten++
		}
		t.tab.remove(e)
	}
	d := t.tab.insert(e, k, h)
	d.state = stateWaiting
	d.last = now
	return e, 0, false
}

// Decide records out as the output of datagram dg (from Lookup) and
// releases its held fragments. It reports whether any were held: the
// caller must then Hold the current (first) fragment too, so that it is
// emitted after them.
func (t *Tracker) Decide(dg int32, out int) (holdCurrent bool) {
	d := &t.tab.ents[dg]
	holdCurrent = d.held > 0
	t.decide(dg, out)
	return holdCurrent
}

// decide marks dg decided with out and releases its held records.
func (t *Tracker) decide(dg int32, out int) {
	d := &t.tab.ents[dg]
	d.state = stateDecided
	d.out = int32(out)
	d.last = max(d.last, t.now)
	if d.held == 0 {
		return
	}
	for i := t.head; i < len(t.recs) && d.held > 0; i++ {
		r := &t.recs[i]
		if r.state == recWaiting && r.dg == dg {
			t.release(r, out)
			d.held--
		}
	}
	d.held = 0
}

// release moves a waiting record to released with out.
func (t *Tracker) release(r *held, out int) {
	r.state = recReleased
	r.out = int32(out)
	t.waiting--
	t.wbytes -= r.n
	t.pending++
}

// giveUp decides dg with its fallback output, counting its held fragments
// in counter.
func (t *Tracker) giveUp(dg int32, counter *uint64) {
	d := &t.tab.ents[dg]
	*counter += uint64(d.held)
	t.decide(dg, int(d.fallback))
}

// Hold copies rec, a fragment of datagram dg seen at capture time now,
// into the arena to be emitted later. When dg is undecided the record
// waits for its decision, and fallback is the datagram's output if it is
// given up; when dg is decided (after Decide said to hold the first
// fragment) it is released at once with the decision. When the arena has
// no room even after giving up older datagrams (a record larger than the
// arena, or Release not called), Hold gives up dg and returns false: the
// caller routes rec itself to the returned output.
func (t *Tracker) Hold(dg int32, rec *pcapio.Record, now int64, fallback int) (ok bool, out int) {
	d := &t.tab.ents[dg]
	wasWaiting := d.state == stateWaiting
	if wasWaiting {
		d.fallback = int32(fallback)
	}
	size := len(rec.Data)
	if rec.Raw != nil {
		size = len(rec.Raw)
	}
	if d.state == stateWaiting && size <= t.cfg.MaxBytes {
		// Room in the waiting limits: give up the oldest datagrams.
		for t.waiting > 0 && (t.waiting >= t.cfg.MaxHeld || t.wbytes+size > t.cfg.MaxBytes) {
			t.giveUp(t.oldestWaiting(), &t.stats.Overflow)
		}
	}
	if !t.room(size) {
		if d.state == stateWaiting {
			t.stats.Overflow++
			t.giveUp(dg, &t.stats.Overflow)
		}
		return false, int(d.out)
	}
	t.push(rec, size, dg, now)
	last := &t.recs[len(t.recs)-1]
	if d.state == stateDecided {
		if wasWaiting {
			t.stats.Overflow++ // given up above to make room
		}
		last.state = recReleased
		last.out = d.out
		t.pending++
		return true, int(d.out)
	}
	t.waiting++
	t.wbytes += size
	d.held++
	return true, 0
}

// Append copies rec into the arena as released to out, behind the records
// released before it, so that Release emits it in input order. It reports
// false, keeping nothing, when the arena has no room.
func (t *Tracker) Append(rec *pcapio.Record, out int, weird bool) bool {
	size := len(rec.Data)
	if rec.Raw != nil {
		size = len(rec.Raw)
	}
	if !t.room(size) {
		return false
	}
	t.push(rec, size, -1, t.now)
	r := &t.recs[len(t.recs)-1]
	r.state, r.out, r.weird = recReleased, int32(out), weird
	t.pending++
	return true
}

// push appends a copy of rec (size bytes) to the arena as waiting for dg.
func (t *Tracker) push(rec *pcapio.Record, size int, dg int32, now int64) {
	r := held{
		state: recWaiting, dg: dg, link: rec.LinkType, iface: int32(rec.Interface),
		off: len(t.buf), n: size, sec: rec.Sec, nsec: rec.Nsec, orig: rec.OrigLen,
		inOff: rec.Offset, time: now,
	}
	if rec.Raw != nil {
		t.buf = append(t.buf, rec.Raw...)
		r.hasRaw, r.rawPrec = true, rec.RawPrecision
	} else {
		t.buf = append(t.buf, rec.Data...)
	}
	t.recs = append(t.recs, r)
}

// oldestWaiting returns the datagram of the oldest waiting record.
func (t *Tracker) oldestWaiting() int32 {
	for i := t.head; i < len(t.recs); i++ {
		if t.recs[i].state == recWaiting {
			return t.recs[i].dg
		}
	}
	return -1 // not reached while t.waiting > 0
}

// room makes room for size more bytes and one more record, compacting the
// arena when its end is reached. It reports whether there is room.
func (t *Tracker) room(size int) bool {
	if len(t.buf)+size <= cap(t.buf) && len(t.recs) < cap(t.recs) {
		return true
	}
	t.compact()
	if need := len(t.buf) + size; need > cap(t.buf) && cap(t.buf) < 2*t.cfg.MaxBytes {
		t.grow(need)
	}
	return len(t.buf)+size <= cap(t.buf) && len(t.recs) < cap(t.recs)
}

// initialArena is the arena's first size. It grows by doubling as held
// fragments need it, up to twice MaxBytes (held bytes are bounded by
// MaxBytes; the rest is room for emitted records until a compaction):
// most captures hold few fragments or none, and should not pay for the
// 16 MiB a full default arena takes.
const initialArena = 64 << 10

// grow enlarges the arena to hold need bytes, keeping its contents (held
// records refer to it by offset).
func (t *Tracker) grow(need int) {
	n := max(initialArena, 2*cap(t.buf))
	for n < need {
		n *= 2
	}
	nb := make([]byte, len(t.buf), min(n, 2*t.cfg.MaxBytes))
	copy(nb, t.buf)
	t.buf = nb
}

// compact drops emitted records and moves the others to the front.
func (t *Tracker) compact() {
	n, end := 0, 0
	for i := t.head; i < len(t.recs); i++ {
		r := t.recs[i]
		if r.state == recEmitted {
			continue
		}
		copy(t.buf[end:], t.buf[r.off:r.off+r.n])
		r.off = end
		end += r.n
		t.recs[n] = r
		n++
	}
	t.recs = t.recs[:n]
	t.buf = t.buf[:end]
	t.head = 0
}

// Expire gives up every datagram whose oldest held fragment has waited
// Timeout or longer at capture time now.
func (t *Tracker) Expire(now int64) {
	t.now = now
	if t.waiting > 0 { // inlined: the common case costs a compare
		t.expire(now)
	}
}

func (t *Tracker) expire(now int64) {
	for t.waiting > 0 {
		i := t.head
		for t.recs[i].state != recWaiting {
			i++
		}
		if now-t.recs[i].time < t.timeout {
			return
		}
		t.giveUp(t.recs[i].dg, &t.stats.TimedOut)
	}
}

// Pending reports whether Release has records to emit.
func (t *Tracker) Pending() bool { return t.pending > 0 }

// Release emits the released records in input order.
func (t *Tracker) Release(emit Emit) {
	if t.pending == 0 {
		return
	}
	rec := &t.scratch
	for i := t.head; i < len(t.recs) && t.pending > 0; i++ {
		r := &t.recs[i]
		if r.state != recReleased {
			continue
		}
		t.fill(rec, r)
		r.state = recEmitted
		t.pending--
		emit(rec, int(r.out), r.weird)
	}
	for t.head < len(t.recs) && t.recs[t.head].state == recEmitted {
		t.head++
	}
	if t.head == len(t.recs) {
		t.head, t.recs, t.buf = 0, t.recs[:0], t.buf[:0]
	}
}

// Flush gives up every waiting datagram (counted as timed out) and emits
// everything.
func (t *Tracker) Flush(emit Emit) {
	for t.waiting > 0 {
		t.giveUp(t.oldestWaiting(), &t.stats.TimedOut)
	}
	t.Release(emit)
}

// fill makes rec describe the arena record r.
func (t *Tracker) fill(rec *pcapio.Record, r *held) {
	b := t.buf[r.off : r.off+r.n : r.off+r.n]
	*rec = pcapio.Record{
		Interface: int(r.iface), LinkType: r.link, Sec: r.sec, Nsec: r.nsec,
		OrigLen: r.orig, Data: b, Offset: r.inOff,
	}
	if r.hasRaw {
		rec.Raw, rec.RawPrecision = b, r.rawPrec
		rec.Data = b[pcapRecordHeaderLen:]
	}
	rec.CapLen = uint32(len(rec.Data))
}

// pcapRecordHeaderLen is the size of a classic pcap record header, the
// start of Record.Raw.
const pcapRecordHeaderLen = 16
