package store

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/klauspost/compress/zstd"

	"hunt/engine/vec"
	"hunt/kql/types"
)

// Sizes of the writer's units. Variables so that tests can make many
// small blocks and parts.
var (
	// BlockRows is the most rows of a block.
	BlockRows = 32768
	// PartRows is the most rows of a part file.
	PartRows = 1 << 20
	// maxBlockBytes flushes a block early when its rows are large.
	maxBlockBytes = 128 << 20
	// maxBuffered bounds the memory of all blocks being filled; past it,
	// the fullest one is written early.
	maxBuffered = 128 << 20
)

// Writer adds tables' rows to a store, creating it if needed. Nothing
// becomes visible to readers before Commit writes the manifest.
type Writer struct {
	dir    string
	man    *manifest
	tables map[string]*TableWriter
	order  []*TableWriter
	lock   string
	done   bool
	zenc   *zstd.Encoder
}

// Create opens the store in dir for adding rows, creating the folder and
// the store when they do not exist. Only one Writer may be open on a
// store at a time; a lock file enforces it.
func Create(dir string) (*Writer, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	man, err := loadOrNew(dir)
	if err != nil {
		return nil, err
	}
	lock := filepath.Join(dir, "hunt-store.lock")
	f, err := os.OpenFile(lock, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("store %s: another import holds %s (remove it if that import is no longer running)", dir, lock)
		}
		return nil, err
	}
	fmt.Fprintf(f, "%d\n", os.Getpid())
	f.Close()
	zenc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1))
	if err != nil {
		os.Remove(lock)
		return nil, err
	}
	return &Writer{dir: dir, man: man, tables: map[string]*TableWriter{}, lock: lock, zenc: zenc}, nil
}

// Table returns the writer of table name whose rows have the given
// schema. A table already in the store keeps its columns; new columns are
// added, and a column whose type differs is an error.
func (w *Writer) Table(name string, schema vec.Schema) (*TableWriter, error) {
	if tw, ok := w.tables[name]; ok {
		if tw.schema.String() != schema.String() {
			return nil, fmt.Errorf("store: table %s written twice with different columns", name)
		}
		return tw, nil
	}
	var meta *tableMeta
	for _, t := range w.man.Tables {
		if t.Name == name {
			meta = t
		}
	}
	if meta == nil {
		meta = &tableMeta{Name: name, Dir: tableDir(name, w.man)}
		for _, tc := range []string{"Timestamp", "TimeGenerated"} {
			if i := schema.Index(tc); i >= 0 && schema[i].Type == types.DateTime {
				meta.TimeColumn = tc
				break
			}
		}
		w.man.Tables = append(w.man.Tables, meta)
	}
	have, err := meta.schema()
	if err != nil {
		return nil, err
	}
	for _, c := range schema {
		if i := have.Index(c.Name); i >= 0 {
			if have[i].Type != c.Type {
				return nil, fmt.Errorf("store: table %s: column %s is %s in the store but %s in the new data", name, c.Name, have[i].Type, c.Type)
			}
			continue
		}
		meta.Columns = append(meta.Columns, columnMeta{Name: c.Name, Type: c.Type.String()})
	}
	if err := os.MkdirAll(filepath.Join(w.dir, filepath.FromSlash(meta.Dir)), 0o755); err != nil {
		return nil, err
	}
	tw := &TableWriter{w: w, meta: meta, schema: schema, timeCol: schema.Index(meta.TimeColumn), buckets: map[int64]*bucket{}}
	if meta.TimeColumn == "" || (tw.timeCol >= 0 && schema[tw.timeCol].Type != types.DateTime) {
		tw.timeCol = -1
	}
	tw.used = map[string]bool{}
	for _, p := range meta.Parts {
		tw.used[p.File] = true
	}
	w.tables[name] = tw
	w.order = append(w.order, tw)
	return tw, nil
}

// tableDir names a table's folder: its name when that is a plain file
// name, else a hex form; distinct from other tables' folders either way.
func tableDir(name string, m *manifest) string {
	dir := name
	for _, r := range name {
		if !(r == '_' || r == '-' || '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
			dir = fmt.Sprintf("t-%x", name)
			break
		}
	}
	base := dir
	for k := 2; ; k++ {
		clash := false
		for _, t := range m.Tables {
			if strings.EqualFold(t.Dir, dir) {
				clash = true
			}
		}
		if !clash {
			return dir
		}
		dir = base + "-" + strconv.Itoa(k)
	}
}

