// Package oracle is the independent judge of flowsplit's output in tests.
//
// It reads captures with gopacket's pcapgo and decodes packets with
// gopacket's layers, sharing no code with flowsplit's own reader, decoder or
// hashing, and checks that a split kept every packet, kept input order per
// output, and put every flow on exactly one output. Only tests import it.
package oracle
