package status

import (
	"os"
	"syscall"
	"unsafe"
)

// winsize is struct winsize of TIOCGWINSZ.
type winsize struct{ rows, cols, xpixel, ypixel uint16 }

// termWidth asks the terminal driver for f's size; ok is false when f is
// not a terminal.
func termWidth(f *os.File) (int, bool) {
	var ws winsize
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), syscall.TIOCGWINSZ, uintptr(unsafe.Pointer(&ws)))
	if errno != 0 {
		return 0, false
	}
	return int(ws.cols), true
}
