package fifo

import "testing"

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{0: "Kind(0)", KindFile: "file", KindFIFO: "fifo", 9: "Kind(9)"} {
		if got := k.String(); got != want {
			t.Errorf("Kind(%d).String() = %q, want %q", uint8(k), got, want)
		}
	}
}
