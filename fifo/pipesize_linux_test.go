package fifo

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

func TestSetPipeSize(t *testing.T) {
	limit := readPipeMaxSize(pipeMaxSizePath)
	if limit == 0 {
		t.Skip("cannot read " + pipeMaxSizePath)
	}
	const want = 1 << 20
	expect := min(want, limit) // what the cap allows; root may get it all

	t.Run("fifo", func(t *testing.T) {
		r, w := openPair(t)
		before := pipeSize(t, w)
		got, err := SetPipeSize(w, want)
		if err != nil {
			t.Fatal(err)
		}
		if now := pipeSize(t, r); got != now {
			t.Errorf("SetPipeSize = %d, F_GETPIPE_SZ = %d", got, now)
		}
		if got < expect && got != before { // before: EPERM, over the user's quota
			t.Errorf("SetPipeSize(%d) = %d, want >= %d (pipe-max-size %d)", want, got, expect, limit)
		}
		// The descriptor is still non-blocking.
		rc, _ := w.SyscallConn()
		var fl int
		rc.Control(func(fd uintptr) { fl, _ = unix.FcntlInt(fd, unix.F_GETFL, 0) })
		if fl&unix.O_NONBLOCK == 0 {
			t.Error("SetPipeSize cleared O_NONBLOCK")
		}
		// Never shrinks.
		if again, err := SetPipeSize(r, 4096); err != nil || again != got {
			t.Errorf("SetPipeSize(4096) after %d = %d, %v; want unchanged", got, again, err)
		}
	})
	t.Run("over the cap", func(t *testing.T) {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		defer w.Close()
		got, err := SetPipeSize(r, 4*limit)
		if err != nil {
			t.Fatal(err)
		}
		if got > limit {
			t.Errorf("SetPipeSize(%d) = %d, want capped at pipe-max-size %d", 4*limit, got, limit)
		}
	})
	t.Run("regular file", func(t *testing.T) {
		f, err := os.Create(filepath.Join(t.TempDir(), "f"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if got, err := SetPipeSize(f, want); err == nil || !strings.Contains(err.Error(), "not a pipe") {
			t.Errorf("SetPipeSize(regular file) = %d, %v; want a not-a-pipe error", got, err)
		}
	})
	t.Run("closed", func(t *testing.T) {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		r.Close()
		w.Close()
		if got, err := SetPipeSize(w, want); err == nil {
			t.Errorf("SetPipeSize(closed pipe) = %d, nil; want an error", got)
		}
	})
}

func TestReadPipeMaxSize(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		content string
		want    int
	}{
		{"1048576\n", 1 << 20},
		{"65536", 65536},
		{"", 0},
		{"-5\n", 0},
		{"lots\n", 0},
	} {
		p := filepath.Join(dir, "max")
		if err := os.WriteFile(p, []byte(tt.content), 0o600); err != nil {
			t.Fatal(err)
		}
		if got := readPipeMaxSize(p); got != tt.want {
			t.Errorf("readPipeMaxSize(%q) = %d, want %d", tt.content, got, tt.want)
		}
	}
	if got := readPipeMaxSize(filepath.Join(dir, "missing")); got != 0 {
		t.Errorf("readPipeMaxSize(missing) = %d, want 0", got)
	}
}

func TestIsPipe(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	fr, fw := openPair(t)
	f, err := os.Create(filepath.Join(t.TempDir(), "f"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, tt := range []struct {
		f    *os.File
		want bool
	}{{r, true}, {w, true}, {fr, true}, {fw, true}, {f, false}} {
		if got := IsPipe(tt.f); got != tt.want {
			t.Errorf("IsPipe(%s) = %v, want %v", tt.f.Name(), got, tt.want)
		}
	}
	f.Close()
	if IsPipe(f) {
		t.Error("IsPipe(closed file) = true")
	}
}
