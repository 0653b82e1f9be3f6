package source

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
)

// parquet-go trusts a page header's sizes and counts: it allocates a
// buffer of compressed_page_size before reading the page,
// uncompressed_page_size before decompressing it, num_values levels
// before decoding them, and a snappy block's own length when it is more.
// In a hostile file a header of a few bytes can ask for gigabytes, so
// every page header of a column chunk is checked (checkChunkPages)
// before parquet-go reads the chunk: the page must lie inside the chunk
// and the file, and its sizes and counts must be ones its bytes can
// hold.

// pqMaxPage bounds a page's decoded size, and pqMaxPageValues the values
// (nulls included) of one page: far above what writers produce (pages
// of about 1 MB and 20,000 rows), far below what would exhaust memory.
const (
	pqMaxPage       = 512 << 20
	pqMaxPageValues = 1 << 26
)

// errPqCorrupt is returned for pages that cannot be what they claim.
var errPqCorrupt = errors.New("corrupt page header")

// pqMaxInflate is the most a codec can decode n bytes into (-1 when the
// codec has no such bound).
func pqMaxInflate(codec format.CompressionCodec, n int64) int64 {
	switch codec {
	case format.Uncompressed:
		return n
	case format.Snappy:
		// A 3-byte copy yields at most 64 bytes.
		return 22*n + 64
	case format.Gzip:
		return 1032*n + 1024
	case format.Lz4, format.Lz4Raw:
		return 256*n + 1024
	}
	return -1
}

// pqCheckSizes checks a page's compressed size against the bytes left
// in its chunk and its uncompressed size against what its codec can
// decode from it.
func pqCheckSizes(h *format.PageHeader, codec format.CompressionCodec, left int64) error {
	c, u := int64(h.CompressedPageSize), int64(h.UncompressedPageSize)
	if c < 0 || u < 0 || c > left {
		return fmt.Errorf("%w: page of %d bytes with %d bytes left in the column chunk", errPqCorrupt, c, left)
	}
	if u > pqMaxPage {
		return fmt.Errorf("%w: page of %d bytes decoded (at most %d)", errPqCorrupt, u, pqMaxPage)
	}
	if max := pqMaxInflate(codec, c); max >= 0 && u > max && codec != format.Uncompressed {
		return fmt.Errorf("%w: %d bytes cannot decode to %d", errPqCorrupt, c, u)
	}
	return nil
}

// pqEntryBits is the least number of bits a PLAIN value of a column's
// type takes.
func pqEntryBits(t format.Type, typeLength int32) int64 {
	switch t {
	case format.Boolean:
		return 1
	case format.Int32, format.Float, format.ByteArray:
		return 32
	case format.Int64, format.Double:
		return 64
	case format.Int96:
		return 96
	case format.FixedLenByteArray:
		return 8 * max(int64(typeLength), 1)
	}
	return 8
}

// pqSnappyLen reads the decoded length a snappy block starts with.
func pqSnappyLen(b []byte) (int64, bool) {
	v, n := binary.Uvarint(b)
	if n <= 0 || v > 1<<32 {
		return 0, false
	}
	return int64(v), true
}