// Commit finishes every table and writes the manifest, which makes the
// new parts visible. The Writer is closed afterwards.
func (w *Writer) Commit() error {
	if w.done {
		return errors.New("store: writer already closed")
	}
	for _, tw := range w.order {
		if err := tw.finish(); err != nil {
			w.Abort()
			return err
		}
	}
	for _, tw := range w.order {
		tw.meta.Parts = append(tw.meta.Parts, tw.added...)
		sortParts(tw.meta.Parts)
	}
	err := writeManifest(w.dir, w.man)
	if err != nil {
		w.Abort()
		return err
	}
	w.done = true
	os.Remove(w.lock)
	return nil
}

// Abort removes the parts written so far and closes the writer; the
// store stays as it was.
func (w *Writer) Abort() {
	if w.done {
		return
	}
	w.done = true
	for _, tw := range w.order {
		tw.abort()
	}
	os.Remove(w.lock)
}

// sortParts orders parts by time bucket, then by sequence number, so that
// rows keep their import order within an hour.
func sortParts(ps []partMeta) {
	key := func(p partMeta) (string, int) {
		base := strings.TrimSuffix(filepath.Base(p.File), ".hcol")
		i := strings.LastIndexByte(base, '-')
		if i < 0 {
			return base, 0
		}
		n, _ := strconv.Atoi(base[i+1:])
		return base[:i], n
	}
	sort.SliceStable(ps, func(i, j int) bool {
		a, an := key(ps[i])
		b, bn := key(ps[j])
		if a != b {
			return a < b
		}
		return an < bn
	})
}

// TableWriter buckets one table's rows by hour of its time column and
// writes them into part files.
type TableWriter struct {
	w       *Writer
	meta    *tableMeta
	schema  vec.Schema
	timeCol int
	buckets map[int64]*bucket
	used    map[string]bool
	added   []partMeta
	open    []*partWriter // parts being written, for abort
	rows    int64
	batches int64
}

// bucket is one hour's rows being gathered into blocks.
type bucket struct {
	key      string
	cols     []*colBuf
	part     *partWriter
	lastUsed int64 // the batch that last added rows
}

// idleBatches is how many batches a bucket may go without rows before
// its rows are written: exports mostly come in time order, so an hour
// that has not been seen for a while is likely complete.
const idleBatches = 64

// Rows returns the number of rows written so far.
func (tw *TableWriter) Rows() int64 { return tw.rows }

// Bucket ids: the hour since the epoch of the time column, or one of
// these.
const (
	noTimeBucket   = math.MinInt64     // the table has no time column
	nullTimeBucket = math.MinInt64 + 1 // the row's time is null
	ticksPerHour   = int64(36_000_000_000)
)

func (tw *TableWriter) bucketID(b *vec.Batch, i int) int64 {
	if tw.timeCol < 0 {
		return noTimeBucket
	}
	v := b.Cols[tw.timeCol]
	if v.IsNull(i) {
		return nullTimeBucket
	}
	t := v.Ints[v.Row(i)]
	h := t / ticksPerHour
	if t%ticksPerHour < 0 {
		h--
	}
	return h
}

// bucketName names a bucket's part files: yyyymmddhh of the hour in UTC,
// "notime" or "nulltime".
func bucketName(id int64) string {
	switch id {
	case noTimeBucket:
		return "notime"
	case nullTimeBucket:
		return "nulltime"
	}
	return types.ToTime(id * ticksPerHour).UTC().Format("2006010215")
}

