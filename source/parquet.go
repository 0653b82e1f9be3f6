package source

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"hunt/engine/vec"
	"hunt/kql/types"
)

// Parquet files are read column by column: only the columns the query
// asks for are read (their pages decoded by parquet-go), one value per
// column per row, converted to the column's KQL type as JSON values are
// (strings holding JSON objects or arrays become dynamic values, integer
// and INT96 timestamps and dates become datetimes). Row groups whose
// statistics show that a pushed-down time or number filter fails on
// every row are skipped unread.

// pqReaderAt counts the bytes parquet-go reads.
type pqReaderAt struct {
	f  *os.File
	io ioCtx
}

func (r pqReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if r.io.stopped() {
		return 0, errStopped
	}
	n, err := r.f.ReadAt(p, off)
	if n > 0 && r.io.ctr != nil {
		r.io.ctr.bytesRead.Add(int64(n))
	}
	return n, err
}

func openParquetFile(path string, ioc ioCtx) (*os.File, *parquet.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	var pf *parquet.File
	err = catchParquet(path, func() error {
		if err := checkFooter(f, st.Size()); err != nil {
			return err
		}
		var err error
		pf, err = parquet.OpenFile(pqReaderAt{f, ioc}, st.Size(), parquet.SkipBloomFilters(true), parquet.SkipPageIndex(true))
		if err == nil {
			err = checkParquetMeta(pf)
		}
		return err
	})
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("%s: not a readable Parquet file: %w", path, err)
	}
	return f, pf, nil
}

// pqKind is how a Parquet leaf column's values are to be read.
type pqKind uint8

const (
	pqPlain pqKind = iota
	pqMillis
	pqMicros
	pqNanos
	pqDate
	pqInt96
	pqUUID
	pqJSON
)

func pqKindOf(c *parquet.Column) pqKind {
	t := c.Type()
	if t.Kind() == parquet.Int96 {
		return pqInt96
	}
	if lt := t.LogicalType(); lt != nil {
		switch v := lt.Value.(type) {
		case *format.TimestampType:
			switch v.Unit.Value.(type) {
			case *format.MilliSeconds:
				return pqMillis
			case *format.MicroSeconds:
				return pqMicros
			case *format.NanoSeconds:
				return pqNanos
			}
		case *format.DateType:
			return pqDate
		case *format.UUIDType:
			return pqUUID
		case *format.JsonType:
			return pqJSON
		}
	}
	if ct := t.ConvertedType(); ct != nil {
		switch *ct {
		case 9: // TIMESTAMP_MILLIS
			return pqMillis
		case 10: // TIMESTAMP_MICROS
			return pqMicros
		case 6: // DATE
			return pqDate
		case 19: // JSON
			return pqJSON
		}
	}
	return pqPlain
}

// parquetType is the KQL type of a top-level Parquet column.
func parquetType(c *parquet.Column) types.Type {
	if !c.Leaf() || c.Repeated() {
		return types.Dynamic
	}
	k := pqKindOf(c)
	switch k {
	case pqMillis, pqMicros, pqNanos, pqDate, pqInt96:
		return types.DateTime
	case pqUUID:
		return types.Guid
	case pqJSON:
		return types.Dynamic
	}
	switch c.Type().Kind() {
	case parquet.Boolean:
		return types.Bool
	case parquet.Int32:
		if lt := c.Type().LogicalType(); lt != nil {
			if it, ok := lt.Value.(*format.IntType); ok && !it.IsSigned {
				return types.Long
			}
		}
		return types.Int
	case parquet.Int64:
		return types.Long
	case parquet.Float, parquet.Double:
		return types.Real
	}
	return types.String
}

// parquetSchema is the columns of a Parquet file.
func parquetSchema(path string) (vec.Schema, error) {
	f, pf, err := openParquetFile(path, ioCtx{})
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var s vec.Schema
	for _, c := range pf.Root().Columns() {
		s = append(s, vec.Column{Name: c.Name(), Type: parquetType(c)})
	}
	return s, nil
}

