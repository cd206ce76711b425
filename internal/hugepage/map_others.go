//go:build !linux

package hugepage

import (
	"errors"
	"unsafe"
)

// mapAligned is not supported on this system.
func mapAligned(n uintptr) (unsafe.Pointer, error) {
	return nil, errors.ErrUnsupported
}

// unmap is never called: nothing is mapped.
func unmap(unsafe.Pointer, uintptr) error { return errors.ErrUnsupported }