// Write adds the rows of b, whose columns are the schema given to Table.
func (tw *TableWriter) Write(b *vec.Batch) error {
	if len(b.Cols) != len(tw.schema) {
		return fmt.Errorf("store: table %s: batch has %d columns, want %d", tw.meta.Name, len(b.Cols), len(tw.schema))
	}
	var cur *bucket
	curID := int64(0)
	for i := 0; i < b.N; i++ {
		id := tw.bucketID(b, i)
		if cur == nil || id != curID {
			cur = tw.buckets[id]
			if cur == nil {
				cur = &bucket{key: bucketName(id)}
				for _, c := range tw.schema {
					cur.cols = append(cur.cols, newColBuf(c.Type))
				}
				tw.buckets[id] = cur
			}
			curID = id
		}
		for j, c := range cur.cols {
			c.appendRow(b.Cols[j], i)
		}
		cur.lastUsed = tw.batches
		if cur.cols[0].n >= BlockRows || (cur.cols[0].n%256 == 0 && bucketBytes(cur) >= maxBlockBytes) {
			if err := tw.flush(cur); err != nil {
				return err
			}
		}
	}
	tw.rows += int64(b.N)
	tw.batches++
	for _, bk := range tw.buckets {
		if bk.cols[0].n > 0 && tw.batches-bk.lastUsed > idleBatches {
			if err := tw.flush(bk); err != nil {
				return err
			}
			for _, c := range bk.cols {
				c.free()
			}
		}
	}
	return tw.bound()
}

func bucketBytes(b *bucket) int {
	n := 0
	for _, c := range b.cols {
		n += c.bytes()
	}
	return n
}

// bound keeps the memory of the buckets' buffers under maxBuffered: it
// frees the buffers of idle buckets (an export sorted by time leaves one
// per hour behind), then writes the fullest blocks early.
func (tw *TableWriter) bound() error {
	for {
		total, fullest, most := 0, (*bucket)(nil), 0
		for _, b := range tw.buckets {
			n := bucketBytes(b)
			total += n
			if n > most && b.cols[0].n > 0 {
				fullest, most = b, n
			}
		}
		if total <= maxBuffered {
			return nil
		}
		freed := false
		for _, b := range tw.buckets {
			if b.cols[0].n == 0 && bucketBytes(b) > 0 {
				for _, c := range b.cols {
					c.free()
				}
				freed = true
			}
		}
		if freed {
			continue
		}
		if fullest == nil {
			return nil
		}
		if err := tw.flush(fullest); err != nil {
			return err
		}
		for _, c := range fullest.cols {
			c.free()
		}
	}
}

// flush writes a bucket's buffered rows as one block.
func (tw *TableWriter) flush(b *bucket) error {
	if b.cols[0].n == 0 {
		return nil
	}
	if b.part == nil {
		p, err := tw.newPart(b.key)
		if err != nil {
			return err
		}
		b.part = p
	}
	if err := b.part.writeBlock(b.cols, tw.timeCol); err != nil {
		return err
	}
	for _, c := range b.cols {
		c.reset()
	}
	if b.part.foot.rows >= PartRows {
		if err := tw.closePart(b); err != nil {
			return err
		}
	}
	return nil
}

func (tw *TableWriter) newPart(key string) (*partWriter, error) {
	dir := filepath.Join(tw.w.dir, filepath.FromSlash(tw.meta.Dir))
	for n := 0; ; n++ {
		rel := tw.meta.Dir + "/" + key + "-" + strconv.Itoa(n) + ".hcol"
		if tw.used[rel] {
			continue
		}
		path := filepath.Join(dir, key+"-"+strconv.Itoa(n)+".hcol")
		if _, err := os.Stat(path); err == nil {
			continue
		}
		tw.used[rel] = true
		p, err := createPart(path, tw.schema, tw.w.zenc)
		if err != nil {
			return nil, err
		}
		p.rel = rel
		tw.open = append(tw.open, p)
		return p, nil
	}
}

func (tw *TableWriter) closePart(b *bucket) error {
	p := b.part
	b.part = nil
	size, err := p.finish()
	if err != nil {
		return err
	}
	pm := partMeta{File: p.rel, Rows: int64(p.foot.rows), Bytes: size}
	if p.hasT {
		pm.MinTime, pm.MaxTime = types.FormatDatetime(p.minT), types.FormatDatetime(p.maxT)
		pm.minT, pm.maxT, pm.hasTime = p.minT, p.maxT, true
	}
	tw.added = append(tw.added, pm)
	return nil
}

