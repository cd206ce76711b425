// Package flowtable is the bounded flow table of the least-loaded (lfu)
// routing mode: it remembers which output each live flow was given.
//
// # Data flow
//
// Lookup finds a flow by its canonical hashing.Key and its hash in one
// open-addressing array of 64-byte slots, each a whole flow (key, output,
// TCP state, hash, expiry) on its own cache line: a lookup that finds its
// flow in its home slot reads one line, and the slots after it are the
// next lines. The home slot is the high word of hash × slots (the array
// need not be a power of two); collisions probe linearly, at a load of at
// most 3/4 (2.5 slots per hit and 8.5 per miss on average; measured in
// TestProbeLengths); deletion shifts the rest of the probe run back, so
// there are no tombstones. A hit refreshes the flow's expiry from the
// packet's capture time; Insert adds a flow.
//
// Flows end three ways, all on capture time (the packets' timestamps), never
// wall time: a TCP flow that saw a RST, or a FIN from each side, expires a
// grace period after its last packet; every flow expires after an idle
// timeout per protocol (like Zeek's tcp/udp/icmp inactivity timeouts); and
// when the table holds Config.MaxFlows flows, inserting one more evicts the
// least recently seen of the few flows stored from the new flow's home
// slot on (a sampled LRU: evictions happen where inserts do, so the table
// stays evenly loaded; see evict.go). An expired flow found by Lookup is
// reported absent and removed, Insert reuses the slot of an expired flow
// on the new flow's probe run, and a sweeping hand removes expired flows a
// few slots at a time on every Insert, so the table does not fill with
// dead flows.
//
// # Allocation
//
// The table grows by doubling, from a small start up to MaxFlows; once it
// has reached its working size, Lookup and Insert do not allocate. Memory
// is bounded by MaxFlows: about 85 bytes per flow (64-byte slots at load
// 3/4; 85 MB at the default million flows). Slot arrays of 2 MiB and more
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
