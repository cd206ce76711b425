// Package metrics serves a split's statistics as Prometheus metrics.
//
// Data flow: nothing is counted here. A [Collector] reads the newest
// [splitter.Stats] snapshot from a source function at each scrape and turns
// it into constant metrics (counters with an "output" label for the
// per-output counters, gauges for the lag, the fragments held and the flow
// table), so the packet path never touches a Prometheus counter. A [Server]
// serves them over HTTP at /metrics.
//
// Every metric name starts with "flowsplit_"; counters end in "_total",
// byte counts in "_bytes" and durations in "_seconds". The README lists them.
//
// Concurrency: the source function is called on the scraping goroutine and
// must be safe for that (status.Latest.Load is). Collector and Server are
// safe for concurrent use. A scrape allocates; nothing else does.
package metrics