// pqColumn is a column being read: its pages, and where its values go.
type pqColumn struct {
	name  string
	leaf  int
	kind  pqKind
	t     target
	nest  *parquet.Column // a group or repeated column, read by rows
	pages parquet.Pages
	page  parquet.Page
	vr    parquet.ValueReader
	buf   []parquet.Value
	pos   int
	n     int
	// maxDef is the leaf's maximum definition level: a row whose level
	// is lower is null.
	maxDef byte
	dp     pqDirect
	// chunk reads the current row group's pages instead of pages when
	// own is set (see pqChunk).
	chunk *pqChunk
	own   bool
	// verdict judges the column's values against the pushed-down
	// filters before they are converted (nil when none tests it).
	verdict *pqVerdict
	// textPD holds the path filters on the dynamic column this text
	// column fills, tested on the text before it is parsed (nil when
	// there are none).
	textPD *pushdown
	// strDict: the column fills a string column alone, so values from a
	// dictionary page are taken from strs, the page's dictionary made
	// into strings once (strsOf), rather than converted row by row.
	strDict bool
	strsOf  parquet.Dictionary
	strs    []string
}

type parquetReader struct {
	path     string
	f        *os.File
	ioc      ioCtx
	pf       *parquet.File
	cols     []*pqColumn
	first    int // cols[:first] feed pushed-down filters and are read first
	nested   bool
	bound    bool
	group    int   // next row group
	endGroup int   // the row group to stop before
	left     int64 // rows left in the current group
	rows     parquet.Rows
	rowBuf   []parquet.Row
	rowsRead int
	leaves   map[int]pqLeaf // see leafInfo
}

// openParquet reads the row groups [rg.start, rg.end) of a Parquet file
// (all of them when rg.end < 0).
func openParquet(rg fileRange, ioc ioCtx) (fileReader, error) {
	file, pf, err := openParquetFile(rg.file.Path, ioc)
	if err != nil {
		return nil, err
	}
	end := len(pf.RowGroups())
	if rg.end >= 0 && int(rg.end) < end {
		end = int(rg.end)
	}
	return &parquetReader{path: rg.file.Path, f: file, ioc: ioc, pf: pf, group: int(rg.start), endGroup: end}, nil
}

// rowGroupSizes returns the compressed size of each row group of a
// Parquet file, from its footer.
func rowGroupSizes(path string) ([]int64, error) {
	f, pf, err := openParquetFile(path, ioCtx{})
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var sizes []int64
	for _, g := range pf.Metadata().RowGroups {
		size := g.TotalCompressedSize
		if size <= 0 {
			size = g.TotalByteSize
		}
		sizes = append(sizes, size)
	}
	return sizes, nil
}

func (r *parquetReader) lines() int { return 0 }

func (r *parquetReader) close() error {
	r.closeGroup()
	for _, c := range r.cols {
		if c.chunk != nil {
			c.chunk.release()
			c.chunk = nil
		}
	}
	if r.f != nil {
		err := r.f.Close()
		r.f = nil
		return err
	}
	return nil
}

func (r *parquetReader) closeGroup() {
	for _, c := range r.cols {
		if c.page != nil {
			parquet.Release(c.page)
			c.page = nil
		}
		if c.pages != nil {
			c.pages.Close()
			c.pages = nil
		}
		c.vr, c.pos, c.n = nil, 0, 0
		c.dp = pqDirect{}
		c.own = false
		if c.verdict != nil {
			// The next chunk's dictionary may reuse this one's memory.
			c.verdict.dict = nil
		}
		c.strsOf = nil // likewise
	}
	if r.rows != nil {
		r.rows.Close()
		r.rows = nil
	}
	r.left = 0
}

// pqLeaf is what checkChunkPages needs of a leaf column.
type pqLeaf struct {
	typeLength int32
	flat       bool // not repeated: a value or null per row
}

// leafInfo describes leaf column i of the file.
func (r *parquetReader) leafInfo(i int) pqLeaf {
	if r.leaves == nil {
		r.leaves = map[int]pqLeaf{}
		var walk func(c *parquet.Column)
		walk = func(c *parquet.Column) {
			if c.Leaf() {
				r.leaves[c.Index()] = pqLeaf{typeLength: int32(c.Type().Length()), flat: c.MaxRepetitionLevel() == 0}
				return
			}
			for _, k := range c.Columns() {
				walk(k)
			}
		}
		walk(r.pf.Root())
	}
	if l, ok := r.leaves[i]; ok {
		return l
	}
	return pqLeaf{}
}

