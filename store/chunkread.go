package store

import (
	"sort"

	"hunt/engine/vec"
	"hunt/kql/types"
)

// chunkReader reads one chunk of one block, decoding pages only when a
// row in them is asked for and keeping the last one decoded. Rows are
// asked for in ascending order.
type chunkReader struct {
	pf   *partFile
	c    *chunk
	t    types.Type
	rows int

	nullsDone bool
	nulls     bitset

	codesDone  bool
	codes      packed     // no words: every row has code 0
	dictStarts []int      // first code of each dictionary page
	dictPages  []*vec.Vec // decoded dictionary pages, nil until needed
	dictCur    int        // the page last used
	dict       *vec.Vec   // the whole dictionary, for filters

	starts   []int // first row of each page
	pageNo   int
	fixed    *vec.Vec // decoded page of a fixed-width type
	data     []byte   // decoded page of a string or dynamic type:
	ends     []uint32 // the bytes and the end of each row's
	dataStr  string   // data as one string, when shared
	dyn      dynDecoder
	idx      *termIndex
	idxDone  bool
	scratchB []bool
}

func newChunkReader(pf *partFile, c *chunk, t types.Type, rows int) *chunkReader {
	return &chunkReader{pf: pf, c: c, t: t, rows: rows, pageNo: -1}
}

// absent reports whether every row is null ("" for strings).
func (r *chunkReader) absent() bool { return r.c == nil || r.c.enc == encAbsent }

func (r *chunkReader) loadNulls() error {
	if r.nullsDone {
		return nil
	}
	r.nullsDone = true
	if r.c == nil || r.c.nulls == nil {
		return nil
	}
	b, err := r.pf.page(*r.c.nulls)
	if err != nil {
		return err
	}
	r.nulls, err = bitmapBytes(b, r.rows)
	return err
}

func (r *chunkReader) isNull(i int) bool { return r.nulls != nil && r.nulls.get(i) }

// decodeVec decodes a page holding n values of the reader's type.
func (r *chunkReader) decodeVec(b []byte, n int) (*vec.Vec, error) {
	v := &vec.Vec{Type: r.t}
	var err error
	switch r.t.Physical() {
	case types.PhysInt:
		v.Ints, err = decodeInts(b, n)
	case types.PhysReal:
		v.Reals, err = decodeReals(b, n)
	case types.PhysBool:
		v.Bools, err = decodeBools(b, n)
	case types.PhysGuid:
		v.Guids, err = decodeGuids(b, n)
	case types.PhysString:
		v.Strs, err = decodeStrings(b, n)
	default:
		data, ends, e := spans(b, n, nil)
		if e != nil {
			return nil, r.corrupt()
		}
		v.Dyns = make([]any, n)
		start := uint32(0)
		for i, end := range ends {
			x, e := r.dyn.decode(data[start:end])
			if e != nil {
				return nil, r.corrupt()
			}
			v.Dyns[i] = x
			start = end
		}
	}
	if err != nil {
		return nil, r.corrupt()
	}
	return v, nil
}

func (r *chunkReader) corrupt() error {
	return &CorruptError{Path: r.pf.path, Reason: "damaged page: its values do not decode"}
}

// loadCodes reads the codes of a dictionary chunk.
func (r *chunkReader) loadCodes() error {
	if r.codesDone {
		return nil
	}
	r.codesDone = true
	r.dictStarts = make([]int, len(r.c.dict))
	r.dictPages = make([]*vec.Vec, len(r.c.dict))
	s := 0
	for k, p := range r.c.dict {
		r.dictStarts[k] = s
		s += p.rows
	}
	if r.c.codes != nil {
		b, err := r.pf.page(*r.c.codes)
		if err != nil {
			return err
		}
		// Codes past the dictionary (damage) are caught where used.
		codes, err := readPacked(b, r.rows, int(r.c.width))
		if err != nil {
			return r.corrupt()
		}
		r.codes = codes
	}
	return nil
}

// loadDict decodes the whole dictionary, for evaluating a filter once
// per distinct value.
func (r *chunkReader) loadDict() error {
	if r.dict != nil {
		return nil
	}
	if err := r.loadCodes(); err != nil {
		return err
	}
	all := vec.New(r.t, r.c.ndict)
	for k := range r.c.dict {
		pg, err := r.dictPage(k)
		if err != nil {
			return err
		}
		for j := 0; j < r.c.dict[k].rows; j++ {
			all.AppendFrom(pg, j)
		}
	}
	r.dict = all
	return nil
}

func (r *chunkReader) dictPage(k int) (*vec.Vec, error) {
	if pg := r.dictPages[k]; pg != nil {
		return pg, nil
	}
	b, err := r.pf.page(r.c.dict[k].ref)
	if err != nil {
		return nil, err
	}
	pg, err := r.decodeVec(b, r.c.dict[k].rows)
	if err != nil {
		return nil, err
	}
	r.dictPages[k] = pg
	return pg, nil
}

// entry locates the value of code c: its dictionary page and index there.
func (r *chunkReader) entry(c uint32) (*vec.Vec, int, error) {
	if c >= uint32(r.c.ndict) {
		return nil, 0, r.corrupt()
	}
	k := r.dictCur
	if int(c) < r.dictStarts[k] || int(c) >= r.dictStarts[k]+r.c.dict[k].rows {
		k = sort.Search(len(r.dictStarts), func(k int) bool { return r.dictStarts[k] > int(c) }) - 1
		r.dictCur = k
	}
	pg, err := r.dictPage(k)
	if err != nil {
		return nil, 0, err
	}
	return pg, int(c) - r.dictStarts[k], nil
}

