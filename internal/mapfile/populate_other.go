//go:build unix && !linux

package mapfile

import "errors"

// populate is not available: Map starts no pager.
func populate([]byte) error { return errors.ErrUnsupported }