// bind finds the file's columns that feed the requested ones.
func (r *parquetReader) bind(rb *rowBuilder) {
	r.bound = true
	for _, c := range r.pf.Root().Columns() {
		t, ok := rb.keys[c.Name()]
		if !ok {
			continue
		}
		pc := &pqColumn{name: c.Name(), t: t}
		if !c.Leaf() || c.Repeated() {
			pc.nest = c
			r.nested = true
		} else {
			pc.leaf = c.Index()
			pc.kind = pqKindOf(c)
			pc.maxDef = byte(c.MaxDefinitionLevel())
			pc.buf = make([]parquet.Value, 256)
		}
		if pc.nest == nil && pc.kind != pqUUID && t.own >= 0 && t.alias < 0 {
			pc.textPD = rb.textPD[t.own]
			pc.strDict = rb.cols[t.own].typ == types.String && c.Type().Kind() == parquet.ByteArray
		}
		r.cols = append(r.cols, pc)
	}
	// The columns that feed filters come first, then those whose text
	// path filters test, so that a row that fails passes over the rest.
	rank := func(c *pqColumn) int {
		if rb.pd != nil {
			for _, k := range rb.pd.checks {
				if c.nest == nil && (int(c.t.own) == k.col || int(c.t.alias) == k.col) {
					return 0
				}
			}
		}
		if c.textPD != nil {
			return 1
		}
		return 2
	}
	slices.SortStableFunc(r.cols, func(a, b *pqColumn) int { return rank(a) - rank(b) })
	feeds := func(c *pqColumn) bool { return rank(c) == 0 }
	for r.first < len(r.cols) && feeds(r.cols[r.first]) {
		r.cols[r.first].verdict = newPqVerdict(r.cols[r.first], rb)
		r.first++
	}
}

// fill reads rows into rb. parquet-go may panic on a corrupt file where
// no check here foresaw it: the panic becomes the file's error.
func (r *parquetReader) fill(rb *rowBuilder, lc *localCounts) (done bool, err error) {
	err = catchParquet(r.path, func() error {
		var err error
		done, err = r.fillRows(rb, lc)
		return err
	})
	if err != nil {
		done = true
	}
	return done, err
}

func (r *parquetReader) fillRows(rb *rowBuilder, lc *localCounts) (bool, error) {
	if !r.bound {
		r.bind(rb)
	}
	for !rb.full() {
		if r.left == 0 {
			r.closeGroup()
			groups := r.pf.RowGroups()
			for r.group < r.endGroup && rb.pd != nil && rb.pd.skipsGroup(r.group, r.pf) {
				n := groups[r.group].NumRows()
				lc.records += n
				lc.pushdown += n
				r.group++
			}
			if r.group >= r.endGroup {
				return true, nil
			}
			g := groups[r.group]
			r.group++
			r.left = g.NumRows()
			if r.left < 0 {
				return true, fmt.Errorf("%w: row group of %d rows", errPqCorrupt, r.left)
			}
			chunks := g.ColumnChunks()
			meta := &r.pf.Metadata().RowGroups[r.group-1]
			if len(meta.Columns) != len(chunks) {
				return true, fmt.Errorf("%w: row group of %d column chunks, the schema has %d", errPqCorrupt, len(meta.Columns), len(chunks))
			}
			checked := make([]bool, len(chunks))
			check := func(leaf int) error {
				if checked[leaf] {
					return nil
				}
				checked[leaf] = true
				l := r.leafInfo(leaf)
				return checkChunkPages(pqReaderAt{r.f, r.ioc}, r.pf.Size(), &meta.Columns[leaf].MetaData, l.typeLength, r.left, l.flat)
			}
			for _, c := range r.cols {
				if c.nest != nil {
					continue
				}
				if md := &meta.Columns[c.leaf].MetaData; pqChunkFits(md, c.maxDef) {
					if c.chunk == nil {
						c.chunk = &pqChunk{}
					}
					if err := c.chunk.load(pqReaderAt{r.f, r.ioc}, r.pf.Size(), md, c.maxDef, r.left); err != nil {
						return true, fmt.Errorf("column %s: %w", c.name, err)
					}
					c.own = true
					continue
				}
				if err := check(c.leaf); err != nil {
					return true, fmt.Errorf("column %s: %w", c.name, err)
				}
				c.pages = chunks[c.leaf].Pages()
			}
			if r.nested {
				// Rows reads every column chunk of the group.
				for leaf := range chunks {
					if err := check(leaf); err != nil {
						return true, fmt.Errorf("column %s: %w", strings.Join(meta.Columns[leaf].MetaData.PathInSchema, "."), err)
					}
				}
				r.rows = g.Rows()
			}
		}
		var row map[string]any
		if r.nested {
			if len(r.rowBuf) == 0 {
				r.rowBuf = make([]parquet.Row, 1)
			}
			n, err := r.rows.ReadRows(r.rowBuf)
			if n == 0 {
				if err == nil || err == io.EOF {
					err = io.ErrUnexpectedEOF
				}
				return true, fmt.Errorf("row group ends early: %w", err)
			}
			var whole any
			if err := r.pf.Schema().Reconstruct(&whole, r.rowBuf[0]); err != nil {
				return true, err
			}
			row, _ = whole.(map[string]any)
		}
		lc.records++
		r.left--
		if r.rowsRead++; r.rowsRead%pqReorder == 0 {
			r.reorder()
		}
		keep, err := r.readRow(rb, row)
		if err != nil {
			return true, err
		}
		if keep {
			rb.commit()
		} else {
			rb.rollback()
			lc.pushdown++
		}
	}
	return false, nil
}