// finish writes every bucket's remaining rows and closes its part.
func (tw *TableWriter) finish() error {
	keys := make([]int64, 0, len(tw.buckets))
	for k := range tw.buckets {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	for _, k := range keys {
		b := tw.buckets[k]
		if err := tw.flush(b); err != nil {
			return err
		}
		if b.part != nil {
			if err := tw.closePart(b); err != nil {
				return err
			}
		}
	}
	return nil
}

func (tw *TableWriter) abort() {
	for _, p := range tw.open {
		p.abort()
	}
}

// partWriter writes one part file: blocks as they fill, then the footer.
// It writes to a temporary name and renames at the end.
type partWriter struct {
	path, tmp, rel string
	f              *os.File
	bw             *bufio.Writer
	pw             *pageWriter
	enc            blockEncoder
	foot           footer
	minT, maxT     int64
	hasT           bool
	closed         bool
}

func createPart(path string, schema vec.Schema, zenc *zstd.Encoder) (*partWriter, error) {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return nil, err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	bw.WriteString(partMagic)
	p := &partWriter{path: path, tmp: tmp, f: f, bw: bw, minT: math.MaxInt64, maxT: math.MinInt64}
	p.pw = &pageWriter{w: bw, off: uint64(len(partMagic)), zenc: zenc}
	p.enc.pw = p.pw
	p.foot = footer{cols: schema, maxTerm: maxTermLen}
	return p, nil
}

func (p *partWriter) writeBlock(cols []*colBuf, timeCol int) error {
	if timeCol >= 0 {
		tc := cols[timeCol]
		for i, x := range tc.ints {
			if !isNull(tc.nulls, i) {
				p.minT, p.maxT, p.hasT = min(p.minT, x), max(p.maxT, x), true
			}
		}
	}
	b := p.enc.encodeBlock(cols)
	p.foot.blocks = append(p.foot.blocks, b)
	p.foot.rows += b.rows
	return p.pw.err
}

// finish writes the footer and trailer and gives the file its name.
func (p *partWriter) finish() (int64, error) {
	var w wbuf
	w.footer(&p.foot)
	p.bw.Write(w.b)
	var tr [trailerLen]byte
	binary.LittleEndian.PutUint32(tr[0:], uint32(len(w.b)))
	binary.LittleEndian.PutUint32(tr[4:], crc32.Checksum(w.b, castagnoli))
	copy(tr[8:], partEndMagic)
	p.bw.Write(tr[:])
	size := int64(p.pw.off) + int64(len(w.b)) + trailerLen
	err := p.pw.err
	if ferr := p.bw.Flush(); err == nil {
		err = ferr
	}
	if err == nil {
		err = p.f.Sync()
	}
	if cerr := p.f.Close(); err == nil {
		err = cerr
	}
	p.closed = true
	if err == nil {
		err = os.Rename(p.tmp, p.path)
	}
	if err != nil {
		os.Remove(p.tmp)
		return 0, fmt.Errorf("store: writing %s: %w", p.path, err)
	}
	return size, nil
}

func (p *partWriter) abort() {
	if !p.closed {
		p.f.Close()
		p.closed = true
	}
	os.Remove(p.tmp)
	os.Remove(p.path)
}

// pageWriter appends pages to a part file, compressing those that shrink.
type pageWriter struct {
	w    *bufio.Writer
	off  uint64
	zenc *zstd.Encoder
	buf  []byte
	err  error
}

func (pw *pageWriter) put(raw []byte) pageRef { return pw.write(raw, true) }

// putRaw writes a page uncompressed, for pages read at random (codes).
func (pw *pageWriter) putRaw(raw []byte) pageRef { return pw.write(raw, false) }

func (pw *pageWriter) write(raw []byte, compress bool) pageRef {
	stored, codec := raw, codecRaw
	if compress && len(raw) >= 64 {
		pw.buf = pw.zenc.EncodeAll(raw, pw.buf[:0])
		if len(pw.buf) < len(raw)-len(raw)/16 {
			stored, codec = pw.buf, codecZstd
		}
	}
	r := pageRef{off: pw.off, size: uint64(len(stored)), raw: uint64(len(raw)), codec: codec, crc: crc32.Checksum(stored, castagnoli)}
	if _, err := pw.w.Write(stored); err != nil && pw.err == nil {
		pw.err = err
	}
	pw.off += uint64(len(stored))
	return r
}
