//go:build linux || darwin || freebsd || netbsd || openbsd

package main

import (
	"io"
	"os"
	"syscall"
	"unsafe"
)

// terminalWidth returns a function giving the width of the terminal w
// is, asked on each call so that the bar follows a resized window.
func terminalWidth(w io.Writer) func() int {
	f, ok := w.(*os.File)
	if !ok {
		return func() int { return 80 }
	}
	return func() int {
		var ws struct{ row, col, x, y uint16 }
		_, _, e := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), uintptr(syscall.TIOCGWINSZ), uintptr(unsafe.Pointer(&ws)))
		if e != 0 || ws.col == 0 {
			return 80
		}
		return int(ws.col)
	}
}