// readRow decodes the current row's columns into rb. The columns that
// feed pushed-down filters come first; when the row fails a filter the
// other columns' values are passed over unconverted and keep is false.
func (r *parquetReader) readRow(rb *rowBuilder, row map[string]any) (keep bool, err error) {
	for i, c := range r.cols {
		if i == r.first && i > 0 && rb.pd.rowFails(rb) {
			for _, c := range r.cols[i:] {
				if c.nest == nil {
					if err := c.skip(); err != nil {
						return false, err
					}
				}
			}
			return false, nil
		}
		if c.nest != nil {
			r.putNested(rb, c, row)
			continue
		}
		if c.verdict != nil {
			fails, err := c.fails()
			if err != nil {
				return false, err
			}
			c.verdict.tested++
			if fails {
				c.verdict.failed++
				c.dp.row++
				for _, c := range r.cols[i+1:] {
					if c.nest == nil {
						if err := c.skip(); err != nil {
							return false, err
						}
					}
				}
				return false, nil
			}
		}
		if c.strDict {
			if !c.dp.on || c.dp.row >= c.dp.rows {
				if err := c.ready(); err != nil {
					return false, err
				}
			}
			if c.dp.on && c.dp.dict != nil {
				s, ok, err := c.dictStr()
				if err != nil {
					return false, err
				}
				if ok {
					rb.cols[c.t.own].setStr(rb.n, prioOwn, s)
				}
				continue
			}
		}
		v, err := c.next()
		if err != nil {
			return false, err
		}
		if c.textPD != nil && !v.IsNull() && c.textPD.rejects(v.ByteArray()) {
			for _, c := range r.cols[i+1:] {
				if c.nest == nil {
					if err := c.skip(); err != nil {
						return false, err
					}
				}
			}
			return false, nil
		}
		if !v.IsNull() {
			if c.t.own >= 0 {
				rb.putParquet(c.t.own, prioOwn, c.kind, v)
			}
			if c.t.alias >= 0 {
				rb.putParquet(c.t.alias, prioAlias, c.kind, v)
			}
		}
	}
	if r.first == len(r.cols) && r.first > 0 && rb.pd.rowFails(rb) {
		return false, nil
	}
	return true, nil
}

// dictStr returns the next row's value of a dictionary page as a string
// (ok false for null) and moves past it.
func (c *pqColumn) dictStr() (s string, ok bool, err error) {
	d := &c.dp
	i, ok := d.index()
	d.row++
	if !ok {
		return "", false, nil
	}
	x := d.i32[i]
	if x < 0 || x >= d.dictN {
		return "", false, fmt.Errorf("dictionary index %d out of range [0, %d)", x, d.dictN)
	}
	if d.dict != c.strsOf {
		c.strsOf = d.dict
		c.strs = c.strs[:0]
		for k := range d.dictN {
			c.strs = append(c.strs, string(d.dict.Index(k).ByteArray()))
		}
	}
	return c.strs[x], true, nil
}

