// Package flowtable is the bounded flow table of the least-loaded (lfu)
// routing mode: it remembers which output each live flow was given.
//
// # Data flow
//
// Lookup finds a flow by its canonical hashing.Key in an open-addressing
// index (linear probing, load factor at most one half, 8-byte slots that
// hold an entry number and a hash tag, so a miss rarely touches an entry).
// Entries live in one dense, pointer-free array. A hit refreshes the flow's
// expiry from the packet's capture time; Insert adds a flow.
//
// Flows end three ways, all on capture time (the packets' timestamps), never
// wall time: a TCP flow that saw a RST, or a FIN from each side, expires a
// grace period after its last packet; every flow expires after an idle timeout per protocol (like
// Zeek's tcp/udp/icmp inactivity timeouts); and when the table holds
// Config.MaxFlows flows, inserting one more evicts the least recently seen
// flow, approximated by a CLOCK sweep (a hit sets the entry's reference
// bit, the sweeping hand clears it and evicts the first entry without it).
// An expired flow found by Lookup is reported absent and removed; the hand
// also removes expired flows a few entries at a time on every Insert, so
// the table does not fill with dead flows.
//
// # Allocation
//
// The table grows by doubling, from a small start up to MaxFlows; once it
// has reached its working size, Lookup, Touch and Insert do not allocate.
// Memory is bounded by MaxFlows: about 88 bytes per flow (72 per entry, 16
// of index at load one half).
//
// # Concurrency
//
// A Table is not safe for concurrent use.
package flowtable
