package exec

import (
	"fmt"

	"hunt/engine/vec"
	"hunt/kql/plan"
	"hunt/kql/types"
)

// joinOp is a hash join: the right side is read into memory and indexed
// by key, then the left side streams past it. Rows whose key has a null
// never match (a string key is never null: "" matches "").
type joinOp struct {
	ctx   *Context
	n     *plan.Join
	left  Operator
	right *vec.Batch
	// index maps a key to the first right row; next chains further rows
	// with the same key.
	index   map[string]int32
	next    []int32
	matched []bool
	enc     keyEncoder
	seen    map[string]bool // innerunique: left keys already joined
	tail    bool            // the unmatched right rows have been emitted
	lkTypes []types.Type
	rkTypes []types.Type
}

func newJoin(ctx *Context, n *plan.Join) (Operator, error) {
	rop, err := Build(ctx, n.Right)
	if err != nil {
		return nil, err
	}
	rs := n.Right.Schema()
	rb := vec.NewBuilder(rs, 0)
	var mem int64
	err = drain(rop, func(b *vec.Batch) error {
		appendBatch(rb.Cols, b)
		mem += int64(b.N) * int64(len(rs)) * 24
		if ctx.MaxMemory > 0 && mem > ctx.MaxMemory {
			return fmt.Errorf("join: the right side holds about %d MiB: %w (raise --max-memory or put the smaller table on the right)", mem>>20, ErrMemoryLimit)
		}
		return nil
	})
	rop.Close()
	if err != nil {
		return nil, err
	}
	left, err := Build(ctx, n.Left)
	if err != nil {
		return nil, err
	}
	o := &joinOp{ctx: ctx, n: n, left: left, right: &vec.Batch{Cols: rb.Cols, N: rb.Len()}}
	ls := n.Left.Schema()
	for i := range n.LeftKeys {
		lt, rt := ls[n.LeftKeys[i]].Type, rs[n.RightKeys[i]].Type
		t := lt
		if lt != rt && (lt == types.Real || rt == types.Real || lt == types.Decimal || rt == types.Decimal) {
			t = types.Real
		}
		o.lkTypes = append(o.lkTypes, t)
		o.rkTypes = append(o.rkTypes, t)
	}
	o.build()
	if n.Kind == plan.InnerUnique {
		o.seen = map[string]bool{}
	}
	return o, nil
}

func (o *joinOp) keyCols(b *vec.Batch, idx []int, want []types.Type) []*vec.Vec {
	cols := make([]*vec.Vec, len(idx))
	for i, k := range idx {
		cols[i] = b.Cols[k]
	}
	return castKeys(cols, want)
}

func (o *joinOp) build() {
	r := o.right
	o.index = make(map[string]int32, r.N)
	o.next = make([]int32, r.N)
	o.matched = make([]bool, r.N)
	hasNull := make([]bool, r.N)
	o.enc.encode(o.keyCols(r, o.n.RightKeys, o.rkTypes), r.N, hasNull)
	// Insert in reverse so that each chain lists rows in input order.
	for i := r.N - 1; i >= 0; i-- {
		if hasNull[i] {
			o.next[i] = -1
			continue
		}
		k := string(o.enc.key(i))
		if first, ok := o.index[k]; ok {
			o.next[i] = first
		} else {
			o.next[i] = -1
		}
		o.index[k] = int32(i)
	}
}

func (o *joinOp) Next() (*vec.Batch, error) {
	for {
		b, err := o.left.Next()
		if err != nil {
			return nil, err
		}
		if b == nil {
			return o.emitTail()
		}
		if b.N == 0 {
			continue
		}
		out := o.probe(b)
		if out != nil && out.N > 0 {
			return out, nil
		}
	}
}

// probe joins one left batch.
func (o *joinOp) probe(b *vec.Batch) *vec.Batch {
	hasNull := make([]bool, b.N)
	var enc keyEncoder
	enc.encode(o.keyCols(b, o.n.LeftKeys, o.lkTypes), b.N, hasNull)
	var li, ri []int
	kind := o.n.Kind
	for i := 0; i < b.N; i++ {
		first := int32(-1)
		if !hasNull[i] {
			if f, ok := o.index[string(enc.key(i))]; ok {
				first = f
			}
		}
		switch kind {
		case plan.InnerUnique:
			if first < 0 {
				continue
			}
			k := string(enc.key(i))
			if o.seen[k] {
				continue
			}
			o.seen[k] = true
			for r := first; r >= 0; r = o.next[r] {
				li, ri = append(li, i), append(ri, int(r))
			}
		case plan.Inner, plan.LeftOuter, plan.RightOuter, plan.FullOuter:
			if first < 0 {
				if kind == plan.LeftOuter || kind == plan.FullOuter {
					li, ri = append(li, i), append(ri, -1)
				}
				continue
			}
			for r := first; r >= 0; r = o.next[r] {
				li, ri = append(li, i), append(ri, int(r))
				o.matched[r] = true
			}
		case plan.LeftSemi:
			if first >= 0 {
				li = append(li, i)
			}
		case plan.LeftAnti:
			if first < 0 {
				li = append(li, i)
			}
		case plan.RightSemi, plan.RightAnti:
			for r := first; r >= 0; r = o.next[r] {
				o.matched[r] = true
			}
		}
	}
	if len(li) == 0 {
		return nil
	}
	return o.assemble(b, li, ri)
}

// emitTail returns right rows after the left side ends: unmatched rows for
// rightouter/fullouter/rightanti, matched ones for rightsemi.
func (o *joinOp) emitTail() (*vec.Batch, error) {
	if o.tail {
		return nil, nil
	}
	o.tail = true
	var ri []int
	switch o.n.Kind {
	case plan.RightOuter, plan.FullOuter, plan.RightAnti:
		for r, m := range o.matched {
			if !m {
				ri = append(ri, r)
			}
		}
	case plan.RightSemi:
		for r, m := range o.matched {
			if m {
				ri = append(ri, r)
			}
		}
	default:
		return nil, nil
	}
	if len(ri) == 0 {
		return nil, nil
	}
	li := make([]int, len(ri))
	for i := range li {
		li[i] = -1
	}
	return o.assemble(nil, li, ri), nil
}

// assemble builds output rows from left rows li of b and right rows ri;
// -1 stands for a missing side (nulls).
func (o *joinOp) assemble(b *vec.Batch, li, ri []int) *vec.Batch {
	out := &vec.Batch{Cols: make([]*vec.Vec, len(o.n.Out)), N: len(li)}
	for c, side := range o.n.OutSide {
		src := o.n.OutIndex[c]
		if side == 0 {
			if b == nil {
				out.Cols[c] = nullVec(o.n.Out[c].Type, len(li))
				continue
			}
			out.Cols[c] = gatherOpt(b.Cols[src], li)
		} else {
			if ri == nil {
				out.Cols[c] = nullVec(o.n.Out[c].Type, len(li))
				continue
			}
			out.Cols[c] = gatherOpt(o.right.Cols[src], ri)
		}
	}
	return out
}

// gatherOpt is Gather where an index of -1 yields null.
func gatherOpt(v *vec.Vec, idx []int) *vec.Vec {
	all := true
	for _, i := range idx {
		if i < 0 {
			all = false
			break
		}
	}
	if all {
		return v.Gather(idx)
	}
	out := vec.New(v.Type, len(idx))
	for _, i := range idx {
		if i < 0 {
			out.AppendNull()
		} else {
			out.AppendFrom(v, i)
		}
	}
	return out
}

func (o *joinOp) Close() error { return o.left.Close() }
