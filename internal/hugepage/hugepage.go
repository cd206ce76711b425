package hugepage

import "unsafe"

// Size is the huge page size that mappings are aligned to and rounded up
// to: 2 MiB, the x86-64 and arm64 (4 KiB granule) PMD size.
const Size = 2 << 20

// Mapping is a region of anonymous memory outside the Go heap. The zero
// Mapping is empty (Unmap does nothing).
type Mapping struct {
	ptr unsafe.Pointer
	len uintptr
}

// Map returns a zeroed mapping of at least size bytes (rounded up to a
// multiple of Size), starting on a Size boundary and advised for huge
// pages. It fails with an error wrapping [errors.ErrUnsupported] off
// Linux, and with the kernel's error (ENOMEM...) when the kernel refuses.
// Whether huge pages back it is up to the kernel (see the package
// documentation); the memory is usable either way.
func Map(size int) (*Mapping, error) {
	n := roundUp(uintptr(size))
	p, err := mapAligned(n)
	if err != nil {
		return nil, err
	}
	return &Mapping{ptr: p, len: n}, nil
}

// Pointer returns the start of the mapping (nil after Unmap).
func (m *Mapping) Pointer() unsafe.Pointer { return m.ptr }

// Len returns the mapping's length in bytes (0 after Unmap).
func (m *Mapping) Len() int { return int(m.len) }

// Unmap returns the mapping to the kernel. Any slice into it must no
// longer be used. Unmapping twice is a no-op.
func (m *Mapping) Unmap() error {
	if m.ptr == nil {
		return nil
	}
	p, n := m.ptr, m.len
	m.ptr, m.len = nil, 0
	return unmap(p, n)
}

// roundUp rounds n up to a positive multiple of Size.
func roundUp(n uintptr) uintptr {
	return max(Size, (n+Size-1)&^(Size-1))
}
