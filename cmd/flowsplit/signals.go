package main

import (
	"os"
	"os/signal"
	"syscall"

	"github.com/flowsplit/flowsplit/splitter"
)

// statusOnSIGUSR1 makes SIGUSR1 print a statistics snapshot during a split.
func statusOnSIGUSR1(cfg *splitter.Config) (stop func()) {
	sig := make(chan os.Signal, 1)
	req := make(chan struct{}, 1)
	done := make(chan struct{})
	signal.Notify(sig, syscall.SIGUSR1)
	go func() {
		for {
			select {
			case <-sig:
				select {
				case req <- struct{}{}:
				default:
				}
			case <-done:
				return
			}
		}
	}()
	cfg.StatusRequests = req
	return func() { signal.Stop(sig); close(done) }
}
