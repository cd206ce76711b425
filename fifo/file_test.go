package fifo

import (
	"os"
	"path/filepath"
	"testing"
)

func TestOpenFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "out")
	for i, content := range []string{"first, longer", "second"} {
		f, err := OpenFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteString(content); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		if b, err := os.ReadFile(p); err != nil || string(b) != content {
			t.Fatalf("open %d: content %q, %v; want %q", i, b, err, content)
		}
	}
}
