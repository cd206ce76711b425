// Package flowtable is the bounded flow table of the least-loaded (lfu)
// routing mode: it remembers which output each live flow was given.
//
// # Data flow
//
// A flow is known by its fingerprint: Hash of its canonical hashing.Key,
// a 64-bit hash keyed by a random seed of the table (hash/maphash), so
// that nobody can craft traffic that collides in the table without the
// seed. The table stores fingerprints, not keys: a 16-byte entry per flow
// (fingerprint, output, TCP state, last packet time), four to a 64-byte
// bucket. Each fingerprint has two buckets (bucket.go); Lookup reads those
// two cache lines and nothing else, whatever the table holds, and Prefetch
// starts loading them ahead of a Lookup. A new flow goes to the emptier of
// its two buckets; when both are full, one of their flows moves to its
// other bucket (a cuckoo path of at most two moves), so that below
// MaxFlows nothing is evicted at load 3/4. A hit refreshes the flow's last
// packet time from the packet's capture time; Insert adds a flow.
//
// Two live flows share a fingerprint with probability about n²/2^65 for n
// live flows (3·10^-8 at a million): they would share an output and a TCP
// state. Since the seed is drawn per table, a run's outputs in the lfu
// mode are reproducible as long as the table evicts nothing (which flow an
// eviction picks depends on where flows are stored).
//
// Flows end three ways, all on capture time (the packets' timestamps), never
// wall time: a TCP flow that saw a RST, or a FIN from each side, expires a
// grace period after its last packet; every flow expires after an idle
// timeout per protocol (like Zeek's tcp/udp/icmp inactivity timeouts); and
// when the table holds Config.MaxFlows flows, inserting one more evicts the
// least recently seen flow of the new flow's two buckets (a sampled LRU,
// see evict.go). An expired flow found by Lookup is reported absent and
// removed, Insert reuses the slot of an expired flow in the new flow's
// buckets, and a sweeping hand removes expired flows one bucket per
// Insert, so the table does not fill with dead flows. Time is kept in ticks
// of about 1 ms: a flow expires after its timeout, at most 2 ms late, never
// early.
//
// # Allocation
//
// The table grows fourfold, from a small start up to MaxFlows (growing
// moves every flow: four times at a time moves a third as many as
// doubling, and resize prefetches where it moves them); once it has
// reached its working size, Lookup and Insert do not allocate. Memory
// is bounded by MaxFlows: about 21 bytes per flow (16-byte entries at load
// 3/4; 21 MB at the default million flows). Bucket arrays of 2 MiB and more
// are mapped outside the Go heap on 2 MiB transparent huge pages
// (internal/hugepage) where the system allows, so that random lookups do
// not miss the TLB as well as the caches; they are unmapped by Close, or
// once the Table is unreachable. Smaller arrays, and every array where
// mapping fails or off Linux, are on the Go heap (pointer-free, so never
// scanned).
//
// # Concurrency
//
// A Table is not safe for concurrent use.
package flowtable
