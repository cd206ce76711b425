// Command pipeline is flowsplit's whole-pipeline benchmark (`make bench`):
// it generates an IMIX capture with bench/gen (the generator `flowsplit
// bench` uses) into -input-dir (the temporary directory: a disk filesystem
// on most machines, where stored captures live), reads it once into the
// page cache, and measures, side by side in the same run and interleaved,
// flowsplit against the ceiling of each setup:
//
//   - file -> N files on tmpfs: `cat INPUT > FILE`, and a concurrent plain
//     fan-out (this program: 1 MiB chunks read with read(2), round-robin to
//     N files, each written by its own goroutine as flowsplit writes its
//     outputs, no parsing), against `flowsplit split -n N INPUT`;
//   - tmpfs file -> N files: the same with a copy of the capture on tmpfs
//     (-dir), where mapping the input costs more (4 KiB pages): `cat`
//     against flowsplit;
//   - FIFO -> N FIFOs, each drained by `cat FIFO > /dev/null`, the input
//     fed through a FIFO by `cat`: a plain fan-out (this program, writing the
//     same bytes round-robin in 1 MiB chunks to the N FIFOs) against
//     flowsplit.
//
// Each measurement is repeated -runs times and the median is printed with
// MB/s, Mpps, the ratio to the ceiling, CPU time and peak RSS (the largest
// VmHWM seen, in one more run of its own: polling /proc during the timed
// runs would slow flowsplit down by 5-10%), beside the best run's wall time and ratio (on a shared
// machine, the runs least disturbed by others). Finally it prints the routing-core table of
// `flowsplit bench -n N`.
//
// Usage:
//
//	go run ./bench/pipeline [-size 512] [-n 8] [-runs 3] [-bin bin/flowsplit]
//
// The fan-out runs as a child process of this program (-fanout), so that
// its CPU time and RSS are measured like flowsplit's (-fanout-files for
// files).
package main
