package store

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"sync"

	"hunt/kql/types"
)

// partFile is an open part file with its decoded footer.
type partFile struct {
	path string
	f    io.ReaderAt
	c    io.Closer
	foot *footer
	cols map[string]int // column name → index in foot.cols
	mu   sync.Mutex     // guards the chunks decoded into foot.blocks
}

// chunk returns the chunk of column ci in block bi, decoding it once.
func (p *partFile) chunk(bi, ci int) (*chunk, error) {
	b := p.foot.blocks[bi]
	p.mu.Lock()
	defer p.mu.Unlock()
	if c := b.chunks[ci]; c != nil {
		return c, nil
	}
	c, err := p.foot.decodeChunk(b, ci)
	if err != nil {
		return nil, &CorruptError{Path: p.path, Reason: err.Error()}
	}
	b.chunks[ci] = c
	return c, nil
}

// column returns the chunk of the named column of block bi, nil when the
// part lacks that column or has it with another type.
func (p *partFile) column(bi int, name string, t types.Type) (*chunk, error) {
	ci, ok := p.cols[name]
	if !ok || p.foot.cols[ci].Type != t {
		return nil, nil
	}
	return p.chunk(bi, ci)
}

// CorruptError reports a part file that cannot be read: truncated,
// damaged, or not a part file at all.
type CorruptError struct {
	Path   string
	Reason string
}

func (e *CorruptError) Error() string {
	return "store: " + e.Path + ": " + e.Reason + " (re-import the data, or remove the part from the store)"
}

func openPartFile(path string) (*partFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("store: %w", err)
	}
	p, err := readPart(path, f, st.Size())
	if err != nil {
		f.Close()
		return nil, err
	}
	p.c = f
	return p, nil
}

// readPart decodes the footer of a part file of the given size.
func readPart(path string, r io.ReaderAt, size int64) (*partFile, error) {
	bad := func(reason string) (*partFile, error) { return nil, &CorruptError{Path: path, Reason: reason} }
	if size < int64(len(partMagic))+trailerLen {
		return bad(fmt.Sprintf("truncated: %d bytes is too short for a part file", size))
	}
	head := make([]byte, len(partMagic))
	if _, err := r.ReadAt(head, 0); err != nil {
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	if string(head) != partMagic {
		return bad("not a hunt store part file")
	}
	var tr [trailerLen]byte
	if _, err := r.ReadAt(tr[:], size-trailerLen); err != nil {
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	if string(tr[8:]) != partEndMagic {
		return bad("truncated or damaged: the end marker is missing")
	}
	flen := int64(binary.LittleEndian.Uint32(tr[0:]))
	if flen > size-trailerLen-int64(len(partMagic)) {
		return bad("damaged: bad footer length")
	}
	fb := make([]byte, flen)
	if _, err := r.ReadAt(fb, size-trailerLen-flen); err != nil {
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	if verifyChecksums && crc32.Checksum(fb, castagnoli) != binary.LittleEndian.Uint32(tr[4:]) {
		return bad("damaged: footer checksum mismatch")
	}
	rb := rbuf{b: fb}
	foot, err := rb.footer(uint64(size - trailerLen - flen))
	if err != nil {
		return bad(err.Error())
	}
	p := &partFile{path: path, f: r, foot: foot, cols: map[string]int{}}
	for i, c := range foot.cols {
		if _, dup := p.cols[c.Name]; dup {
			return bad("damaged footer: column " + c.Name + " twice")
		}
		p.cols[c.Name] = i
	}
	return p, nil
}

func (p *partFile) close() error {
	if p.c != nil {
		return p.c.Close()
	}
	return nil
}

// verifyChecksums is turned off by the fuzz test only, so that mutated
// footers and pages reach the decoders instead of failing their checksums.
var verifyChecksums = true

var readBufs = sync.Pool{New: func() any { return new([]byte) }}

// page reads and decodes one page. The result is freshly allocated and
// may be kept.
func (p *partFile) page(r pageRef) ([]byte, error) {
	if r.codec == codecRaw {
		out := make([]byte, r.size)
		if err := p.readAt(out, r); err != nil {
			return nil, err
		}
		return out, nil
	}
	bp := readBufs.Get().(*[]byte)
	defer readBufs.Put(bp)
	if uint64(cap(*bp)) < r.size {
		*bp = make([]byte, r.size)
	}
	buf := (*bp)[:r.size]
	if err := p.readAt(buf, r); err != nil {
		return nil, err
	}
	d, err := decoder()
	if err != nil {
		return nil, err
	}
	out, err := d.DecodeAll(buf, make([]byte, 0, r.raw))
	if err != nil || uint64(len(out)) != r.raw {
		return nil, &CorruptError{Path: p.path, Reason: fmt.Sprintf("damaged page at offset %d: it does not decompress to its size", r.off)}
	}
	return out, nil
}

func (p *partFile) readAt(buf []byte, r pageRef) error {
	if _, err := p.f.ReadAt(buf, int64(r.off)); err != nil {
		if err == io.EOF {
			return &CorruptError{Path: p.path, Reason: fmt.Sprintf("truncated: page at offset %d is past the end", r.off)}
		}
		return fmt.Errorf("store: %s: %w", p.path, err)
	}
	if verifyChecksums && crc32.Checksum(buf, castagnoli) != r.crc {
		return &CorruptError{Path: p.path, Reason: fmt.Sprintf("damaged page at offset %d: checksum mismatch", r.off)}
	}
	return nil
}
