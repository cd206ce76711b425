package hugepage

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestAdvised: the mapping's VMA carries the huge page advice ("hg" in
// /proc/self/smaps VmFlags), whatever the kernel then backs it with.
func TestAdvised(t *testing.T) {
	m, err := Map(2 * Size)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Unmap()
	flags, err := vmFlags(uintptr(m.Pointer()))
	if err != nil {
		t.Skip(err)
	}
	if !strings.Contains(" "+flags+" ", " hg ") {
		t.Errorf("VmFlags %q lack hg (MADV_HUGEPAGE)", flags)
	}
}

// vmFlags returns the VmFlags of the VMA of /proc/self/smaps that starts at
// addr.
func vmFlags(addr uintptr) (string, error) {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return "", err
	}
	defer f.Close()
	head := fmt.Sprintf("%x-", addr)
	in := false
	s := bufio.NewScanner(f)
	for s.Scan() {
		l := s.Text()
		if strings.HasPrefix(l, head) {
			in = true
		}
		if in && strings.HasPrefix(l, "VmFlags:") {
			return strings.TrimSpace(strings.TrimPrefix(l, "VmFlags:")), nil
		}
	}
	return "", fmt.Errorf("no mapping at %#x in /proc/self/smaps", addr)
}
