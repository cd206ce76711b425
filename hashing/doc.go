// Package hashing turns a packet's flow identity into an output index.
//
// It is pure computation with no I/O: a Tuple (addresses, ports, protocol,
// VLANs) is reduced by a Config (the hash mode, VLAN awareness and address
// prefixes) to a canonical, packed, comparable Key whose two endpoints are in
// a fixed order, so that both directions of a connection give the same Key.
// The Key is hashed with xxhash and the hash is mapped onto N outputs with a
// multiply-shift range reduction, which is uniform for any N.
//
// ModeHost reduces a Tuple to one host (the endpoint inside, or outside,
// Config.LocalNets, and its VLANs with Config.VLAN) and falls back to the address pair when both or neither
// endpoint is local. ModeLFU keys like Mode5Tuple: the router, not this
// package, places its flows. KeyDir also says which endpoint sent the
// packet, for callers that track connection state.
//
// The result depends only on the Tuple and the Config: the same input gives
// the same output index on every machine, run and Go version. Nothing here
// allocates, and every function is safe for concurrent use.
package hashing
