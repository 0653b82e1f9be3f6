package store

import "math/bits"

// bitset is a fixed-size set of the rows of one block.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

// fullBitset returns the set of rows [0, n).
func fullBitset(n int) bitset {
	b := newBitset(n)
	for i := range b {
		b[i] = ^uint64(0)
	}
	if r := n % 64; r != 0 {
		b[len(b)-1] = 1<<r - 1
	}
	return b
}

func (b bitset) set(i int)      { b[i>>6] |= 1 << (uint(i) & 63) }
func (b bitset) get(i int) bool { return b[i>>6]&(1<<(uint(i)&63)) != 0 }

func (b bitset) and(o bitset) {
	for i := range b {
		b[i] &= o[i]
	}
}

func (b bitset) or(o bitset) {
	for i := range b {
		b[i] |= o[i]
	}
}

func (b bitset) count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

func (b bitset) empty() bool {
	for _, w := range b {
		if w != 0 {
			return false
		}
	}
	return true
}

// rows appends the members in ascending order.
func (b bitset) rows(dst []int32) []int32 {
	for i, w := range b {
		for w != 0 {
			t := bits.TrailingZeros64(w)
			dst = append(dst, int32(i*64+t))
			w &= w - 1
		}
	}
	return dst
}

// bitmapBytes reads a little-endian bitmap of n rows into a bitset.
func bitmapBytes(p []byte, n int) (bitset, error) {
	if len(p) != (n+7)/8 {
		return nil, errPage
	}
	out := newBitset(n)
	for i, c := range p {
		out[i/8] |= uint64(c) << (8 * (i % 8))
	}
	return out, nil
}

// bitIndex returns the position of the single bit set in word.
func bitIndex(word uint64) int { return bits.TrailingZeros64(word) }
