//go:build !unix

package source

// growOffHeap returns a buffer of at least n bytes, reusing b when it is
// big enough (on the heap where mapping memory is not available).
func growOffHeap(b []byte, n int) ([]byte, error) {
	if cap(b) >= n {
		return b[:cap(b)], nil
	}
	return make([]byte, n), nil
}

func freeOffHeap([]byte) {}
