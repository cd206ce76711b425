// Package verify checks a finished split: it reads every output with
// flowsplit's own reader (internal/pcapio) and decoder (internal/decode)
// and reports each flow of the chosen mode found on more than one output,
// with a per-output histogram of packets and flows.
//
// Flows are keyed as the router keys them: by the innermost header of a
// tunnel (or the outer one), by the quoted header for ICMP errors, and IP
// fragments by the flow of their datagram's first fragment when one of the
// outputs holds it (else by the datagram). The lfu mode's flows are
// 5-tuples. It keeps one map entry per flow and per datagram in memory; it
// is a command, not a hot path. Nothing here is safe for concurrent use.
package verify