// checkChunkPages reads the page headers of a column chunk from r, a file
// of size bytes, and checks them as parquet-go will trust them. rows is
// the row group's row count; flat says the column is neither repeated
// nor nested, so that each of its pages has a value (or null) per row.
func checkChunkPages(r io.ReaderAt, size int64, md *format.ColumnMetaData, typeLength int32, rows int64, flat bool) error {
	start := md.DataPageOffset
	if md.DictionaryPageOffset != 0 { // where parquet-go starts
		start = md.DictionaryPageOffset
	}
	n := md.TotalCompressedSize
	if start < 0 || n < 0 || start > size || n > size-start {
		return fmt.Errorf("%w: column chunk at %d+%d lies outside the file (%d bytes)", errPqCorrupt, start, n, size)
	}
	end := start + n
	var values int64
	buf := make([]byte, 0, 512)
	for off := start; off < end; {
		if flat && values >= rows {
			break // parquet-go reads no further
		}
		h, hlen, data, err := readPageHeader(r, off, end, &buf)
		if err != nil {
			return err
		}
		left := end - off - hlen
		if err := pqCheckSizes(h, md.Codec, left); err != nil {
			return err
		}
		c, u := int64(h.CompressedPageSize), int64(h.UncompressedPageSize)
		var num, levels int64
		compressed := md.Codec != format.Uncompressed
		switch {
		case h.Type == format.DictionaryPage && h.DictionaryPageHeader.Valid:
			num = int64(h.DictionaryPageHeader.V.NumValues)
			if num < 0 || num > (8*u)/pqEntryBits(md.Type, typeLength)+1 {
				return fmt.Errorf("%w: %d dictionary entries in %d bytes", errPqCorrupt, num, u)
			}
			num = 0 // not a row's value
		case h.Type == format.DataPage && h.DataPageHeader.Valid:
			num = int64(h.DataPageHeader.V.NumValues)
		case h.Type == format.DataPageV2 && h.DataPageHeaderV2.Valid:
			v := &h.DataPageHeaderV2.V
			num = int64(v.NumValues)
			if v.NumRows < 0 || v.NumNulls < 0 || v.NumNulls > v.NumValues {
				return fmt.Errorf("%w: %d rows, %d nulls of %d values", errPqCorrupt, v.NumRows, v.NumNulls, v.NumValues)
			}
			levels = int64(v.RepetitionLevelsByteLength) + int64(v.DefinitionLevelsByteLength)
			if v.RepetitionLevelsByteLength < 0 || v.DefinitionLevelsByteLength < 0 || levels > c || levels > u {
				return fmt.Errorf("%w: %d bytes of levels in a page of %d", errPqCorrupt, levels, c)
			}
			if v.IsCompressed.Valid && !v.IsCompressed.V {
				compressed = false
			}
		}
		if num < 0 || num > pqMaxPageValues || (flat && num > rows-values) {
			return fmt.Errorf("%w: %d values in a page, %d rows left in the row group", errPqCorrupt, num, rows-values)
		}
		values += num
		if compressed && md.Codec == format.Snappy && c > levels {
			// parquet-go decodes into a buffer of the header's size, or
			// one of the size the block states when that is more.
			at := off + hlen + levels
			var head [binary.MaxVarintLen64]byte
			k := min(int64(len(head)), c-levels)
			if i := at - off; i+k <= int64(len(data)) {
				copy(head[:], data[i:i+k])
			} else if _, err := r.ReadAt(head[:k], at); err != nil {
				return err
			}
			if dl, ok := pqSnappyLen(head[:k]); !ok || dl > u-levels || dl > pqMaxInflate(format.Snappy, c-levels) {
				return fmt.Errorf("%w: snappy block of %d bytes claims %d, the page %d", errPqCorrupt, c-levels, dl, u-levels)
			}
		}
		off += hlen + c
	}
	return nil
}

// readPageHeader decodes the page header at off (before end), reading
// through *buf; it returns the header, its length, and the bytes read
// from off on.
func readPageHeader(r io.ReaderAt, off, end int64, buf *[]byte) (*format.PageHeader, int64, []byte, error) {
	for want := int64(512); ; want *= 4 {
		want = min(want, end-off)
		if int64(cap(*buf)) < want {
			*buf = make([]byte, want)
		}
		b := (*buf)[:want]
		n, err := r.ReadAt(b, off)
		if n < len(b) {
			if err == nil || err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, 0, nil, err
		}
		br := bytes.NewReader(b)
		h := new(format.PageHeader)
		derr := decodeThrift(br, h)
		if derr == nil {
			return h, want - int64(br.Len()), b, nil
		}
		if want >= end-off || want >= 16<<20 {
			return nil, 0, nil, fmt.Errorf("%w: %v", errPqCorrupt, derr)
		}
	}
}

// pqPanicError is a panic in parquet-go on a corrupt file, caught at the
// reader's boundary.
type pqPanicError struct {
	value any
	stack string
}

func (e *pqPanicError) Error() string {
	return fmt.Sprintf("corrupt Parquet file (%v)", e.value)
}

// catchParquet turns a panic in f into an error naming path. A fault on
// a mapped page is left to catchFaults.
func catchParquet(path string, f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(interface{ Addr() uintptr }); ok {
				panic(r)
			}
			buf := make([]byte, 16<<10)
			err = fmt.Errorf("%s: %w", path, &pqPanicError{value: r, stack: string(buf[:runtime.Stack(buf, false)])})
		}
	}()
	return f()
}

// inSource reports whether the panic happened in this package's own code
// rather than in parquet-go: the first frame below the runtime's.
func (e *pqPanicError) inSource() bool {
	lines := strings.Split(e.stack, "\n")
	seenPanic := false
	for _, l := range lines {
		if strings.HasPrefix(l, "panic(") {
			seenPanic = true
			continue
		}
		if !seenPanic || strings.HasPrefix(l, "\t") || strings.HasPrefix(l, "runtime.") {
			continue
		}
		return strings.HasPrefix(l, "hunt/source.")
	}
	return false
}

