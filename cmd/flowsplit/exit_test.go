package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExitCodes checks the documented exit codes and one-line messages.
func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "o-%d.pcap")
	junk := filepath.Join(dir, "junk.pcap")
	os.WriteFile(junk, []byte("GET / HTTP/1.1\r\nHost: example\r\n\r\n"), 0o644)
	cases := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"ok", []string{"split", "-n", "2", "-o", out, realDir + "sctp.pcap"}, 0, ""},
		{"exists", []string{"split", "-n", "2", "-o", out, realDir + "sctp.pcap"}, 2, "exists"},
		{"force", []string{"split", "--force", "-n", "2", "-o", out, realDir + "sctp.pcap"}, 0, ""},
		{"no pattern", []string{"split", "-n", "2", "-o", filepath.Join(dir, "x.pcap"), realDir + "sctp.pcap"}, 2, "%d"},
		{"bad mode", []string{"split", "-n", "2", "--hash", "7tuple", "-o", out, realDir + "sctp.pcap"}, 2, "7tuple"},
		{"too many workers", []string{"split", "-n", "5000", "-o", out, realDir + "sctp.pcap"}, 2, "1024"},
		{"unknown flag", []string{"split", "--bogus", "-n", "2", "-o", out}, 2, "bogus"},
		{"missing input", []string{"split", "--force", "-n", "2", "-o", out, filepath.Join(dir, "nope.pcap")}, 3, "nope.pcap"},
		{"not a capture", []string{"split", "--force", "-n", "2", "-o", out, junk}, 3, "offset 0"},
		{"bad version", []string{"split", "--force", "-n", "2", "-o", out, realDir + "bad-major-version-1.pcap"}, 3, "offset"},
		{"small queue total", []string{"split", "--force", "-n", "2", "--queue-total", "1KiB", "-o", out, realDir + "sctp.pcap"}, 2, "--queue-total"},
		{"bad queue total", []string{"split", "--force", "-n", "2", "--queue-total", "lots", "-o", out, realDir + "sctp.pcap"}, 2, "--queue-total"},
		{"several inputs", []string{"split", "--force", "-n", "2", "-o", out, realDir + "sctp.pcap", realDir + "sctp.pcap", junk}, 3, "junk.pcap: byte offset 0"},
		{"output among the inputs", []string{"split", "--force", "-n", "2", "-o", out, realDir + "sctp.pcap", dir}, 2, "is an input and an output"},
		{"stdin twice", []string{"split", "--force", "-n", "2", "-o", out, "-", realDir + "sctp.pcap", "-"}, 2, "stdin"},
		{"several good inputs", []string{"split", "--force", "-n", "2", "-o", out, realDir + "sctp.pcap", realDir + "sctp.pcap"}, 0, ""},
	}
	for _, tc := range cases {
		r := flowsplit(t, nil, tc.args...)
		if r.code != tc.code {
			t.Errorf("%s: exit %d, want %d\nstderr: %s", tc.name, r.code, tc.code, r.stderr)
			continue
		}
		if tc.code != 0 {
			last := lastLine(r.stderr)
			if !strings.HasPrefix(last, "flowsplit: ") || !strings.Contains(last, tc.msg) {
				t.Errorf("%s: last stderr line %q should start with flowsplit: and mention %q", tc.name, last, tc.msg)
			}
		}
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}
