package store

import (
	"sort"

	"hunt/engine/exec"
	"hunt/engine/vec"
	"hunt/kql/types"
)

// worker scans blocks: it narrows the block's rows with the filters, the
// cheapest first, then decodes the output columns of the rows left, a
// batch at a time. Its predicate evaluators are its own.
type worker struct {
	sp    *scanPlan
	evals []*exec.ValuePredicate
	// nullPass caches the predicate's result on null: 0 unknown, 1 true, 2 false.
	nullPass []int8
	bools    []bool
	rowsBuf  []int32
}

func newWorker(sp *scanPlan) *worker {
	return &worker{sp: sp, evals: make([]*exec.ValuePredicate, len(sp.filters)), nullPass: make([]int8, len(sp.filters))}
}

func (w *worker) close() {
	for _, e := range w.evals {
		if e != nil {
			e.Close()
		}
	}
}

func (w *worker) eval(fi int) (*exec.ValuePredicate, error) {
	if w.evals[fi] == nil {
		f := &w.sp.filters[fi]
		e, err := exec.NewValuePredicate(f.pred, f.t)
		if err != nil {
			return nil, err
		}
		w.evals[fi] = e
	}
	return w.evals[fi], nil
}

// passNull evaluates filter fi on a null value (an empty string for
// string columns).
func (w *worker) passNull(fi int) (bool, error) {
	if w.nullPass[fi] == 0 {
		e, err := w.eval(fi)
		if err != nil {
			return false, err
		}
		ok, err := e.EvalOne(nil)
		if err != nil {
			return false, err
		}
		w.nullPass[fi] = 2
		if ok {
			w.nullPass[fi] = 1
		}
	}
	return w.nullPass[fi] == 1, nil
}

// blockState holds the readers of one block, shared by the filters and
// the output.
type blockState struct {
	pf      *partFile
	bi      int
	b       *block
	readers map[string]*chunkReader
	paths   map[string]*pathsReader
}

func (bs *blockState) reader(col string, t types.Type) (*chunkReader, error) {
	if r, ok := bs.readers[col]; ok {
		return r, nil
	}
	c, err := bs.pf.column(bs.bi, col, t)
	if err != nil {
		return nil, err
	}
	r := newChunkReader(bs.pf, c, t, bs.b.rows)
	bs.readers[col] = r
	return r, nil
}

func (bs *blockState) pathsOf(col string) (*pathsReader, error) {
	if p, ok := bs.paths[col]; ok {
		return p, nil
	}
	r, err := bs.reader(col, types.Dynamic)
	if err != nil {
		return nil, err
	}
	p, err := newPathsReader(r)
	if err != nil {
		return nil, err
	}
	bs.paths[col] = p
	return p, nil
}

// run scans block bi of pf, passing batches of matching rows to emit
// until it returns false.
func (w *worker) run(pf *partFile, bi int, emit func(*vec.Batch) bool) error {
	b := pf.foot.blocks[bi]
	if b.rows == 0 {
		return nil
	}
	bs := &blockState{pf: pf, bi: bi, b: b, readers: map[string]*chunkReader{}, paths: map[string]*pathsReader{}}
	cand := fullBitset(b.rows)
	order := w.order(bs)
	for _, fi := range order {
		if err := w.apply(bs, fi, cand); err != nil {
			return err
		}
		if cand.empty() {
			return nil
		}
	}
	rows := cand.rows(w.rowsBuf[:0])
	w.rowsBuf = rows
	for off := 0; off < len(rows); off += vec.BatchSize {
		end := min(len(rows), off+vec.BatchSize)
		batch, err := w.materialize(bs, rows[off:end])
		if err != nil {
			return err
		}
		if !emit(batch) {
			return nil
		}
	}
	return nil
}

// order sorts the filters by the work they cost on this block.
func (w *worker) order(bs *blockState) []int {
	type fc struct{ i, cost int }
	var fs []fc
	for i := range w.sp.filters {
		fs = append(fs, fc{i, w.cost(bs, i)})
	}
	sort.SliceStable(fs, func(a, b int) bool { return fs[a].cost < fs[b].cost })
	out := make([]int, len(fs))
	for k, f := range fs {
		out[k] = f.i
	}
	return out
}