func (r *chunkReader) code(i int) uint32 {
	if r.codes.words == nil {
		return 0
	}
	return r.codes.get(i)
}

// seekPage makes the page holding row i current.
func (r *chunkReader) seekPage(i int) error {
	if r.starts == nil {
		r.starts = make([]int, len(r.c.pages))
		s := 0
		for k, p := range r.c.pages {
			r.starts[k] = s
			s += p.rows
		}
	}
	if r.pageNo >= 0 && i >= r.starts[r.pageNo] && i < r.starts[r.pageNo]+r.c.pages[r.pageNo].rows {
		return nil
	}
	k := sort.Search(len(r.starts), func(k int) bool { return r.starts[k] > i }) - 1
	return r.loadPage(k)
}

func (r *chunkReader) loadPage(k int) error {
	p := r.c.pages[k]
	b, err := r.pf.page(p.ref)
	if err != nil {
		return err
	}
	r.pageNo = -1
	ends := r.ends[:0]
	r.fixed, r.data, r.ends, r.dataStr = nil, nil, nil, ""
	switch r.t.Physical() {
	case types.PhysString, types.PhysDynamic, types.PhysNone:
		data, ends, err := spans(b, p.rows, ends)
		if err != nil {
			return r.corrupt()
		}
		r.data, r.ends = data, ends
	default:
		v, err := r.decodeVec(b, p.rows)
		if err != nil {
			return err
		}
		r.fixed = v
	}
	r.pageNo = k
	return nil
}

// item returns the bytes of row i in the current page.
func (r *chunkReader) item(i int) []byte {
	j := i - r.starts[r.pageNo]
	s := uint32(0)
	if j > 0 {
		s = r.ends[j-1]
	}
	return r.data[s:r.ends[j]]
}

// gather returns the values of rows (ascending) as a vector of the
// reader's type.
func (r *chunkReader) gather(rows []int32) (*vec.Vec, error) {
	out := vec.New(r.t, len(rows))
	if r.absent() {
		for range rows {
			out.AppendNull()
		}
		return out, nil
	}
	if err := r.loadNulls(); err != nil {
		return nil, err
	}
	switch r.c.enc {
	case encDict:
		if err := r.loadCodes(); err != nil {
			return nil, err
		}
		str := r.t.Physical() == types.PhysString
		for _, i := range rows {
			if !str && r.isNull(int(i)) {
				out.AppendNull()
				continue
			}
			pg, j, err := r.entry(r.code(int(i)))
			if err != nil {
				return nil, err
			}
			if str {
				out.Strs = append(out.Strs, pg.Strs[j])
			} else {
				out.AppendFrom(pg, j)
			}
		}
		return out, nil
	}
	for k := 0; k < len(rows); {
		if err := r.seekPage(int(rows[k])); err != nil {
			return nil, err
		}
		end := r.starts[r.pageNo] + r.c.pages[r.pageNo].rows
		m := k
		for m < len(rows) && int(rows[m]) < end {
			m++
		}
		if err := r.fromPage(out, rows[k:m]); err != nil {
			return nil, err
		}
		k = m
	}
	return out, nil
}

// fromPage appends rows of the current page.
func (r *chunkReader) fromPage(out *vec.Vec, rows []int32) error {
	first := r.starts[r.pageNo]
	switch r.t.Physical() {
	case types.PhysString:
		// A dense selection shares one copy of the page; a sparse one
		// copies its strings, so that a few kept values do not pin
		// whole pages in memory.
		if 4*len(rows) >= r.c.pages[r.pageNo].rows {
			if r.dataStr == "" && len(r.data) > 0 {
				r.dataStr = string(r.data)
			}
			for _, i := range rows {
				j := int(i) - first
				s := uint32(0)
				if j > 0 {
					s = r.ends[j-1]
				}
				out.Strs = append(out.Strs, r.dataStr[s:r.ends[j]])
			}
			return nil
		}
		for _, i := range rows {
			out.Strs = append(out.Strs, string(r.item(int(i))))
		}
		return nil
	case types.PhysDynamic, types.PhysNone:
		for _, i := range rows {
			x, err := r.dyn.decode(r.item(int(i)))
			if err != nil {
				return r.corrupt()
			}
			out.Dyns = append(out.Dyns, x)
		}
		return nil
	}
	for _, i := range rows {
		if r.isNull(int(i)) {
			out.AppendNull()
			continue
		}
		out.AppendFrom(r.fixed, int(i)-first)
	}
	return nil
}

// index returns the chunk's term index, or nil when it has none.
func (r *chunkReader) index() (*termIndex, error) {
	if r.idxDone {
		return r.idx, nil
	}
	r.idxDone = true
	if r.c == nil || r.c.index == nil {
		return nil, nil
	}
	b, err := r.pf.page(*r.c.index)
	if err != nil {
		return nil, err
	}
	ti, err := openIndex(b, r.rows)
	if err != nil {
		return nil, r.corrupt()
	}
	r.idx = ti
	return ti, nil
}

// value returns the value of row i of a dynamic chunk.
func (r *chunkReader) value(i int) (any, error) {
	if r.absent() {
		return nil, nil
	}
	if r.c.enc == encDict {
		if err := r.loadCodes(); err != nil {
			return nil, err
		}
		pg, j, err := r.entry(r.code(i))
		if err != nil {
			return nil, err
		}
		return pg.Dyns[j], nil
	}
	if err := r.seekPage(i); err != nil {
		return nil, err
	}
	x, err := r.dyn.decode(r.item(i))
	if err != nil {
		return nil, r.corrupt()
	}
	return x, nil
}
