//go:build !unix

package mapfile

import (
	"fmt"
	"os"
)

// Map returns ErrNotMappable: this platform reads files instead.
func Map(f *os.File) (*File, error) {
	return nil, fmt.Errorf("%s: %w", f.Name(), ErrNotMappable)
}

// Close does nothing.
func (m *File) Close() error { return nil }

func dontNeed([]byte) {}
