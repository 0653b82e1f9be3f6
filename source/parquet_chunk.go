package source

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"

	"github.com/klauspost/compress/snappy"
	"github.com/parquet-go/parquet-go/format"
)

// pqChunk reads the pages of a flat, PLAIN-encoded byte-array column
// chunk itself, into buffers it keeps for the reader's life and that
// live outside the Go heap. Through parquet-go such a chunk's pages
// (RawEventData's is ~15 MB compressed, ~60 MB decoded per row group)
// come from size-bucketed sync.Pools, so each worker held up to half
// again the page in pooled buffers and the collector let the heap grow
// to twice all of them; the peak RSS was several times the page size.
//
// The chunk as stored is read through a memory map of the file when the
// system has one: copying it out of the page cache with pread was a
// tenth of a Parquet run's CPU time, as much as everything but snappy
// and the JSON of RawEventData. The map is dropped when the next chunk
// is loaded, so at most one chunk per column is mapped at a time.
type pqChunk struct {
	comp       []byte // the chunk as stored: a view of mapped or of buf
	mapped     []byte // the file's pages under comp, when mapped
	buf, raw   []byte // off-heap: the chunk read by pread, one page decoded
	offs, ends []uint32
	defs       []byte
	pos        int // next page header in comp
	codec      format.CompressionCodec
	maxDef     byte
	rowsLeft   int64 // rows of the row group not yet in a page
	sink       byte  // keeps the cache-warming loads
}

// pqWarmBlock is how far ahead of the length chain the page is read
// into the cache: well inside L2.
const pqWarmBlock = 64 << 10

// pqChunkMin is the compressed chunk size from which reading a chunk
// ourselves pays; smaller chunks keep parquet-go's pages.
var pqChunkMin int64 = 1 << 20

// pqChunkFits reports whether a column chunk can be read by pqChunk.
func pqChunkFits(md *format.ColumnMetaData, maxDef byte) bool {
	if md.Type != format.ByteArray || md.TotalCompressedSize < pqChunkMin || maxDef > 1 {
		return false
	}
	if md.Codec != format.Uncompressed && md.Codec != format.Snappy {
		return false
	}
	if md.DictionaryPageOffset != 0 || md.DataPageOffset <= 0 {
		return false
	}
	for _, e := range md.Encoding {
		if e != format.Plain && e != format.RLE && e != format.BitPacked {
			return false
		}
	}
	return true
}

// load reads a chunk's bytes from a file of fileSize bytes.
// rows is the row group's row count: the most values its pages may hold.
func (k *pqChunk) load(r pqReaderAt, fileSize int64, md *format.ColumnMetaData, maxDef byte, rows int64) error {
	k.unmap()
	k.rowsLeft = rows
	n, off := md.TotalCompressedSize, md.DataPageOffset
	if n < 0 || off < 0 || n > fileSize || off > fileSize-n {
		return fmt.Errorf("column chunk at %d+%d lies outside the file (%d bytes)", off, n, fileSize)
	}
	k.pos, k.codec, k.maxDef = 0, md.Codec, maxDef
	if canMap {
		if r.io.stopped() {
			return errStopped
		}
		aligned := off &^ (int64(pageSize) - 1)
		if mem, err := mapFile(r.f, aligned, off+n-aligned); err == nil {
			adviseWillNeed(mem)
			k.mapped = mem
			k.comp = mem[off-aligned:]
			if r.io.ctr != nil {
				r.io.ctr.bytesRead.Add(n)
			}
			return nil
		}
	}
	var err error
	if k.buf, err = growOffHeap(k.buf, int(n)); err != nil {
		return err
	}
	if _, err := r.ReadAt(k.buf[:n], off); err != nil {
		return err
	}
	k.comp = k.buf[:n]
	return nil
}

// unmap drops the map of the current chunk, if any.
func (k *pqChunk) unmap() {
	if k.mapped != nil {
		unmapFile(k.mapped)
		k.mapped, k.comp = nil, nil
	}
}

// release frees the chunk's memory.
func (k *pqChunk) release() {
	k.unmap()
	freeOffHeap(k.buf)
	freeOffHeap(k.raw)
	*k = pqChunk{}
}

var errPqChunk = errors.New("unsupported page in column chunk")

