package status

import "os"

// DefaultWidth is the width assumed for a terminal whose size is unknown.
const DefaultWidth = 80

// Terminal reports whether f is an interactive terminal, and its width in
// columns (DefaultWidth when unknown). A character device that is not a
// terminal, such as /dev/null, is not one.
func Terminal(f *os.File) (width int, ok bool) {
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return 0, false
	}
	w, ok := termWidth(f)
	if !ok {
		return 0, false
	}
	if w <= 0 {
		w = DefaultWidth
	}
	return w, true
}
