//go:build unix

package source

import (
	"os"
	"syscall"
)

const canMap = true

var pageSize = syscall.Getpagesize()

func mapFile(f *os.File, off, length int64) ([]byte, error) {
	return syscall.Mmap(int(f.Fd()), off, int(length), syscall.PROT_READ, syscall.MAP_SHARED)
}

func unmapFile(b []byte) { syscall.Munmap(b) }

// adviseWillNeed asks the kernel to read a mapped range ahead, so that a
// cold file is read in large requests rather than one fault at a time.
func adviseWillNeed(b []byte) { syscall.Madvise(b, syscall.MADV_WILLNEED) }
