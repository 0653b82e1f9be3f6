//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package main

import "io"

// terminalWidth assumes the classic 80 columns where hunt cannot ask.
func terminalWidth(io.Writer) func() int { return func() int { return 80 } }