// decodeLevels decodes at most n levels of bitWidth bits from the
// RLE/bit-packed hybrid encoding in src, appending them to dst. Unlike
// rle.Encoding.DecodeLevels it stops at n, so a run of billions of
// levels stated in a few bytes costs nothing.
func decodeLevels(dst, src []byte, bitWidth, n int) ([]byte, error) {
	if bitWidth < 1 || bitWidth > 8 {
		return dst, fmt.Errorf("%w: levels of %d bits", errPqCorrupt, bitWidth)
	}
	want := len(dst) + n
	for i := 0; len(dst) < want; {
		if i >= len(src) {
			return dst, nil // the caller sees the levels missing
		}
		u, k := binary.Uvarint(src[i:])
		if k <= 0 {
			return dst, fmt.Errorf("%w: bad level run header", errPqCorrupt)
		}
		i += k
		if u&1 == 1 { // bit-packed groups of 8
			groups := u >> 1
			nbytes := groups * uint64(bitWidth)
			if groups > uint64(len(src)) || nbytes > uint64(len(src)-i) {
				return dst, fmt.Errorf("%w: bit-packed levels past the end", errPqCorrupt)
			}
			mask := byte(1<<bitWidth - 1)
			block := src[i : i+int(nbytes)]
			for v := 0; v < int(groups)*8 && len(dst) < want; v++ {
				bit := v * bitWidth
				x := uint16(block[bit/8])
				if bit/8+1 < len(block) {
					x |= uint16(block[bit/8+1]) << 8
				}
				dst = append(dst, byte(x>>(bit%8))&mask)
			}
			i += int(nbytes)
			continue
		}
		count := u >> 1
		if i >= len(src) {
			return dst, fmt.Errorf("%w: level run without its value", errPqCorrupt)
		}
		v := src[i] // bitWidth <= 8: one byte
		i++
		m := int(min(count, uint64(want-len(dst))))
		for range m {
			dst = append(dst, v)
		}
	}
	return dst, nil
}

// checkParquetMeta checks what parquet-go's footer leaves unchecked and
// the reader indexes by: each row group has a column chunk per leaf.
func checkParquetMeta(pf *parquet.File) error {
	n := 0
	var count func(c *parquet.Column)
	count = func(c *parquet.Column) {
		if c.Leaf() {
			n++
			return
		}
		for _, k := range c.Columns() {
			count(k)
		}
	}
	count(pf.Root())
	for i, g := range pf.Metadata().RowGroups {
		if len(g.Columns) != n {
			return fmt.Errorf("%w: row group %d has %d column chunks, the schema %d leaves", errPqCorrupt, i, len(g.Columns), n)
		}
		if g.NumRows < 0 {
			return fmt.Errorf("%w: row group %d has %d rows", errPqCorrupt, i, g.NumRows)
		}
	}
	return nil
}

// decodeThrift decodes v from the compact thrift in br. parquet-go's
// reader allocates a string, binary or list of the length the input
// states before reading it; here a length longer than what is left of
// br is an error instead.
func decodeThrift(br *bytes.Reader, v any) error {
	r := boundedThrift{thriftReader: new(thrift.CompactProtocol).NewReader(br), br: br}
	return thrift.NewDecoder(r).Decode(v)
}

type thriftReader = thrift.Reader

type boundedThrift struct {
	thriftReader
	br *bytes.Reader
}

var errThriftLength = fmt.Errorf("%w: length past the end of the thrift data", errPqCorrupt)

func (r boundedThrift) ReadLength() (int, error) {
	n, err := r.thriftReader.ReadLength()
	if err == nil && n > r.br.Len() {
		return 0, errThriftLength
	}
	return n, err
}

func (r boundedThrift) ReadBytes() ([]byte, error) {
	n, err := r.ReadLength()
	if err != nil {
		return nil, err
	}
	b := make([]byte, n)
	_, err = io.ReadFull(r.br, b)
	return b, err
}

func (r boundedThrift) ReadString() (string, error) {
	b, err := r.ReadBytes()
	return string(b), err
}

func (r boundedThrift) ReadList() (thrift.List, error) {
	l, err := r.thriftReader.ReadList()
	if err == nil && int64(l.Size) > int64(r.br.Len()) {
		return l, errThriftLength
	}
	return l, err
}

func (r boundedThrift) ReadSet() (thrift.Set, error) {
	l, err := r.thriftReader.ReadSet()
	if err == nil && int64(l.Size) > int64(r.br.Len()) {
		return l, errThriftLength
	}
	return l, err
}

func (r boundedThrift) ReadMap() (thrift.Map, error) {
	m, err := r.thriftReader.ReadMap()
	if err == nil && int64(m.Size) > int64(r.br.Len()) {
		return m, errThriftLength
	}
	return m, err
}

// checkFooter decodes the file's footer as parquet-go will, but with
// lengths bounded by the footer's size, before parquet-go trusts them.
func checkFooter(r io.ReaderAt, size int64) error {
	var tail [8]byte
	if size < 12 {
		return nil // parquet-go rejects it
	}
	if _, err := r.ReadAt(tail[:], size-8); err != nil {
		return err
	}
	n := int64(binary.LittleEndian.Uint32(tail[:4]))
	if n > size-8 || string(tail[4:]) != "PAR1" {
		return nil // parquet-go rejects it (or it is encrypted)
	}
	buf := make([]byte, n)
	if _, err := r.ReadAt(buf, size-8-n); err != nil {
		return err
	}
	var md format.FileMetaData
	if err := decodeThrift(bytes.NewReader(buf), &md); err != nil {
		return fmt.Errorf("footer: %w", err)
	}
	return nil
}