func (w *worker) cost(bs *blockState, fi int) int {
	f := &w.sp.filters[fi]
	t := f.t
	if f.sf.Path != "" {
		t = types.Dynamic
	}
	r, err := bs.reader(f.sf.Column, t)
	if err != nil {
		return 0 // the filter reports the damage first
	}
	c := r.c
	if c == nil || c.enc == encAbsent {
		return 0
	}
	if f.sf.Path != "" {
		if c.shape == nil {
			return 0
		}
		for _, s := range c.subs {
			if s.key == f.sf.Path {
				return 1 + chunkCost(s.strs, f)
			}
		}
		return 5
	}
	if f.hasRange && c.hasRange && (c.max < f.lo || c.min > f.hi) {
		return 0
	}
	return chunkCost(c, f)
}

func chunkCost(c *chunk, f *filterInfo) int {
	switch {
	case c.enc == encAbsent:
		return 0
	case c.enc == encDict:
		return 1
	case c.index != nil && f.anyOf != nil || c.index != nil && f.allOf != nil:
		return 2
	case f.hasRange:
		return 2
	}
	return 3
}

// apply removes from cand the rows of the block that fail filter fi.
func (w *worker) apply(bs *blockState, fi int, cand bitset) error {
	f := &w.sp.filters[fi]
	if f.sf.Path != "" {
		return w.applyPath(bs, fi, cand)
	}
	r, err := bs.reader(f.sf.Column, f.t)
	if err != nil {
		return err
	}
	return w.applyChunk(r, fi, cand, f.t)
}

// applyChunk filters cand by the values of a chunk, presented to the
// predicate as type t (dynamic for the strings of a shredded key).
func (w *worker) applyChunk(r *chunkReader, fi int, cand bitset, t types.Type) error {
	f := &w.sp.filters[fi]
	if f.pred == nil {
		return w.applyRangeOnly(r, fi, cand)
	}
	if r.absent() {
		ok, err := w.passNull(fi)
		if err != nil || ok {
			return err
		}
		clear(cand)
		return nil
	}
	if err := r.loadNulls(); err != nil {
		return err
	}
	c := r.c
	if f.hasRange && c.hasRange {
		if c.max < f.lo || c.min > f.hi || f.lo > f.hi {
			return w.keepNulls(r, fi, cand, false)
		}
		if f.lo <= c.min && c.max <= f.hi {
			return w.keepNulls(r, fi, cand, true)
		}
	}
	e, err := w.eval(fi)
	if err != nil {
		return err
	}
	if c.enc == encDict {
		if err := r.loadDict(); err != nil {
			return err
		}
		pass, err := e.Eval(asType(r.dict, t), r.dict.Len(), nil)
		if err != nil {
			return err
		}
		pn := false
		if r.nulls != nil {
			if pn, err = w.passNull(fi); err != nil {
				return err
			}
		}
		allPass, nonePass := true, true
		for _, p := range pass {
			allPass = allPass && p
			nonePass = nonePass && !p
		}
		if allPass && (r.nulls == nil || pn) {
			return nil
		}
		if nonePass && (r.nulls == nil || !pn) {
			clear(cand)
			return nil
		}
		// The codes' pass bits, a table entry for every possible code
		// (damaged codes past the dictionary pass nothing).
		table := make([]bool, 1<<c.width)
		copy(table, pass)
		sel := newBitset(r.rows)
		if r.codes.words == nil {
			if table[0] {
				copy(sel, fullBitset(r.rows))
			}
		} else {
			r.codes.selectCodes(table, r.rows, sel)
		}
		if r.nulls != nil {
			for k := range sel {
				if pn {
					sel[k] |= r.nulls[k]
				} else {
					sel[k] &^= r.nulls[k]
				}
			}
		}
		cand.and(sel)
		return nil
	}
	if f.anyOf != nil || f.allOf != nil {
		if err := w.applyIndex(r, f, cand); err != nil {
			return err
		}
	}
	// Exact evaluation, page by page, of the candidates left; pages
	// whose range decides the comparison are not decoded.
	start := 0
	for _, p := range c.pages {
		end := start + p.rows
		if f.hasRange && p.hasRange && (p.max < f.lo || p.min > f.hi || f.lo <= p.min && p.max <= f.hi) {
			keep := !(p.max < f.lo || p.min > f.hi)
			pn := false
			if r.nulls != nil {
				var err error
				if pn, err = w.passNull(fi); err != nil {
					return err
				}
			}
			for i := start; i < end; i++ {
				if !cand.get(i) {
					continue
				}
				ok := keep
				if r.isNull(i) {
					ok = pn
				}
				if !ok {
					cand[i>>6] &^= 1 << (uint(i) & 63)
				}
			}
			start = end
			continue
		}
		rows := rowsIn(cand, start, end, w.rowsBuf[:0])
		w.rowsBuf = rows
		if len(rows) > 0 {
			v, err := r.gather(rows)
			if err != nil {
				return err
			}
			pass, err := e.Eval(asType(v, t), len(rows), w.bools)
			if err != nil {
				return err
			}
			w.bools = pass
			for k, i := range rows {
				if !pass[k] {
					cand[i>>6] &^= 1 << (uint(i) & 63)
				}
			}
		}
		start = end
	}
	return nil
}

