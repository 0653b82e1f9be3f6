//go:build unix

package source

import (
	"fmt"
	"syscall"
)

// growOffHeap returns a buffer of at least n bytes mapped outside the Go
// heap, reusing b when it is big enough: memory the collector does not
// count toward its goal and that is returned to the system when freed.
func growOffHeap(b []byte, n int) ([]byte, error) {
	if cap(b) >= n {
		return b[:cap(b)], nil
	}
	freeOffHeap(b)
	size := (n + n/8 + pageSize - 1) &^ (pageSize - 1)
	m, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil, fmt.Errorf("mapping a %d-byte page buffer: %w", size, err)
	}
	return m, nil
}

func freeOffHeap(b []byte) {
	if cap(b) > 0 {
		syscall.Munmap(b[:cap(b)])
	}
}
