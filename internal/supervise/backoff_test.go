package supervise

import (
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	ms := time.Millisecond
	b := Backoff{Min: 100 * ms, Max: 5 * time.Second}
	for n, want := range []time.Duration{100 * ms, 200 * ms, 400 * ms, 800 * ms, 1600 * ms, 3200 * ms, 5 * time.Second, 5 * time.Second} {
		if got := b.Delay(n); got != want {
			t.Errorf("Delay(%d) = %v, want %v", n, got, want)
		}
	}
	if got := b.Delay(1 << 30); got != 5*time.Second {
		t.Errorf("Delay(huge) = %v", got)
	}
	if got := b.Delay(-1); got != 100*ms {
		t.Errorf("Delay(-1) = %v", got)
	}
	if got := (Backoff{}).Delay(2); got != 4*DefaultBackoffMin {
		t.Errorf("zero Backoff: Delay(2) = %v", got)
	}
}

func TestParseRestartOutput(t *testing.T) {
	for _, s := range []string{"on-failure", "always", "never"} {
		r, err := ParseRestart(s)
		if err != nil || r.String() != s {
			t.Errorf("ParseRestart(%q) = %v, %v", s, r, err)
		}
	}
	if _, err := ParseRestart("sometimes"); err == nil {
		t.Error("ParseRestart(sometimes): no error")
	}
	if m, err := ParseOutput("prefix"); err != nil || m != OutputPrefix {
		t.Errorf("ParseOutput(prefix) = %v, %v", m, err)
	}
	if _, err := ParseOutput("both"); err == nil {
		t.Error("ParseOutput(both): no error")
	}
}
