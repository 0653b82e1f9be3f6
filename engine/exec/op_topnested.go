package exec

import (
	"encoding/binary"
	"fmt"
	"sort"

	"hunt/engine/fn"
	"hunt/engine/vec"
	"hunt/kql/plan"
)

// topNestedOp computes top-nested. It buffers its whole input, then works
// level by level: hash-aggregate the rows still in play by (parent group,
// Of value), keep each parent's top N groups, and let only the rows of kept
// groups go on to the next level.
type topNestedOp struct {
	ctx  *Context
	in   Operator
	n    *plan.TopNested
	done bool
}

// tnEntries are the output groups of one level, in output order: each
// parent's kept groups best first, then its others group.
type tnEntries struct {
	of, by   *vec.Vec
	others   []bool
	children [][]int32 // entries of the next level, per entry
}

func newTopNested(ctx *Context, n *plan.TopNested) (Operator, error) {
	in, err := Build(ctx, n.Input)
	if err != nil {
		return nil, err
	}
	return &topNestedOp{ctx: ctx, in: in, n: n}, nil
}

func (o *topNestedOp) Next() (*vec.Batch, error) {
	if o.done {
		return nil, nil
	}
	o.done = true
	all := vec.NewBuilder(o.n.Input.Schema(), 0)
	if err := drain(o.in, func(b *vec.Batch) error { appendBatch(all.Cols, b); return nil }); err != nil {
		return nil, err
	}
	b := &vec.Batch{Cols: all.Cols, N: all.Len()}
	if b.N == 0 {
		return nil, nil
	}
	// cur[i] is the entry of the previous level row i belongs to; -1 once
	// the row's group has been dropped. The root is entry 0.
	cur := make([]int32, b.N)
	var levels []*tnEntries
	roots := 1
	for li := range o.n.Levels {
		e, err := o.level(&o.n.Levels[li], b, cur, roots)
		if err != nil {
			return nil, err
		}
		if li > 0 {
			levels[li-1].children = e.parentKids
		}
		levels = append(levels, e.entries)
		roots = e.entries.of.Len()
	}
	return o.emit(levels), nil
}

type tnLevelResult struct {
	entries    *tnEntries
	parentKids [][]int32
}

// level computes one level over the rows in play and moves cur to the
// new level's entries.
func (o *topNestedOp) level(l *plan.TopNestedLevel, b *vec.Batch, cur []int32, nparent int) (tnLevelResult, error) {
	ofEv, err := compile(o.ctx, l.Of)
	if err != nil {
		return tnLevelResult{}, err
	}
	ofv, err := ofEv.eval(b)
	if err != nil {
		return tnLevelResult{}, err
	}
	ofv = ofv.Expand(b.N)

	// Group ids start at 1: group 0 collects the rows out of play, whose
	// aggregates are never read.
	child := make([]uint32, b.N)
	groups := map[string]uint32{}
	parentOf := []int32{-1}
	firstRow := []int{-1}
	kids := make([][]uint32, nparent)
	var enc keyEncoder
	enc.encode([]*vec.Vec{ofv}, b.N, nil)
	var key []byte
	for i := 0; i < b.N; i++ {
		p := cur[i]
		if p < 0 {
			continue
		}
		key = binary.LittleEndian.AppendUint32(key[:0], uint32(p))
		key = append(key, enc.key(i)...)
		g, ok := groups[string(key)]
		if !ok {
			g = uint32(len(parentOf))
			groups[string(key)] = g
			parentOf = append(parentOf, p)
			firstRow = append(firstRow, i)
			kids[p] = append(kids[p], g)
		}
		child[i] = g
	}
	byv, err := o.rank(l, b, child, len(parentOf))
	if err != nil {
		return tnLevelResult{}, err
	}

	// Keep each parent's top N; ties keep first-seen order.
	kept := make([]int32, len(parentOf)) // entry of a kept group, or -1
	for g := range kept {
		kept[g] = -1
	}
	ent := &tnEntries{of: vec.New(l.Of.Type(), 0), by: vec.New(l.By.Type(), 0)}
	res := tnLevelResult{entries: ent, parentKids: make([][]int32, nparent)}
	droppedAny := false
	for p := 0; p < nparent; p++ {
		ks := kids[p]
		sort.SliceStable(ks, func(x, y int) bool {
			return compareRows(byv, int(ks[x]), int(ks[y]), l.Desc, false) < 0
		})
		n := len(ks)
		if l.N >= 0 && int64(n) > l.N {
			n = int(l.N)
			droppedAny = true
		}
		for _, g := range ks[:n] {
			kept[g] = int32(ent.of.Len())
			res.parentKids[p] = append(res.parentKids[p], kept[g])
			ent.of.AppendFrom(ofv, firstRow[g])
			ent.by.AppendFrom(byv, int(g))
			ent.others = append(ent.others, false)
		}
	}
	if l.Others != nil && droppedAny {
		var err error
		if res, err = o.others(l, b, child, kept, parentOf, kids, res); err != nil {
			return tnLevelResult{}, err
		}
	}
	for i := range cur {
		if cur[i] >= 0 {
			cur[i] = kept[child[i]]
		}
	}
	return res, nil
}