// next returns the column's next value.
func (c *pqColumn) next() (parquet.Value, error) {
	if c.dp.on && c.dp.row < c.dp.rows {
		return c.dp.at()
	}
	if err := c.ready(); err != nil {
		return parquet.Value{}, err
	}
	if c.dp.on {
		return c.dp.at()
	}
	v := c.buf[c.pos]
	c.pos++
	return v, nil
}

// ready loads pages until the column's next value is at hand, either in
// c.dp or in c.buf[c.pos].
func (c *pqColumn) ready() error {
	if c.dp.on && c.dp.row < c.dp.rows {
		return nil
	}
	for c.pos >= c.n {
		if c.vr != nil {
			n, err := c.vr.ReadValues(c.buf)
			c.pos, c.n = 0, n
			if n > 0 {
				break
			}
			if err != nil && err != io.EOF {
				return err
			}
		}
		if err := c.nextPage(); err != nil {
			return err
		}
		if c.dp.on && c.dp.row < c.dp.rows {
			return nil
		}
	}
	return nil
}

// fails reports whether the column's verdict says the next row certainly
// fails a pushed-down filter; it does not move past the row.
func (c *pqColumn) fails() (bool, error) {
	if err := c.ready(); err != nil {
		return false, err
	}
	return c.dp.on && c.dp.row < c.dp.rows && c.verdict.rowFails(&c.dp), nil
}

// skip passes over the column's next value; on a page read directly it
// only moves the row cursor, so rows dropped by a filter cost nothing in
// the columns read after it.
func (c *pqColumn) skip() error {
	if c.dp.on && c.dp.row < c.dp.rows {
		c.dp.row++
		return nil
	}
	_, err := c.next()
	return err
}

// nextPage releases the current page and reads the next one.
func (c *pqColumn) nextPage() error {
	if c.page != nil {
		parquet.Release(c.page)
	}
	c.page, c.vr, c.dp = nil, nil, pqDirect{}
	if c.own {
		if err := c.chunk.next(&c.dp); err != nil {
			return fmt.Errorf("column %s: %w", c.name, err)
		}
		return nil
	}
	p, err := c.pages.ReadPage()
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return fmt.Errorf("column %s: %w", c.name, err)
	}
	c.page = p
	if !c.dp.bind(p, c.maxDef) {
		c.vr = p.Values()
	}
	return nil
}

// putNested stores a group or repeated column of the row as a dynamic
// value (or its JSON text in a string column).
func (r *parquetReader) putNested(rb *rowBuilder, c *pqColumn, row map[string]any) {
	v := nestedDyn(c.nest, row[c.name])
	if v == nil {
		return
	}
	for _, ci := range []int32{c.t.own, c.t.alias} {
		if ci < 0 {
			continue
		}
		prio := prioOwn
		if ci == c.t.alias {
			prio = prioAlias
		}
		col := &rb.cols[ci]
		switch col.typ {
		case types.Dynamic:
			col.setDyn(rb.n, prio, v)
		case types.String:
			col.setStr(rb.n, prio, string(types.AppendJSON(nil, v)))
		}
	}
}

// nestedDyn converts a value parquet-go rebuilt from a nested column into
// a dynamic value; node, when known, gives the order of a group's fields.
func nestedDyn(node parquet.Node, x any) any {
	switch v := x.(type) {
	case nil:
		return nil
	case map[string]any:
		bag := &types.Bag{}
		if node != nil && !node.Leaf() && len(node.Fields()) == len(v) {
			for _, f := range node.Fields() {
				bag.Set(f.Name(), nestedDyn(f, v[f.Name()]))
			}
			return bag
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			bag.Set(k, nestedDyn(nil, v[k]))
		}
		return bag
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = nestedDyn(nil, e)
		}
		return out
	case string:
		return v
	case []byte:
		return string(v)
	case bool:
		return v
	case int32:
		return int64(v)
	case int64:
		return v
	case int:
		return int64(v)
	case uint32:
		return int64(v)
	case uint64:
		return int64(v)
	case float32:
		return float64(v)
	case float64:
		return v
	case time.Time:
		return types.DT(types.FromTime(v))
	}
	rv := reflect.ValueOf(x)
	switch rv.Kind() {
	case reflect.Map:
		bag := &types.Bag{}
		keys := rv.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
		for _, k := range keys {
			bag.Set(fmt.Sprint(k), nestedDyn(nil, rv.MapIndex(k).Interface()))
		}
		return bag
	case reflect.Slice, reflect.Array:
		out := make([]any, rv.Len())
		for i := range out {
			out[i] = nestedDyn(nil, rv.Index(i).Interface())
		}
		return out
	}
	return fmt.Sprint(x)
}