// keepNulls settles a chunk whose range decides the comparison for its
// non-null rows (pass); null rows pass as the predicate does on null.
func (w *worker) keepNulls(r *chunkReader, fi int, cand bitset, pass bool) error {
	pn := false
	if r.nulls != nil {
		var err error
		if pn, err = w.passNull(fi); err != nil {
			return err
		}
	}
	if pass && (r.nulls == nil || pn) {
		return nil
	}
	for wi := range cand {
		var keep uint64
		if pass {
			keep = ^uint64(0)
		}
		if r.nulls != nil && wi < len(r.nulls) {
			if pn {
				keep |= r.nulls[wi]
			} else {
				keep &^= r.nulls[wi]
			}
		}
		cand[wi] &= keep
	}
	return nil
}

// applyRangeOnly prunes by zone maps alone, for a filter without a
// predicate to evaluate (one not made by plan.PushDown).
func (w *worker) applyRangeOnly(r *chunkReader, fi int, cand bitset) error {
	f := &w.sp.filters[fi]
	if !f.hasRange || r.absent() || !r.c.hasRange {
		return nil
	}
	if r.c.max < f.lo || r.c.min > f.hi || f.lo > f.hi {
		// Only nulls could pass, and a comparison is false on null.
		clear(cand)
	}
	return nil
}

// applyIndex narrows cand to rows holding the terms a has-like filter
// needs.
func (w *worker) applyIndex(r *chunkReader, f *filterInfo, cand bitset) error {
	ti, err := r.index()
	if err != nil || ti == nil {
		return err
	}
	if f.allOf != nil {
		for _, t := range f.allOf {
			rs, err := ti.rows([]byte(t))
			if err != nil {
				return err
			}
			if rs == nil {
				clear(cand)
				return nil
			}
			cand.and(rs)
		}
		return nil
	}
	union := newBitset(r.rows)
	for _, terms := range f.anyOf {
		var need bitset
		for _, t := range terms {
			rs, err := ti.rows([]byte(t))
			if err != nil {
				return err
			}
			if rs == nil {
				need = nil
				break
			}
			if need == nil {
				need = rs
			} else {
				need.and(rs)
			}
		}
		if need != nil {
			union.or(need)
		}
	}
	cand.and(union)
	return nil
}

