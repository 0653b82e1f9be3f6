//go:build unix

package main

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
)

// peakMemory returns the process's peak resident size. On Linux it is
// VmHWM, this program's own high-water mark; ru_maxrss would also count
// the parent's pages when the parent started hunt with vfork, as Go
// programs (and so test harnesses and benchmarks) do.
func peakMemory() (int64, string) {
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
				if err == nil {
					return kb << 10, "peak resident"
				}
			}
		}
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, ""
	}
	n := int64(ru.Maxrss)
	if runtime.GOOS != "darwin" {
		n <<= 10 // kilobytes everywhere but macOS
	}
	return n, "peak resident"
}