// putParquet converts a non-null Parquet value into column ci.
func (rb *rowBuilder) putParquet(ci int32, prio uint8, kind pqKind, v parquet.Value) {
	c := &rb.cols[ci]
	if c.state > prio {
		return
	}
	n := rb.n
	switch v.Kind() {
	case parquet.ByteArray, parquet.FixedLenByteArray:
		b := v.ByteArray()
		if kind == pqUUID && len(b) == 16 {
			g := types.GuidVal(b)
			switch c.typ {
			case types.Guid:
				c.setGuid(n, prio, g)
			case types.String:
				c.setStr(n, prio, types.FormatGuid(g))
			case types.Dynamic:
				c.setDyn(n, prio, types.FormatGuid(g))
			}
			return
		}
		rb.putParquetText(c, prio, b)
		return
	case parquet.Boolean:
		x := v.Boolean()
		switch c.typ {
		case types.Bool:
			c.setBool(n, prio, x)
		case types.String:
			c.setStr(n, prio, strconv.FormatBool(x))
		case types.Dynamic:
			c.setDyn(n, prio, x)
		case types.Int, types.Long:
			c.setInt(n, prio, convB(x))
		}
		return
	case parquet.Float, parquet.Double:
		x := v.Double()
		if v.Kind() == parquet.Float {
			x = float64(v.Float())
		}
		switch c.typ {
		case types.Real, types.Decimal:
			c.setReal(n, prio, x)
		case types.String:
			c.setStr(n, prio, types.FormatReal(x))
		case types.Dynamic:
			c.setDyn(n, prio, x)
		case types.Int, types.Long:
			if x == math.Trunc(x) && x >= -9.223372036854775808e18 && x < 9.223372036854775808e18 &&
				(c.typ == types.Long || (x >= math.MinInt32 && x <= math.MaxInt32)) {
				c.setInt(n, prio, int64(x))
			}
		}
		return
	}
	// Integers and timestamps.
	var x int64
	switch v.Kind() {
	case parquet.Int32:
		x = int64(v.Int32())
	case parquet.Int64:
		x = v.Int64()
	case parquet.Int96:
		i := v.Int96()
		nanos := int64(uint64(i[1])<<32 | uint64(i[0]))
		x = (int64(i[2])-julianUnixEpoch)*86400*types.TicksPerSecond + nanos/100
		kind = pqInt96
	default:
		return
	}
	switch kind {
	case pqMillis:
		x *= 10000
	case pqMicros:
		x *= 10
	case pqNanos:
		x /= 100
	case pqDate:
		x *= 86400 * types.TicksPerSecond
	}
	timeLike := kind != pqPlain
	switch c.typ {
	case types.DateTime:
		if timeLike {
			c.setInt(n, prio, x)
		}
	case types.Timespan:
		if !timeLike {
			c.setInt(n, prio, x)
		}
	case types.Int:
		if !timeLike && x >= math.MinInt32 && x <= math.MaxInt32 {
			c.setInt(n, prio, x)
		}
	case types.Long:
		if !timeLike {
			c.setInt(n, prio, x)
		}
	case types.Real, types.Decimal:
		if !timeLike {
			c.setReal(n, prio, float64(x))
		}
	case types.Bool:
		if !timeLike && (x == 0 || x == 1) {
			c.setBool(n, prio, x == 1)
		}
	case types.String:
		if timeLike {
			c.setStr(n, prio, types.FormatDatetime(x))
		} else {
			c.setStr(n, prio, strconv.FormatInt(x, 10))
		}
	case types.Dynamic:
		if timeLike {
			c.setDyn(n, prio, types.DT(x))
		} else {
			c.setDyn(n, prio, x)
		}
	}
}

// julianUnixEpoch is the Julian day number of 1970-01-01, the base of
// INT96 timestamps.
const julianUnixEpoch = 2440588