// rank aggregates the rows of groups [1, ngroup) and evaluates the ranking
// expression per group.
func (o *topNestedOp) rank(l *plan.TopNestedLevel, b *vec.Batch, gids []uint32, ngroup int) (*vec.Vec, error) {
	out := &vec.Batch{N: ngroup}
	for _, a := range l.Aggs {
		var args []evaluator
		info := make([]plan.Expr, len(a.Args))
		for i, arg := range a.Args {
			ev, err := compile(o.ctx, arg)
			if err != nil {
				return nil, err
			}
			args = append(args, ev)
			info[i] = arg
			if c, ok := ev.(constEval); ok {
				info[i] = &plan.Const{T: arg.Type(), Value: c.v.Get(0)}
			}
		}
		mk, err := fn.NewAgg(a.Name, plan.ArgInfo(info), a.Out[0].Type)
		if err != nil {
			return nil, err
		}
		st := mk()
		st.Grow(ngroup)
		vals, err := evalAll(args, b, false)
		if err != nil {
			return nil, err
		}
		if err := st.Add(&o.ctx.Fn, gids, vals, b.N); err != nil {
			return nil, fmt.Errorf("%s(): %w", a.Name, err)
		}
		if m, ok := st.(multiResult); ok && len(a.Out) > 1 {
			out.Cols = append(out.Cols, m.Results(ngroup)[:len(a.Out)]...)
			continue
		}
		out.Cols = append(out.Cols, st.Result(ngroup))
	}
	byEv, err := compile(o.ctx, l.By)
	if err != nil {
		return nil, err
	}
	byv, err := byEv.eval(out)
	if err != nil {
		return nil, err
	}
	return byv.Expand(ngroup), nil
}

// others adds, after each parent's kept entries, one entry aggregating
// the rows of the parent's dropped groups. Others entries end their
// branch: their rows do not go on to deeper levels.
func (o *topNestedOp) others(l *plan.TopNestedLevel, b *vec.Batch, child []uint32, kept []int32, parentOf []int32, kids [][]uint32, res tnLevelResult) (tnLevelResult, error) {
	nparent := len(kids)
	oid := make([]uint32, nparent) // others group per parent; 0 = none
	ngroup := 1
	for p := 0; p < nparent; p++ {
		for _, g := range kids[p] {
			if kept[g] < 0 {
				oid[p] = uint32(ngroup)
				ngroup++
				break
			}
		}
	}
	gids := make([]uint32, b.N)
	for i, g := range child {
		if g != 0 && kept[g] < 0 {
			gids[i] = oid[parentOf[g]]
		}
	}
	byv, err := o.rank(l, b, gids, ngroup)
	if err != nil {
		return res, err
	}
	// Rebuild the entries so each others row follows its parent's kept
	// rows, and renumber the kept groups to match.
	old := res.entries
	ent := &tnEntries{of: vec.New(old.of.Type, 0), by: vec.New(old.by.Type, 0)}
	renum := make([]int32, old.of.Len())
	kids2 := make([][]int32, nparent)
	othersVal := vec.Constant(l.Others.T, l.Others.Value)
	for p := 0; p < nparent; p++ {
		for _, e := range res.parentKids[p] {
			renum[e] = int32(ent.of.Len())
			kids2[p] = append(kids2[p], renum[e])
			ent.of.AppendFrom(old.of, int(e))
			ent.by.AppendFrom(old.by, int(e))
			ent.others = append(ent.others, false)
		}
		if oid[p] != 0 {
			kids2[p] = append(kids2[p], int32(ent.of.Len()))
			ent.of.AppendFrom(othersVal, 0)
			ent.by.AppendFrom(byv, int(oid[p]))
			ent.others = append(ent.others, true)
		}
	}
	for g := range kept {
		if kept[g] >= 0 {
			kept[g] = renum[kept[g]]
		}
	}
	return tnLevelResult{entries: ent, parentKids: kids2}, nil
}

// emit writes one row per path from the root to a last-level entry or an
// others entry; columns of levels below an others entry are null.
func (o *topNestedOp) emit(levels []*tnEntries) *vec.Batch {
	out := vec.NewBuilder(o.n.Schema(), 0)
	path := make([]int32, len(levels))
	var walk func(li int, e int32)
	walk = func(li int, e int32) {
		path[li] = e
		lv := levels[li]
		if li < len(levels)-1 && !lv.others[e] {
			for _, k := range lv.children[e] {
				walk(li+1, k)
			}
			return
		}
		for l := range levels {
			if l > li {
				out.Cols[2*l].AppendNull()
				out.Cols[2*l+1].AppendNull()
				continue
			}
			out.Cols[2*l].AppendFrom(levels[l].of, int(path[l]))
			out.Cols[2*l+1].AppendFrom(levels[l].by, int(path[l]))
		}
	}
	for e := range levels[0].of.Len() {
		walk(0, int32(e))
	}
	if out.Len() == 0 {
		return nil
	}
	return out.Flush()
}

func (o *topNestedOp) Close() error { return o.in.Close() }
