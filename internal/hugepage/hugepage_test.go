package hugepage

import (
	"errors"
	"testing"
	"unsafe"
)

func TestMap(t *testing.T) {
	m, err := Map(3*Size + 1)
	if errors.Is(err, errors.ErrUnsupported) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer m.Unmap()
	if m.Len() != 4*Size {
		t.Errorf("Len = %d, want %d (rounded up to huge pages)", m.Len(), 4*Size)
	}
	if uintptr(m.Pointer())%Size != 0 {
		t.Errorf("mapping at %p, not on a %d boundary", m.Pointer(), Size)
	}
	b := unsafe.Slice((*byte)(m.Pointer()), m.Len())
	for i := 0; i < len(b); i += 4096 {
		if b[i] != 0 {
			t.Fatalf("byte %d = %d, want zeroed memory", i, b[i])
		}
		b[i] = byte(i)
	}
	b[len(b)-1] = 1
}

func TestUnmapTwice(t *testing.T) {
	m, err := Map(1)
	if errors.Is(err, errors.ErrUnsupported) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Unmap(); err != nil {
		t.Fatal(err)
	}
	if err := m.Unmap(); err != nil {
		t.Errorf("second Unmap: %v", err)
	}
	if m.Pointer() != nil || m.Len() != 0 {
		t.Errorf("after Unmap: %p, %d; want nil, 0", m.Pointer(), m.Len())
	}
	var zero Mapping
	if err := zero.Unmap(); err != nil {
		t.Errorf("zero Mapping: %v", err)
	}
}

func TestMapRefused(t *testing.T) {
	if _, err := Map(1 << 62); err == nil {
		t.Error("Map(2^62 bytes) succeeded")
	}
}
