package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"sync"

	"github.com/klauspost/compress/zstd"

	"hunt/engine/vec"
	"hunt/kql/types"
)

// A part file (.hcol) is
//
//	magic "HCOLPART" | pages ... | footer | footer length (u32) | footer CRC-32C (u32) | magic "HCOLEND1"
//
// Pages are compressed byte blobs; the footer (encoded with wbuf, read
// with rbuf) says where each page is and what it holds: the part's
// columns, then its blocks of rows, each with one chunk per column.
// Every page carries its CRC-32C, so damage is reported, not decoded.
const (
	partMagic     = "HCOLPART"
	partEndMagic  = "HCOLEND1"
	formatVersion = 1
	trailerLen    = 16
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Page codecs.
const (
	codecRaw  byte = 0
	codecZstd byte = 1
)

// pageRef locates one page in a part file.
type pageRef struct {
	off, size, raw uint64 // file offset, stored size, decoded size
	codec          byte
	crc            uint32 // CRC-32C of the stored bytes
}

// Chunk encodings.
const (
	encAbsent byte = iota // the part lacks the column: null (or "") in every row
	encPlain              // values in pages
	encDict               // a dictionary page and a page of codes
)

// page is one page of a plain chunk: rows [first, first+rows) of the block.
type page struct {
	rows     int
	ref      pageRef
	min, max int64 // int columns: over the page's non-null values
	hasRange bool
}

// chunk is one column of one block.
type chunk struct {
	enc   byte
	nulls *pageRef // bitmap of null rows, for types with nulls; nil when none
	// Range of the non-null values, for int-backed columns (long,
	// datetime, …), when there is any.
	hasRange bool
	min, max int64

	pages []page // encPlain

	dict  []page // encDict: the distinct values, in pages of entries
	ndict int
	width byte     // bits per code, 1 to 32 (packed.go)
	codes *pageRef // nil when ndict == 1: every row has code 0

	index *pageRef // term index of a plain string chunk

	// Dynamic columns whose rows hold bags: a tag per row (shapeNotBag,
	// shapeShredded, shapeMore), packed in tagBits, and the shredded
	// top-level keys.
	shape *pageRef
	subs  []subColumn
}

// tagBits is the width of the packed shape and kind tags.
const tagBits = 2

// Row shapes of a dynamic column with shredded keys.
const (
	shapeNotBag   = 0 // null, or not a property bag
	shapeShredded = 1 // a bag whose keys are all shredded
	shapeMore     = 2 // a bag with keys that are not shredded
)

// Kinds of a shredded key's value in a row.
const (
	kindAbsent = 0 // no such key, or the row is not a bag
	kindString = 1 // a string, in strs
	kindOther  = 2 // anything else (null included), in other
)

// subColumn is one shredded top-level key of a dynamic column.
type subColumn struct {
	key   string
	kinds *pageRef // a tag per row, packed in tagBits; nil when every row is kindString
	strs  *chunk   // string chunk: the string values, "" elsewhere
	other *chunk   // dynamic chunk: the other values, null elsewhere; nil when none
}

// block is a run of rows of a part, the unit of pruning and of work.
type block struct {
	rows   int
	chunks []*chunk // by column of the part; nil until decoded (partFile.chunk)
	descs  [][]byte // the encoded chunks, by column
}

// footer describes a whole part file. The chunks of each block are
// decoded only when a scan asks for them: a part has many columns (and
// shredded keys) and a query reads a few.
type footer struct {
	rows     int
	cols     vec.Schema
	blocks   []*block
	maxTerm  int    // longest term the term indexes hold, in bytes
	dataSize uint64 // bytes before the footer, where pages may be
}

// ---- zstd ------------------------------------------------------------------

// maxPage bounds a page's decoded size, so that a damaged size cannot ask
// for unbounded memory. The decoder never writes past the size the footer
// gives (WithDecodeAllCapLimit). A variable so that the fuzz test can
// lower it.
var maxPage uint64 = 256 << 20

var (
	zdecOnce sync.Once
	zdec     *zstd.Decoder
	zdecErr  error
)

func decoder() (*zstd.Decoder, error) {
	zdecOnce.Do(func() {
		zdec, zdecErr = zstd.NewReader(nil, zstd.WithDecoderConcurrency(0), zstd.WithDecoderMaxMemory(256<<20), zstd.WithDecodeAllCapLimit(true))
	})
	return zdec, zdecErr
}

// ---- footer encoding ----------------------------------------------------------

// wbuf appends the footer's fields.
type wbuf struct{ b []byte }

func (w *wbuf) uvarint(x uint64) { w.b = binary.AppendUvarint(w.b, x) }
func (w *wbuf) varint(x int64)   { w.b = binary.AppendVarint(w.b, x) }
func (w *wbuf) byte1(x byte)     { w.b = append(w.b, x) }
func (w *wbuf) str(s string)     { w.uvarint(uint64(len(s))); w.b = append(w.b, s...) }
func (w *wbuf) bool1(x bool) {
	if x {
		w.byte1(1)
	} else {
		w.byte1(0)
	}
}

func (w *wbuf) ref(r pageRef) {
	w.uvarint(r.off)
	w.uvarint(r.size)
	w.uvarint(r.raw)
	w.byte1(r.codec)
	w.b = binary.LittleEndian.AppendUint32(w.b, r.crc)
}

func (w *wbuf) optRef(r *pageRef) {
	w.bool1(r != nil)
	if r != nil {
		w.ref(*r)
	}
}

func (w *wbuf) footer(f *footer) {
	w.uvarint(formatVersion)
	w.uvarint(uint64(f.rows))
	w.uvarint(uint64(f.maxTerm))
	w.uvarint(uint64(len(f.cols)))
	for _, c := range f.cols {
		w.str(c.Name)
		w.byte1(byte(c.Type))
	}
	w.uvarint(uint64(len(f.blocks)))
	var descs wbuf
	for _, b := range f.blocks {
		w.uvarint(uint64(b.rows))
		for _, c := range b.chunks {
			start := len(descs.b)
			descs.chunk(c)
			w.uvarint(uint64(len(descs.b) - start))
		}
	}
	w.b = append(w.b, descs.b...)
}

func (w *wbuf) chunk(c *chunk) {
	w.byte1(c.enc)
	if c.enc == encAbsent {
		return
	}
	w.optRef(c.nulls)
	w.bool1(c.hasRange)
	if c.hasRange {
		w.varint(c.min)
		w.varint(c.max)
	}
	switch c.enc {
	case encPlain:
		w.uvarint(uint64(len(c.pages)))
		for _, p := range c.pages {
			w.uvarint(uint64(p.rows))
			w.ref(p.ref)
			w.bool1(p.hasRange)
			if p.hasRange {
				w.varint(p.min)
				w.varint(p.max)
			}
		}
		w.optRef(c.index)
	case encDict:
		w.uvarint(uint64(len(c.dict)))
		for _, p := range c.dict {
			w.uvarint(uint64(p.rows))
			w.ref(p.ref)
		}
		w.uvarint(uint64(c.ndict))
		w.byte1(c.width)
		w.optRef(c.codes)
	}
	w.optRef(c.shape)
	w.uvarint(uint64(len(c.subs)))
	for _, s := range c.subs {
		w.str(s.key)
		w.optRef(s.kinds)
		w.chunk(s.strs)
		w.bool1(s.other != nil)
		if s.other != nil {
			w.chunk(s.other)
		}
	}
}

// rbuf reads the footer; the first error sticks and later reads return
// zero values, so decoding code checks once at the end.
type rbuf struct {
	b   []byte
	err error
}

var errFooter = errors.New("damaged footer")

func (r *rbuf) fail() {
	if r.err == nil {
		r.err = errFooter
	}
	r.b = nil
}

func (r *rbuf) uvarint() uint64 {
	x, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return x
}

// count reads a count of items that each take at least one byte, so a
// damaged count cannot allocate more than the footer's size.
func (r *rbuf) count() int {
	x := r.uvarint()
	if x > uint64(len(r.b)) {
		r.fail()
		return 0
	}
	return int(x)
}

// size reads a row count, bounded by the largest block a writer makes.
func (r *rbuf) size(limit int) int {
	x := r.uvarint()
	if x > uint64(limit) {
		r.fail()
		return 0
	}
	return int(x)
}

func (r *rbuf) varint() int64 {
	x, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return x
}

func (r *rbuf) byte1() byte {
	if len(r.b) < 1 {
		r.fail()
		return 0
	}
	x := r.b[0]
	r.b = r.b[1:]
	return x
}

func (r *rbuf) bool1() bool {
	switch r.byte1() {
	case 0:
		return false
	case 1:
		return true
	}
	r.fail()
	return false
}

func (r *rbuf) str() string {
	n := r.count()
	if r.err != nil {
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *rbuf) ref(fileSize uint64) pageRef {
	p := pageRef{off: r.uvarint(), size: r.uvarint(), raw: r.uvarint(), codec: r.byte1()}
	if len(r.b) < 4 {
		r.fail()
		return pageRef{}
	}
	p.crc = binary.LittleEndian.Uint32(r.b)
	r.b = r.b[4:]
	if p.off < uint64(len(partMagic)) || p.size > fileSize || p.off > fileSize-p.size || p.raw > maxPage || p.codec > codecZstd ||
		(p.codec == codecRaw && p.raw != p.size) {
		r.fail()
	}
	return p
}

func (r *rbuf) optRef(fileSize uint64) *pageRef {
	if !r.bool1() {
		return nil
	}
	p := r.ref(fileSize)
	return &p
}

// maxBlockRows bounds the rows of a block a reader accepts.
const maxBlockRows = 1 << 20

func (r *rbuf) footer(fileSize uint64) (*footer, error) {
	if v := r.uvarint(); r.err == nil && v != formatVersion {
		return nil, fmt.Errorf("format version %d; this hunt reads version %d", v, formatVersion)
	}
	f := &footer{rows: r.size(math.MaxInt32), maxTerm: r.size(1 << 20), dataSize: fileSize}
	ncols := r.count()
	for i := 0; i < ncols && r.err == nil; i++ {
		name := r.str()
		t := types.Type(r.byte1())
		if t > types.Dynamic {
			r.fail()
		}
		f.cols = append(f.cols, vec.Column{Name: name, Type: t})
	}
	nblocks := r.count()
	total := 0
	var lens [][]int
	for i := 0; i < nblocks && r.err == nil; i++ {
		b := &block{rows: r.size(maxBlockRows), chunks: make([]*chunk, len(f.cols)), descs: make([][]byte, len(f.cols))}
		total += b.rows
		ls := make([]int, len(f.cols))
		for k := range ls {
			ls[k] = r.size(len(r.b))
		}
		lens = append(lens, ls)
		f.blocks = append(f.blocks, b)
	}
	for i, b := range f.blocks {
		for k, n := range lens[i] {
			if r.err != nil || n > len(r.b) {
				r.fail()
				break
			}
			b.descs[k] = r.b[:n]
			r.b = r.b[n:]
		}
	}
	if r.err == nil && (len(r.b) != 0 || total != f.rows) {
		r.fail()
	}
	if r.err != nil {
		return nil, r.err
	}
	return f, nil
}

// decodeChunk decodes the chunk of column ci of block b.
func (f *footer) decodeChunk(b *block, ci int) (*chunk, error) {
	r := rbuf{b: b.descs[ci]}
	c := r.chunk(f.dataSize, f.cols[ci].Type, b.rows, 0)
	if r.err == nil && len(r.b) != 0 {
		r.fail()
	}
	if r.err != nil {
		return nil, r.err
	}
	return c, nil
}

func (r *rbuf) chunk(fileSize uint64, t types.Type, rows, depth int) *chunk {
	c := &chunk{enc: r.byte1()}
	if c.enc == encAbsent || r.err != nil {
		return c
	}
	c.nulls = r.optRef(fileSize)
	if c.hasRange = r.bool1(); c.hasRange {
		c.min, c.max = r.varint(), r.varint()
	}
	switch c.enc {
	case encPlain:
		n := r.count()
		total := 0
		for i := 0; i < n && r.err == nil; i++ {
			p := page{rows: r.size(maxBlockRows), ref: r.ref(fileSize)}
			if p.hasRange = r.bool1(); p.hasRange {
				p.min, p.max = r.varint(), r.varint()
			}
			total += p.rows
			c.pages = append(c.pages, p)
		}
		if total != rows {
			r.fail()
		}
		c.index = r.optRef(fileSize)
	case encDict:
		n := r.count()
		total := 0
		for i := 0; i < n && r.err == nil; i++ {
			p := page{rows: r.size(maxBlockRows), ref: r.ref(fileSize)}
			if p.rows == 0 {
				r.fail()
			}
			total += p.rows
			c.dict = append(c.dict, p)
		}
		c.ndict = r.size(maxBlockRows)
		if total != c.ndict {
			r.fail()
		}
		c.width = r.byte1()
		c.codes = r.optRef(fileSize)
		if c.ndict == 0 || int(c.width) != packWidth(c.ndict) || (c.codes == nil && c.ndict != 1) ||
			(c.codes != nil && c.codes.raw != uint64(packedSize(rows, int(c.width)))) {
			r.fail()
		}
	default:
		r.fail()
	}
	c.shape = r.optRef(fileSize)
	nsubs := r.count()
	if nsubs > 0 && (t != types.Dynamic || depth > 0 || c.shape == nil) {
		r.fail()
	}
	for i := 0; i < nsubs && r.err == nil; i++ {
		s := subColumn{key: r.str(), kinds: r.optRef(fileSize)}
		s.strs = r.chunk(fileSize, types.String, rows, depth+1)
		if r.bool1() {
			s.other = r.chunk(fileSize, types.Dynamic, rows, depth+1)
		}
		c.subs = append(c.subs, s)
	}
	return c
}
