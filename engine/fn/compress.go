package fn

// gzip_compress_to_base64_string, zlib_compress_to_base64_string,
// hash_many and hash_combine.
//
// Decisions where the reference is silent:
//   - Compression uses deflate at its fastest level (Kusto's zlib header,
//     78 01, says it does too) and falls back to stored blocks when they
//     are not larger, which is what Kusto's examples show for short text:
//     the documented outputs are reproduced byte for byte. Longer,
//     compressible text can compress to other bytes than Kusto's; every
//     decompressor reads them back to the same text. The gzip header
//     carries no time or name and OS byte 255, as Kusto's does.
//   - hash_combine(h1, h2, ...) folds left with XXH64 over the
//     little-endian bytes of the running value and the next hash;
//     hash_many(v1, v2, ...) is hash_combine(hash(v1), hash(v2), ...) with
//     a null value hashing to 0. Kusto does not document its combination
//     (the page warns it may change) and hunt's values differ from the
//     page's example; they are stable across hunt runs.

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"encoding/binary"
	"hash/adler32"
	"hash/crc32"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

func init() {
	RegisterScalar("gzip_compress_to_base64_string", strFixed(strMapS(func(s string) string { return strCompress(s, true) })))
	RegisterScalar("zlib_compress_to_base64_string", strFixed(strMapS(func(s string) string { return strCompress(s, false) })))
	RegisterScalar("hash_combine", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
			xs := make([]*vec.Vec, len(a))
			for k := range a {
				xs[k] = convCast(a[k], types.Long, n)
			}
			m, c := coreRows(n, xs...)
			out := &vec.Vec{Type: types.Long, Const: c, Ints: make([]int64, m)}
			for i := 0; i < m; i++ {
				h := uint64(xs[0].Ints[xs[0].Row(i)])
				for _, x := range xs[1:] {
					h = strHashCombine(h, uint64(x.Ints[x.Row(i)]))
				}
				out.Ints[i] = int64(h)
			}
			coreOrNulls(out, m, xs...)
			return out, nil
		}, nil
	})
	RegisterScalar("hash_many", strFixed(strEach(types.Long, func(a []*vec.Vec, i int, out *vec.Vec) error {
		var h uint64
		var buf []byte
		for k, x := range a {
			var hk uint64
			if x.Type == types.String || !x.IsNull(i) {
				buf = strHashBytes(buf[:0], x, i)
				hk = strXXH64(buf)
			}
			if k == 0 {
				h = hk
			} else {
				h = strHashCombine(h, hk)
			}
		}
		out.Ints = append(out.Ints, int64(h))
		return nil
	})))
}

func strHashCombine(a, b uint64) uint64 {
	var buf [16]byte
	binary.LittleEndian.PutUint64(buf[:8], a)
	binary.LittleEndian.PutUint64(buf[8:], b)
	return strXXH64(buf[:])
}

// strCompress compresses s and returns the base64 of the gzip (gz) or
// zlib stream.
func strCompress(s string, gz bool) string {
	var out bytes.Buffer
	if gz {
		out.Write([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff})
	} else {
		out.Write([]byte{0x78, 0x01})
	}
	out.Write(strDeflate([]byte(s)))
	if gz {
		var tail [8]byte
		binary.LittleEndian.PutUint32(tail[:4], crc32.ChecksumIEEE([]byte(s)))
		binary.LittleEndian.PutUint32(tail[4:], uint32(len(s)))
		out.Write(tail[:])
	} else {
		var tail [4]byte
		binary.BigEndian.PutUint32(tail[:], adler32.Checksum([]byte(s)))
		out.Write(tail[:])
	}
	return base64.StdEncoding.EncodeToString(out.Bytes())
}

// strDeflate returns the raw deflate stream of b: compressed at the
// fastest level, or stored when that is not larger.
func strDeflate(b []byte) []byte {
	var z bytes.Buffer
	w, _ := flate.NewWriter(&z, flate.BestSpeed)
	w.Write(b)
	w.Close()
	blocks := (len(b) + 65534) / 65535
	if blocks == 0 {
		blocks = 1
	}
	if z.Len() < len(b)+5*blocks {
		return z.Bytes()
	}
	stored := make([]byte, 0, len(b)+5*blocks)
	for k := 0; k < blocks; k++ {
		chunk := b[k*65535 : min(len(b), (k+1)*65535)]
		final := byte(0)
		if k == blocks-1 {
			final = 1
		}
		stored = append(stored, final)
		stored = binary.LittleEndian.AppendUint16(stored, uint16(len(chunk)))
		stored = binary.LittleEndian.AppendUint16(stored, ^uint16(len(chunk)))
		stored = append(stored, chunk...)
	}
	return stored
}
