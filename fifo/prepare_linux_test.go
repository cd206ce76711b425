package fifo

import (
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestPrepare(t *testing.T) {
	umask := syscall.Umask(0)
	syscall.Umask(umask)

	type setup func(t *testing.T, path string)
	none := func(*testing.T, string) {}
	fifo := func(t *testing.T, p string) {
		if err := mkfifo(p, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	regular := func(t *testing.T, p string) {
		if err := os.WriteFile(p, []byte("keep"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	dir := func(t *testing.T, p string) {
		if err := os.Mkdir(p, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	link := func(target setup) setup {
		return func(t *testing.T, p string) {
			target(t, p+".target")
			if err := os.Symlink(p+".target", p); err != nil {
				t.Fatal(err)
			}
		}
	}

	tests := []struct {
		name          string
		setup         setup
		mkFIFO, force bool
		want          Kind
		wantErr       string // substring; "" for success
		wantExist     bool   // error wraps fs.ErrExist
		wantType      fs.FileMode
		checkPerm     bool // created here: mode is 0644 less the umask
	}{
		{name: "missing, mkfifo", setup: none, mkFIFO: true, want: KindFIFO, wantType: fs.ModeNamedPipe, checkPerm: true},
		{name: "missing, file", setup: none, want: KindFile, wantType: fs.ModeIrregular /* still missing */},
		{name: "fifo", setup: fifo, want: KindFIFO, wantType: fs.ModeNamedPipe},
		{name: "fifo, mkfifo, force", setup: fifo, mkFIFO: true, force: true, want: KindFIFO, wantType: fs.ModeNamedPipe},
		{name: "link to fifo", setup: link(fifo), want: KindFIFO, wantType: fs.ModeNamedPipe},
		{name: "regular", setup: regular, mkFIFO: true, wantErr: "regular file would be overwritten", wantExist: true},
		{name: "regular, force", setup: regular, force: true, want: KindFile},
		{name: "regular, mkfifo, force", setup: regular, mkFIFO: true, force: true, want: KindFile},
		{name: "link to regular, force", setup: link(regular), force: true, want: KindFile},
		{name: "directory", setup: dir, mkFIFO: true, force: true, wantErr: "is a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "out")
			tt.setup(t, p)
			got, err := Prepare(p, tt.mkFIFO, tt.force)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), p) {
					t.Fatalf("Prepare = %v, %v; want error naming %s and containing %q", got, err, p, tt.wantErr)
				}
				if errors.Is(err, fs.ErrExist) != tt.wantExist {
					t.Errorf("errors.Is(%v, fs.ErrExist) = %v, want %v", err, !tt.wantExist, tt.wantExist)
				}
				if got != 0 {
					t.Errorf("Kind on error = %v, want 0", got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Prepare = %v, %v; want %v, nil", got, err, tt.want)
			}
			fi, err := os.Stat(p)
			switch tt.wantType {
			case fs.ModeIrregular:
				if !errors.Is(err, fs.ErrNotExist) {
					t.Fatalf("Prepare(mkFIFO=false) created %s: %v", p, err)
				}
			case fs.ModeNamedPipe:
				if err != nil || fi.Mode().Type() != fs.ModeNamedPipe {
					t.Fatalf("%s: %v, %v; want a FIFO", p, fi, err)
				}
			default: // regular file, left untouched
				if b, err := os.ReadFile(p); err != nil || string(b) != "keep" {
					t.Fatalf("content after Prepare = %q, %v; want %q (truncation is OpenFile's job)", b, err, "keep")
				}
			}
			if tt.checkPerm {
				if perm, want := fi.Mode().Perm(), fileMode&^fs.FileMode(umask); perm != want {
					t.Errorf("new FIFO mode = %v, want %v", perm, want)
				}
			}
		})
	}
}

func TestPrepareSpecial(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "s")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for _, tt := range []struct{ path, want string }{
		{sock, "is a socket"},
		{os.DevNull, "is a character device"},
		{filepath.Join(t.TempDir(), "no", "such", "dir"), "no such file or directory"},
	} {
		_, err := Prepare(tt.path, true, true)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tt.path) {
			t.Errorf("Prepare(%s) = %v, want error naming the path and containing %q", tt.path, err, tt.want)
		}
	}
}
