package human

import (
	"testing"
	"time"
)

func TestDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0.0s"},
		{400 * time.Millisecond, "0.4s"},
		{9*time.Second + 960*time.Millisecond, "10.0s"},
		{12 * time.Second, "12s"},
		{59*time.Second + 999*time.Millisecond, "59s"},
		{3*time.Minute + 5*time.Second, "3m05s"},
		{3*time.Hour + 12*time.Minute + 59*time.Second, "3h12m"},
		{23*time.Hour + 59*time.Minute, "23h59m"},
		{5*24*time.Hour + 3*time.Hour + 40*time.Minute, "5d03h"},
		{-90 * time.Second, "-1m30s"},
		{time.Duration(-1 << 63), "-106751d23h"},
	}
	for _, tt := range tests {
		if got := Duration(tt.d); got != tt.want {
			t.Errorf("Duration(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestHumanUnits(t *testing.T) {
	tests := []struct{ got, want string }{
		{Count(999), "999"},
		{Count(1000), "1.00k"},
		{Count(12345), "12.3k"},
		{Count(1234567), "1.23M"},
		{Count(456_000_000_000), "456G"},
		{Count(7e12), "7.00T"},
		{Bytes(999), "999 B"},
		{Bytes(1500), "1.5 kB"},
		{Bytes(2_300_000_000), "2.3 GB"},
		{Bytes(5e15), "5.0 PB"},
		{PacketRate(850), "850 pps"},
		{PacketRate(12_500), "12.5 kpps"},
		{PacketRate(1_250_000), "1.25 Mpps"},
		{BitRate(800), "800 bit/s"},
		{BitRate(1500), "1.5 kbit/s"},
		{BitRate(1.5e6), "1.5 Mbit/s"},
		{BitRate(6.12e9), "6.12 Gbit/s"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("case %d: got %q, want %q", i, tt.got, tt.want)
		}
	}
}
