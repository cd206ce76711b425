package prefetch

import (
	"testing"
	"unsafe"
)

// TestLine: prefetching valid and nil addresses neither faults
// nor changes memory.
func TestLine(t *testing.T) {
	b := make([]byte, 256)
	b[64] = 7
	for i := 0; i < len(b); i += 64 {
		Line(unsafe.Pointer(&b[i]))
	}
	Line(nil)
	if b[64] != 7 {
		t.Error("Line changed memory")
	}
}

func TestLineNoAllocs(t *testing.T) {
	b := make([]byte, 64)
	if n := testing.AllocsPerRun(100, func() { Line(unsafe.Pointer(&b[0])) }); n != 0 {
		t.Errorf("%v allocations", n)
	}
}

// TestRange: prefetching ranges of any length, 0 included, neither faults
// nor changes memory.
func TestRange(t *testing.T) {
	b := make([]byte, 4096)
	b[1000] = 9
	for _, n := range []int{0, 1, 63, 64, 65, 1000, 4096} {
		Range(unsafe.Pointer(&b[0]), n)
	}
	Range(nil, 0)
	if b[1000] != 9 {
		t.Error("Range changed memory")
	}
}
