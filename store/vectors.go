package store

import (
	"encoding/binary"
	"errors"
	"math"
	"unsafe"

	"hunt/kql/types"
)

// The decoded bytes of a page hold one vector of values:
//
//	int-backed (int, long, datetime, timespan): n deltas from the previous value (the first from 0), int64 little-endian
//	real: n IEEE 754 bits, little-endian
//	bool: a bitmap, bit i of byte i/8 for row i
//	guid: n × 16 bytes
//	string: n uvarint lengths, then the bytes
//	dynamic: n uvarint lengths, then the encoded values (dynenc.go)
//
// Null rows hold a zero value; the chunk's null bitmap says which they
// are. Deltas make time columns compress to almost nothing.

var errPage = errors.New("damaged page")

func appendInts(b []byte, v []int64) []byte {
	prev := int64(0)
	for _, x := range v {
		b = binary.LittleEndian.AppendUint64(b, uint64(x-prev))
		prev = x
	}
	return b
}

func decodeInts(b []byte, n int) ([]int64, error) {
	if len(b) != 8*n {
		return nil, errPage
	}
	dst := make([]int64, 0, n)
	prev := int64(0)
	for i := 0; i < n; i++ {
		prev += int64(binary.LittleEndian.Uint64(b[8*i:]))
		dst = append(dst, prev)
	}
	return dst, nil
}

func appendReals(b []byte, v []float64) []byte {
	for _, x := range v {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x))
	}
	return b
}

func decodeReals(b []byte, n int) ([]float64, error) {
	if len(b) != 8*n {
		return nil, errPage
	}
	dst := make([]float64, 0, n)
	for i := 0; i < n; i++ {
		dst = append(dst, math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:])))
	}
	return dst, nil
}

func appendBools(b []byte, v []bool) []byte {
	start := len(b)
	b = append(b, make([]byte, (len(v)+7)/8)...)
	for i, x := range v {
		if x {
			b[start+i/8] |= 1 << (i % 8)
		}
	}
	return b
}

func decodeBools(b []byte, n int) ([]bool, error) {
	if len(b) != (n+7)/8 {
		return nil, errPage
	}
	dst := make([]bool, 0, n)
	for i := 0; i < n; i++ {
		dst = append(dst, b[i/8]&(1<<(i%8)) != 0)
	}
	return dst, nil
}

func appendGuids(b []byte, v []types.GuidVal) []byte {
	for _, g := range v {
		b = append(b, g[:]...)
	}
	return b
}

func decodeGuids(b []byte, n int) ([]types.GuidVal, error) {
	if len(b) != 16*n {
		return nil, errPage
	}
	dst := make([]types.GuidVal, 0, n)
	for i := 0; i < n; i++ {
		var g types.GuidVal
		copy(g[:], b[16*i:])
		dst = append(dst, g)
	}
	return dst, nil
}

// appendBytesVec appends n length-prefixed byte strings, lengths first.
func appendBytesVec(b []byte, n int, item func(i int) []byte) []byte {
	for i := 0; i < n; i++ {
		b = binary.AppendUvarint(b, uint64(len(item(i))))
	}
	for i := 0; i < n; i++ {
		b = append(b, item(i)...)
	}
	return b
}

// spans decodes the layout of a bytes vector: the end offset of each
// item within data. The item i is data[ends[i-1]:ends[i]].
func spans(b []byte, n int, ends []uint32) (data []byte, _ []uint32, err error) {
	if n > len(b) {
		return nil, nil, errPage // every item has a length byte
	}
	if ends == nil {
		ends = make([]uint32, 0, n)
	}
	pos := 0
	total := uint64(0)
	for i := 0; i < n; i++ {
		l, m := binary.Uvarint(b[pos:])
		if m <= 0 {
			return nil, nil, errPage
		}
		pos += m
		total += l
		if total > uint64(len(b)) {
			return nil, nil, errPage
		}
		ends = append(ends, uint32(total))
	}
	if uint64(len(b)-pos) != total {
		return nil, nil, errPage
	}
	return b[pos:], ends, nil
}

// decodeStrings decodes a string vector. The strings share one copy of
// the page's bytes.
func decodeStrings(b []byte, n int) ([]string, error) {
	data, ends, err := spans(b, n, nil)
	if err != nil {
		return nil, err
	}
	dst := make([]string, 0, n)
	all := string(data)
	start := uint32(0)
	for _, e := range ends {
		dst = append(dst, all[start:e])
		start = e
	}
	return dst, nil
}

// bytesString views b as a string without copying; b must not change
// while the string is in use.
func bytesString(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}