// next decodes the chunk's next data page into d.
func (k *pqChunk) next(d *pqDirect) error {
	*d = pqDirect{}
	if k.pos >= len(k.comp) {
		return fmt.Errorf("column chunk ends early")
	}
	br := bytes.NewReader(k.comp[k.pos:])
	var h format.PageHeader
	if err := decodeThrift(br, &h); err != nil {
		return err
	}
	start := len(k.comp) - br.Len()
	if err := pqCheckSizes(&h, k.codec, int64(br.Len())); err != nil {
		return err
	}
	end := start + int(h.CompressedPageSize)
	k.pos = end
	page := k.comp[start:end]
	var rows int
	var levels, values []byte
	switch {
	case h.Type == format.DataPage && h.DataPageHeader.Valid:
		v := &h.DataPageHeader.V
		if v.Encoding != format.Plain {
			return errPqChunk
		}
		rows = int(v.NumValues)
		data, err := k.decompress(page, int(h.UncompressedPageSize))
		if err != nil {
			return err
		}
		if k.maxDef > 0 {
			if len(data) < 4 {
				return errPqChunk
			}
			ln := int(binary.LittleEndian.Uint32(data))
			if 4+ln > len(data) {
				return errPqChunk
			}
			levels, data = data[4:4+ln], data[4+ln:]
		}
		values = data
	case h.Type == format.DataPageV2 && h.DataPageHeaderV2.Valid:
		v := &h.DataPageHeaderV2.V
		if v.Encoding != format.Plain || v.RepetitionLevelsByteLength != 0 {
			return errPqChunk
		}
		rows = int(v.NumValues)
		ln := int(v.DefinitionLevelsByteLength)
		if ln < 0 || ln > len(page) {
			return errPqChunk
		}
		levels, page = page[:ln], page[ln:]
		// An absent is_compressed means compressed (the format's default).
		if !v.IsCompressed.Valid || v.IsCompressed.V {
			if int(h.UncompressedPageSize) < ln {
				return fmt.Errorf("%w: %d bytes of levels in a page of %d", errPqCorrupt, ln, h.UncompressedPageSize)
			}
			var err error
			if page, err = k.decompress(page, int(h.UncompressedPageSize)-ln); err != nil {
				return err
			}
		}
		values = page
	default:
		return errPqChunk
	}
	if rows < 0 || int64(rows) > k.rowsLeft {
		return fmt.Errorf("%w: %d values in a page, %d rows left in the row group", errPqCorrupt, rows, k.rowsLeft)
	}
	k.rowsLeft -= int64(rows)
	if k.maxDef > 0 && levels != nil {
		defs, err := decodeLevels(k.defs[:0], levels, bits.Len8(k.maxDef), rows)
		if err != nil {
			return err
		}
		if len(defs) < rows {
			return errPqChunk
		}
		k.defs = defs
	}
	nonNull := rows
	if k.maxDef > 0 && levels != nil {
		nonNull = 0
		for _, l := range k.defs {
			if l == k.maxDef {
				nonNull++
			}
		}
		d.defs, d.maxDef = k.defs, k.maxDef
	}
	k.offs, k.ends = k.offs[:0], k.ends[:0]
	p, warm := 0, 0
	var sink byte
	for range nonNull {
		// Each length is found from the one before, a chain of loads
		// that stalls on every cache miss; reading the block ahead one
		// byte a cache line brings it in with independent loads.
		if p >= warm {
			end := min(p+pqWarmBlock, len(values))
			for i := max(p, warm); i < end; i += 64 {
				sink ^= values[i]
			}
			warm = end
		}
		if p+4 > len(values) {
			return errPqChunk
		}
		n := int(binary.LittleEndian.Uint32(values[p:]))
		p += 4
		if n < 0 || p+n > len(values) {
			return errPqChunk
		}
		k.offs = append(k.offs, uint32(p))
		k.ends = append(k.ends, uint32(p+n))
		p += n
	}
	k.sink = sink
	d.bytes, d.offs, d.ends = values, k.offs, k.ends
	d.on, d.rows = true, rows
	return nil
}

// decompress returns a page's data decoded into k.raw.
func (k *pqChunk) decompress(src []byte, size int) ([]byte, error) {
	if k.codec == format.Uncompressed {
		return src, nil
	}
	// The block states its length: more than the header's would make
	// the codec allocate a buffer of it.
	if n, err := snappy.DecodedLen(src); err != nil || n > size {
		return nil, fmt.Errorf("%w: snappy block of %d bytes decodes to %d, its page to %d", errPqCorrupt, len(src), n, size)
	}
	var err error
	if k.raw, err = growOffHeap(k.raw, size); err != nil {
		return nil, err
	}
	out, err := snappy.Decode(k.raw[:size], src)
	if err != nil {
		return nil, err
	}
	if len(out) > 0 && &out[0] != &k.raw[0] {
		return nil, fmt.Errorf("snappy page larger than its header says: %w", errPqChunk)
	}
	return out, nil
}