func convB(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// skipsGroup reports whether the statistics of row group g show that a
// pushed-down filter fails on all its rows.
func (pd *pushdown) skipsGroup(idx int, pf *parquet.File) bool {
	meta := pf.Metadata().RowGroups[idx]
	for _, c := range pd.checks {
		if c.typ != types.DateTime && c.typ != types.Int && c.typ != types.Long {
			continue
		}
		excluded := true
		present := false
		for _, key := range c.keys {
			col := pf.Root().Column(string(key))
			if col == nil {
				continue
			}
			present = true
			if !col.Leaf() || col.Repeated() {
				excluded = false
				break
			}
			lo, hi, ok := columnBounds(col, meta.Columns[col.Index()].MetaData.Statistics, meta.NumRows)
			if !ok || c.rangeMayPass(lo, hi) {
				excluded = false
				break
			}
		}
		if present && excluded {
			return true
		}
	}
	return false
}

// columnBounds decodes a column chunk's min and max as the column's KQL
// values (ticks for times). ok is false when they are unknown or the
// chunk may hold nulls only partly described.
func columnBounds(col *parquet.Column, st format.Statistics, rows int64) (lo, hi int64, ok bool) {
	minB, maxB := st.MinValue, st.MaxValue
	if minB == nil || maxB == nil {
		minB, maxB = st.Min, st.Max
	}
	if minB == nil || maxB == nil {
		return 0, 0, false
	}
	if lt := col.Type().LogicalType(); lt != nil {
		if it, ok := lt.Value.(*format.IntType); ok && !it.IsSigned {
			return 0, 0, false // ordered as unsigned
		}
	}
	k := pqKindOf(col)
	dec := func(b []byte) (int64, bool) {
		var x int64
		switch col.Type().Kind() {
		case parquet.Int32:
			if len(b) != 4 {
				return 0, false
			}
			x = int64(int32(binary.LittleEndian.Uint32(b)))
		case parquet.Int64:
			if len(b) != 8 {
				return 0, false
			}
			x = int64(binary.LittleEndian.Uint64(b))
		default:
			return 0, false
		}
		switch k {
		case pqMillis:
			x *= 10000
		case pqMicros:
			x *= 10
		case pqNanos:
			x /= 100
		case pqDate:
			x *= 86400 * types.TicksPerSecond
		}
		return x, true
	}
	lo, ok1 := dec(minB)
	hi, ok2 := dec(maxB)
	return lo, hi, ok1 && ok2
}

// rangeMayPass reports whether some value in [lo, hi] passes the check.
// Nulls fail every check skipsGroup uses (absentFails).
func (c *pdCheck) rangeMayPass(lo, hi int64) bool {
	switch c.op {
	case pdEq:
		return lo <= c.num && c.num <= hi
	case pdLt:
		return lo < c.num
	case pdLe:
		return lo <= c.num
	case pdGt:
		return hi > c.num
	case pdGe:
		return hi >= c.num
	case pdIn:
		for _, n := range c.nums {
			if lo <= n && n <= hi {
				return true
			}
		}
		return false
	}
	return true
}

// putParquetText stores a string value: as text in string columns, parsed
// as in a JSON string for the others, and in dynamic columns parsed when
// it holds a JSON object or array (Parquet exports keep RawEventData as
// JSON text).
func (rb *rowBuilder) putParquetText(c *colOut, prio uint8, b []byte) {
	n := rb.n
	switch c.typ {
	case types.String:
		c.setStr(n, prio, c.in.str(b))
	case types.Dynamic:
		if startsLikeJSONContainer(b) {
			if v, err := c.tree.parsePaths(b, c.paths); err == nil {
				c.setDyn(n, prio, v)
				return
			}
		}
		c.setDyn(n, prio, c.tree.vals.box(b))
	case types.Int, types.Long:
		if v, ok := parseIntText(b, c.typ == types.Int); ok {
			c.setInt(n, prio, v)
		}
	case types.Real, types.Decimal:
		if v, ok := parseRealText(b); ok {
			c.setReal(n, prio, v)
		}
	case types.Bool:
		if v, ok := parseBoolText(b); ok {
			c.setBool(n, prio, v)
		}
	case types.DateTime:
		if v, ok := types.ParseDatetime(tmpString(b)); ok {
			c.setInt(n, prio, v)
		}
	case types.Timespan:
		if v, ok := types.ParseTimespan(tmpString(b)); ok {
			c.setInt(n, prio, v)
		}
	case types.Guid:
		if v, ok := types.ParseGuid(tmpString(trimText(b))); ok {
			c.setGuid(n, prio, v)
		}
	}
}