// applyPath filters by one key of a dynamic column.
func (w *worker) applyPath(bs *blockState, fi int, cand bitset) error {
	f := &w.sp.filters[fi]
	if f.pred == nil {
		return nil
	}
	pr, err := bs.pathsOf(f.sf.Column)
	if err != nil {
		return err
	}
	pn, err := w.passNull(fi)
	if err != nil {
		return err
	}
	if pr.shape == nil {
		if !pn {
			clear(cand)
		}
		return nil
	}
	sr, err := pr.sub(f.sf.Path)
	if err != nil {
		return err
	}
	if sr == nil {
		// Not shredded here: rows whose bags have unshredded keys are
		// decoded; the others lack the key.
		return w.applyMembers(pr, fi, cand, pn, func(i int) bool { return pr.shapeOf(i) == shapeMore })
	}
	// The rows holding strings are filtered through the sub-column (its
	// dictionary or index); the others by value.
	strRows := newBitset(bs.b.rows)
	var otherRows []int32
	for wi, word := range cand {
		for word != 0 {
			bit := word & -word
			i := wi*64 + bitIndex(bit)
			switch sr.kind(i) {
			case kindString:
				strRows.set(i)
			case kindOther:
				otherRows = append(otherRows, int32(i))
			default:
				if !pn {
					cand[wi] &^= bit
				}
			}
			word &^= bit
		}
	}
	if !strRows.empty() {
		before := append(bitset(nil), strRows...)
		if err := w.applyChunk(sr.strs, fi, strRows, types.Dynamic); err != nil {
			return err
		}
		for k := range cand {
			cand[k] &^= before[k] &^ strRows[k]
		}
	}
	if len(otherRows) > 0 {
		if sr.other == nil {
			return pr.whole.corrupt()
		}
		v, err := sr.other.gather(otherRows)
		if err != nil {
			return err
		}
		e, err := w.eval(fi)
		if err != nil {
			return err
		}
		pass, err := e.Eval(v, len(otherRows), w.bools)
		if err != nil {
			return err
		}
		w.bools = pass
		for k, i := range otherRows {
			if !pass[k] {
				cand[i>>6] &^= 1 << (uint(i) & 63)
			}
		}
	}
	return nil
}

// applyMembers evaluates a path filter on the rows where decode says the
// whole value must be read; other rows lack the key (pass as null does).
func (w *worker) applyMembers(pr *pathsReader, fi int, cand bitset, pn bool, decode func(int) bool) error {
	var rows []int32
	for wi, word := range cand {
		for word != 0 {
			bit := word & -word
			i := wi*64 + bitIndex(bit)
			if decode(i) {
				rows = append(rows, int32(i))
			} else if !pn {
				cand[wi] &^= bit
			}
			word &^= bit
		}
	}
	if len(rows) == 0 {
		return nil
	}
	f := &w.sp.filters[fi]
	v := vec.New(types.Dynamic, len(rows))
	for _, i := range rows {
		x, err := pr.member(f.sf.Path, int(i))
		if err != nil {
			return err
		}
		v.Dyns = append(v.Dyns, x)
	}
	e, err := w.eval(fi)
	if err != nil {
		return err
	}
	pass, err := e.Eval(v, len(rows), w.bools)
	if err != nil {
		return err
	}
	w.bools = pass
	for k, i := range rows {
		if !pass[k] {
			cand[i>>6] &^= 1 << (uint(i) & 63)
		}
	}
	return nil
}

// materialize decodes the output columns for rows of the block.
func (w *worker) materialize(bs *blockState, rows []int32) (*vec.Batch, error) {
	vecs := make([]*vec.Vec, len(w.sp.cols))
	for k, oc := range w.sp.cols {
		var v *vec.Vec
		var err error
		if oc.keys != nil {
			var pr *pathsReader
			if pr, err = bs.pathsOf(oc.name); err == nil {
				v, err = pr.gather(oc.keys, rows)
			}
		} else {
			var r *chunkReader
			if r, err = bs.reader(oc.name, oc.t); err == nil {
				v, err = r.gather(rows)
			}
		}
		if err != nil {
			return nil, err
		}
		vecs[k] = v
	}
	b := &vec.Batch{Cols: make([]*vec.Vec, len(w.sp.out)), N: len(rows)}
	for i, k := range w.sp.out {
		b.Cols[i] = vecs[k]
	}
	return b, nil
}

// asType presents a vector to a predicate over type t: strings become
// dynamic strings for a predicate on a member of a dynamic column.
func asType(v *vec.Vec, t types.Type) *vec.Vec {
	if v.Type == t || t != types.Dynamic || v.Type != types.String {
		return v
	}
	out := &vec.Vec{Type: types.Dynamic, Dyns: make([]any, len(v.Strs))}
	for i, s := range v.Strs {
		out.Dyns[i] = s
	}
	return out
}

// rowsIn appends the members of cand in [from, to).
func rowsIn(cand bitset, from, to int, dst []int32) []int32 {
	for i := from; i < to; {
		wi := i >> 6
		word := cand[wi] >> (uint(i) & 63)
		if word == 0 {
			i = (wi + 1) << 6
			continue
		}
		i += bitIndex(word & -word)
		if i >= to {
			break
		}
		dst = append(dst, int32(i))
		i++
	}
	return dst
}
