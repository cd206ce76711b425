package fragtrack

import (
	"fmt"
	"time"
)

// Config bounds a Tracker. Zero fields take the defaults.
type Config struct {
	// MaxHeld is the most fragments waiting for their first fragment
	// (default DefaultMaxHeld).
	MaxHeld int
	// MaxBytes is the most captured bytes waiting (default 2 KiB per
	// MaxHeld, at least MinBytes).
	MaxBytes int
	// Timeout is how long, in capture time, a fragment may wait for its
	// first fragment, and how long a decided datagram is remembered after
	// its last fragment (default DefaultTimeout, like Linux's ipfrag_time).
	Timeout time.Duration
}

// Defaults.
const (
	DefaultMaxHeld = 4096
	DefaultTimeout = 30 * time.Second
	MinBytes       = 1 << 20
	maxMaxHeld     = 1 << 24
)

// WithDefaults returns c with zero fields set to their defaults.
func (c Config) WithDefaults() Config {
	if c.MaxHeld == 0 {
		c.MaxHeld = DefaultMaxHeld
	}
	if c.MaxBytes == 0 {
		c.MaxBytes = max(2048*c.MaxHeld, MinBytes)
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	return c
}

// Validate checks a Config after WithDefaults.
func (c *Config) Validate() error {
	if c.MaxHeld < 1 || c.MaxHeld > maxMaxHeld {
		return fmt.Errorf("fragment buffer of %d records out of range 1..%d", c.MaxHeld, maxMaxHeld)
	}
	if c.MaxBytes < MinBytes || c.MaxBytes > 1<<30 {
		return fmt.Errorf("fragment buffer of %d bytes out of range %d..%d", c.MaxBytes, MinBytes, 1<<30)
	}
	if c.Timeout < 0 {
		return fmt.Errorf("negative fragment timeout %v", c.Timeout)
	}
	return nil
}
