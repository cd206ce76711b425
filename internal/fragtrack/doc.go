// Package fragtrack keeps the fragments of an IP datagram together without
// reassembly: it remembers where each datagram went, and holds the
// fragments that arrive before the datagram's first fragment (the only one
// that carries the transport ports) until that one arrives.
//
// # Data flow
//
// The router keys each fragment by its datagram (source, destination,
// protocol and IPv4 ID or IPv6 identification, packed into a hashing.Key)
// and calls Lookup. A decided datagram gives its output at once. For the
// first fragment of an undecided datagram the router picks the flow's
// output and calls Decide: the fragments held for it are released, and the
// first fragment itself must be held behind them (Decide says so) to keep
// the datagram's order. Any other fragment of an undecided datagram is
// given to Hold: its bytes are copied into the tracker's arena.
//
// Released records leave through Release, in input order. A datagram whose
// oldest held fragment is older than Config.Timeout (capture time), or
// whose fragments must make room for newer ones (Config.MaxHeld records or
// Config.MaxBytes bytes waiting), is given up: it is decided with the
// fallback output the router gave to Hold, its held fragments are released,
// and its later fragments follow the same fallback. The datagram stays
// together; only its place relative to its 5-tuple flow is lost, and it is
// counted (Stats).
//
// Decided datagrams are remembered for Config.Timeout after their last
// fragment, in a table of fixed size (4 x MaxHeld, at least 1024); when it
// is full the oldest datagram is forgotten.
//
// # Allocation and ownership
//
// New allocates the record slots and the table; the arena (2 x MaxBytes)
// is allocated once, when the first record is kept. Lookup, Decide, Hold, Expire and Release do not allocate. A
// record passed to Hold is copied; a record given to an Emit callback is
// valid only during the call.
//
// # Concurrency
//
// A Tracker is not safe for concurrent use.
package fragtrack
