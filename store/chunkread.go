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

	dict  *vec.Vec // decoded dictionary values
	codes []byte

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

// loadDict decodes the dictionary and the codes of a dictionary chunk.
func (r *chunkReader) loadDict() error {
	if r.dict != nil {
		return nil
	}
	b, err := r.pf.page(r.c.dict)
	if err != nil {
		return err
	}
	d, err := r.decodeVec(b, r.c.ndict)
	if err != nil {
		return err
	}
	if r.c.codes != nil {
		codes, err := r.pf.page(*r.c.codes)
		if err != nil {
			return err
		}
		// The footer checked the size; codes must also be in range.
		n := uint32(r.c.ndict)
		for i := 0; i < r.rows; i++ {
			if codeAt(codes, r.c.width, i) >= n {
				return r.corrupt()
			}
		}
		r.codes = codes
	}
	r.dict = d
	return nil
}

func (r *chunkReader) code(i int) uint32 {
	if r.codes == nil {
		return 0
	}
	return codeAt(r.codes, r.c.width, i)
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
		if err := r.loadDict(); err != nil {
			return nil, err
		}
		if r.t.Physical() == types.PhysString {
			for _, i := range rows {
				out.Strs = append(out.Strs, r.dict.Strs[r.code(int(i))])
			}
			return out, nil
		}
		for _, i := range rows {
			if r.isNull(int(i)) {
				out.AppendNull()
				continue
			}
			out.AppendFrom(r.dict, int(r.code(int(i))))
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
		if err := r.loadDict(); err != nil {
			return nil, err
		}
		return r.dict.Dyns[r.code(i)], nil
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
