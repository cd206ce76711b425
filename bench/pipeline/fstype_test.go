//go:build linux

package main

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// TestFSType checks fsType against the kernel's mount table: the bench's
// header says which filesystem the input is read from, since the ratio to
// `cat` depends on it.
func TestFSType(t *testing.T) {
	f, err := os.Open("/proc/self/mounts")
	if err != nil {
		t.Skipf("no mount table: %v", err)
	}
	defer f.Close()
	// A later mount over the same directory hides the earlier one.
	types := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fields := strings.Fields(sc.Text()); len(fields) >= 3 {
			types[fields[1]] = fields[2]
		}
	}
	checked := 0
	for dir, typ := range types {
		if typ != "tmpfs" && typ != "ext4" && typ != "xfs" {
			continue
		}
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			continue
		}
		if got := fsType(dir); got != typ {
			t.Errorf("fsType(%s) = %q, mount table says %q", dir, got, typ)
		}
		checked++
	}
	if checked == 0 {
		t.Skip("no tmpfs, ext4 or xfs mount to check")
	}
}
