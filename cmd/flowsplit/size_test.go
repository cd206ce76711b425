package main

import "testing"

func TestParseSize(t *testing.T) {
	good := map[string]int64{"0": 0, "4096": 4096, "64MiB": 64 << 20, "64M": 64 << 20, "1GiB": 1 << 30, "2g": 2 << 30, "512 KiB": 512 << 10, "10B": 10}
	for in, want := range good {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "MiB", "-1", "1.5G", "12 parsecs", "99999999999999999999"} {
		if _, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) succeeded", in)
		}
	}
}
