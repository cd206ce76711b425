package flowtable

import (
	"fmt"
	"time"
)

// Config bounds a Table and sets its timeouts. Zero fields take the
// defaults below.
type Config struct {
	// MaxFlows is the most flows kept (default DefaultMaxFlows).
	MaxFlows int
	// TCPTimeout, UDPTimeout and OtherTimeout are the idle timeouts of TCP,
	// UDP and every other protocol (ICMP included), on capture time.
	TCPTimeout, UDPTimeout, OtherTimeout time.Duration
	// CloseGrace is how long a TCP flow that saw a RST, or a FIN from
	// each side, lives after its last packet.
	CloseGrace time.Duration
}

// Defaults, after Zeek's tcp_inactivity_timeout, udp_inactivity_timeout,
// icmp_inactivity_timeout and tcp_close_delay.
const (
	DefaultMaxFlows     = 1_000_000
	DefaultTCPTimeout   = 5 * time.Minute
	DefaultUDPTimeout   = time.Minute
	DefaultOtherTimeout = time.Minute
	DefaultCloseGrace   = 5 * time.Second
)

// WithDefaults returns c with zero fields set to their defaults.
func (c Config) WithDefaults() Config {
	if c.MaxFlows == 0 {
		c.MaxFlows = DefaultMaxFlows
	}
	if c.TCPTimeout == 0 {
		c.TCPTimeout = DefaultTCPTimeout
	}
	if c.UDPTimeout == 0 {
		c.UDPTimeout = DefaultUDPTimeout
	}
	if c.OtherTimeout == 0 {
		c.OtherTimeout = DefaultOtherTimeout
	}
	if c.CloseGrace == 0 {
		c.CloseGrace = DefaultCloseGrace
	}
	return c
}

// maxMaxFlows bounds the bucket array to 5.7 GB (16-byte slots at load
// 3/4).
const maxMaxFlows = 1 << 28

// Validate checks the ranges of a Config after WithDefaults.
func (c *Config) Validate() error {
	if c.MaxFlows < 1 || c.MaxFlows > maxMaxFlows {
		return fmt.Errorf("max flows %d out of range 1..%d", c.MaxFlows, maxMaxFlows)
	}
	for _, d := range []time.Duration{c.TCPTimeout, c.UDPTimeout, c.OtherTimeout, c.CloseGrace} {
		if d < 0 {
			return fmt.Errorf("negative flow timeout %v", d)
		}
		if d > maxTimeout {
			return fmt.Errorf("flow timeout %v above the maximum %v", d, time.Duration(maxTimeout).Truncate(time.Hour))
		}
	}
	return nil
}
