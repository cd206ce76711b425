package mapfile

import (
	"os"
	"runtime"
	"sync/atomic"
)

// The pager works on a goroutine of its own, so that on a machine with a
// spare core the reader neither takes the page faults of the pages ahead
// of it (one fault per 64 KiB of a file mapping, about a tenth of the
// reader's time on a capture in the page cache) nor pays for unmapping the
// pages behind it.
const (
	// pageStep is how far the reader advances between two reports to the
	// pager, and the size of each populate call.
	pageStep = 1 << 20
	// pageAhead is how far ahead of the reader the pager keeps the pages
	// mapped (2 ms of a reader at 2 GB/s): pages ahead, dropStep behind
	// and a step bound the mapping's share of the resident set to about
	// 9 MiB while the pager keeps up. 8 MiB was no faster measurably and
	// cost 4 MiB more of the 64 MiB a split may use (TestMemoryBounded).
	pageAhead = 4 << 20
	// pageLagMax is how far the pager may trail the reader before the
	// reader drops the pages behind itself: pages mapped ahead and not yet
	// dropped stay under about 17 MiB even when the pager cannot run.
	pageLagMax = 8 << 20
)

// pager maps the pages ahead of the reader's position and drops those
// behind it. It owns File.dropped while it runs.
type pager struct {
	pos     chan int64    // the reader's latest position; capacity 1
	done    chan struct{} // closed when the goroutine has returned
	handled atomic.Int64  // the latest position fully handled
	mapped  atomic.Int64  // the pages before it are mapped, or mapping ahead failed
	yield   func()        // runtime.Gosched; a test's counter
	stepped int64         // the reader dropped up to here itself (keepUp)
}

// startPager starts m's pager, which first maps the beginning of the file.
func (m *File) startPager() {
	p := &pager{pos: make(chan int64, 1), done: make(chan struct{}), yield: runtime.Gosched}
	m.pager = p
	p.pos <- 0
	go m.page(p)
}

// report hands the reader's position to the pager, replacing a position
// it has not taken yet: it never blocks.
func (p *pager) report(off int64) {
	select {
	case p.pos <- off:
		return
	default:
	}
	select {
	case <-p.pos:
	default:
	}
	p.pos <- off // the reader is the only sender: there is room now
}

// keepUp is called by the reader at off after report. When the pages
// within a step ahead of the reader are not mapped yet (and the file is
// not all mapped), it yields, so that a pager waiting in the run queue of
// the reader's own P (woken by the reader, it often does) maps them before
// the reader faults on them one by one. A pager that is pageStep ahead is
// left alone however late it is in taking the reader's reports: yielding
// to it then only puts its work on the reader's core. And it makes sure
// the pages behind the reader leave the resident set even when the pager
// falls pageLagMax behind. Dropping a range twice is harmless.
func (p *pager) keepUp(m *File, off int64) {
	if mapped := p.mapped.Load(); mapped < int64(len(m.data)) && mapped-off < pageStep {
		p.yield()
	}
	h := p.handled.Load()
	if off-h <= pageLagMax {
		return
	}
	pageMask := int64(os.Getpagesize() - 1)
	from, end := max(h-dropStep, p.stepped, 0)&^pageMask, min(off, int64(len(m.data)))&^pageMask
	dontNeed(m.data[from:end])
	p.stepped = end
}

// stop ends the pager and waits for it.
func (p *pager) stop() {
	close(p.pos)
	<-p.done
}

// page is the pager's goroutine. A populate call that fails (the file
// shrank: the kernel reports the fault instead of raising SIGBUS) ends the
// mapping ahead; dropping behind goes on.
func (m *File) page(p *pager) {
	defer close(p.done)
	populated, failed := 0, false
	pageMask := os.Getpagesize() - 1
	for off := range p.pos {
		// Populate calls start on a page boundary; the last one may end
		// anywhere, the kernel rounds it up.
		want := len(m.data)
		if off+pageAhead < int64(want) {
			want = int(off+pageAhead) &^ (pageStep - 1)
		}
		// What the reader has passed is not worth mapping (a pager held up
		// by a slow disk falls behind).
		populated = max(populated, int(off)&^(pageStep-1))
		for !failed && populated < want {
			end := min(populated+pageStep, want)
			if populate(m.data[populated:end]) != nil {
				failed = true
				end = len(m.data) // nothing more will be mapped: not worth waiting for
			}
			populated = end
			p.mapped.Store(int64(end))
		}
		if end := int(min(off, int64(len(m.data)))) &^ pageMask; end-m.dropped >= dropStep {
			dontNeed(m.data[m.dropped:end])
			m.dropped = end
		}
		p.handled.Store(off)
	}
}
