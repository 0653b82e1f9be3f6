package store

import (
	"encoding/binary"
	"math/bits"
)

// Codes, and the small per-row tags of shredded columns, are stored
// bit-packed and uncompressed: w bits per row in little-endian 64-bit
// words, w a power of two so that no value straddles two words. A filter
// reads the code of any row directly, without decompressing a page,
// tests whole words of codes through a table, and a selective filter
// touches only the rows still in question.

// packWidth is the bits needed for values below n, rounded up to a power
// of two.
func packWidth(n int) int {
	w := max(1, bits.Len(uint(n-1)))
	return 1 << bits.Len(uint(w-1))
}

// packedSize is the byte size of n values of w bits.
func packedSize(n, w int) int { return (n*w + 63) / 64 * 8 }

func appendPacked(b []byte, vals []uint32, w int) []byte {
	words := make([]uint64, (len(vals)*w+63)/64)
	for i, v := range vals {
		bit := i * w
		words[bit>>6] |= uint64(v) << uint(bit&63)
	}
	for _, x := range words {
		b = binary.LittleEndian.AppendUint64(b, x)
	}
	return b
}

// packed reads w-bit values.
type packed struct {
	words []uint64
	w     uint
	mask  uint64
}

// readPacked reads n values of width w from page bytes.
func readPacked(b []byte, n, w int) (packed, error) {
	if w < 1 || w > 32 || w&(w-1) != 0 || len(b) != packedSize(n, w) {
		return packed{}, errPage
	}
	words := make([]uint64, len(b)/8)
	for i := range words {
		words[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	return packed{words: words, w: uint(w), mask: 1<<uint(w) - 1}, nil
}

func (p packed) get(i int) uint32 {
	bit := uint(i) * p.w
	return uint32(p.words[bit>>6] >> (bit & 63) & p.mask)
}

// selectCodes sets in out the rows [0, n) whose code c has pass[c]; pass
// has an entry for every w-bit value.
func (p packed) selectCodes(pass []bool, n int, out bitset) {
	if p.w > 8 {
		for i := 0; i < n; i++ {
			if pass[p.get(i)] {
				out.set(i)
			}
		}
		return
	}
	// A table gives the pass bits of the 8/w codes of one byte.
	per := 8 / p.w
	var table [256]uint64
	for b := 0; b < 256; b++ {
		var m uint64
		for k := uint(0); k < per; k++ {
			if pass[(uint64(b)>>(k*p.w))&p.mask] {
				m |= 1 << k
			}
		}
		table[b] = m
	}
	for wi := range out {
		var sel uint64
		shift := uint(0)
		for j := uint(0); j < p.w; j++ {
			k := uint(wi)*p.w + j
			if k >= uint(len(p.words)) {
				break
			}
			x := p.words[k]
			for by := 0; by < 8; by++ {
				sel |= table[x&0xff] << shift
				x >>= 8
				shift += per
			}
		}
		out[wi] = sel
	}
	if r := n % 64; r != 0 {
		out[len(out)-1] &= 1<<uint(r) - 1
	}
}
