package supervise

import (
	"os/exec"
	"testing"
)

func TestQuote(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "''"},
		{"zeek", "zeek"},
		{"/run/flowsplit/worker-3.fifo", "/run/flowsplit/worker-3.fifo"},
		{"Log::x=1,y@z%+", "Log::x=1,y@z%+"},
		{"a b", "'a b'"},
		{"it's", `'it'\''s'`},
		{"$HOME", "'$HOME'"},
		{"*", "'*'"},
		{"a\nb", "'a\nb'"},
		{"~", "'~'"},
	} {
		if got := Quote(tc.in); got != tc.want {
			t.Errorf("Quote(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
	if got := QuoteCommand([]string{"sh", "-c", "echo 'x'"}); got != `sh -c 'echo '\''x'\'''` {
		t.Errorf("QuoteCommand = %s", got)
	}
}

// TestQuoteSh: sh reads each quoted value back unchanged.
func TestQuoteSh(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	for _, s := range []string{"", "plain", "a b", "it's", `"$HOME" \n`, "x;y|z&", "tab\there", "new\nline", "'''"} {
		out, err := exec.Command("sh", "-c", "printf %s "+Quote(s)).Output()
		if err != nil || string(out) != s {
			t.Errorf("sh reads Quote(%q) = %s as %q (%v)", s, Quote(s), out, err)
		}
	}
}
