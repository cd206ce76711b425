// Package status turns the splitter's statistics snapshots into what an
// operator reads while a split runs: a one-line live status for a terminal
// and the same facts as a periodic log line.
//
// Data flow: the engine hands a fresh [splitter.Stats] snapshot to
// Config.Observe about every second. A [Latest] keeps the newest one for
// readers on other goroutines (the status renderer, the periodic JSON
// writer, the metrics endpoint). A [Meter] is fed snapshots and computes
// what a single snapshot cannot say: packet and bit rates since the previous
// snapshot, the busiest output and the output the input waits for; [Meter.View]
// adds what depends on the wall clock (lag behind capture time, progress and
// ETA) and [View.Line] renders it. A [Throttle] spaces periodic work.
//
// Time comes from a [Clock], so every computation is tested on a fake clock.
//
// Snapshots are shared, never copied deeply: a *splitter.Stats given to
// Latest or Meter, and its Outputs slice, must not be modified afterwards
// (the engine makes a fresh one for each snapshot).
//
// Latest and Meter are safe for concurrent use; Throttle is not. This
// package is off the hot path: it allocates per snapshot, not per packet.
package status
