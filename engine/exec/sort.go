package exec

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"

	"hunt/engine/vec"
	"hunt/kql/plan"
	"hunt/kql/types"
)

// sortOp sorts its whole input (limit < 0) or keeps the first limit rows
// in order (top). Top prunes its buffer whenever it holds more than
// twice the limit, so its memory is bounded by the limit, not the input.
type sortOp struct {
	ctx   *Context
	in    Operator
	keys  []plan.SortKey
	evs   []evaluator
	limit int64
	out   resultBatches
}

func newSort(ctx *Context, input plan.Node, keys []plan.SortKey, limit int64) (Operator, error) {
	in, err := Build(ctx, input)
	if err != nil {
		return nil, err
	}
	o := &sortOp{ctx: ctx, in: in, keys: keys, limit: limit}
	for _, k := range keys {
		ev, err := compile(ctx, k.Expr)
		if err != nil {
			in.Close()
			return nil, err
		}
		o.evs = append(o.evs, ev)
	}
	return o, nil
}

// buffer holds rows and their evaluated sort keys.
type sortBuffer struct {
	rows []*vec.Vec
	keys []*vec.Vec
	n    int
}

func (o *sortOp) Next() (*vec.Batch, error) {
	return o.out.serve(o.run)
}

func (o *sortOp) run() error {
	var buf *sortBuffer
	err := drain(o.in, func(b *vec.Batch) error {
		kv, err := evalAll(o.evs, b, true)
		if err != nil {
			return err
		}
		if buf == nil {
			buf = &sortBuffer{}
			for _, c := range b.Cols {
				buf.rows = append(buf.rows, vec.New(c.Type, b.N))
			}
			for _, c := range kv {
				buf.keys = append(buf.keys, vec.New(c.Type, b.N))
			}
		}
		appendBatch(buf.rows, b)
		appendBatch(buf.keys, &vec.Batch{Cols: kv, N: b.N})
		buf.n += b.N
		if o.limit >= 0 && int64(buf.n) > 2*o.limit+int64(vec.BatchSize) {
			buf = o.prune(buf, int(o.limit))
		}
		if o.ctx.MaxMemory > 0 {
			// A rough size: 24 bytes a cell covers the vector slots and the
			// average string header; it errs on the generous side.
			if mem := int64(buf.n) * int64(len(buf.rows)+len(buf.keys)) * 24; mem > o.ctx.MaxMemory {
				return fmt.Errorf("sort holds %d rows, about %d MiB: %w (raise --max-memory, or use top N instead of sort)", buf.n, mem>>20, ErrMemoryLimit)
			}
		}
		return nil
	})
	if err != nil || buf == nil {
		return err
	}
	keep := buf.n
	if o.limit >= 0 && int64(keep) > o.limit {
		keep = int(o.limit)
	}
	buf = o.prune(buf, keep)
	o.out.b = &vec.Batch{Cols: buf.rows, N: buf.n}
	return nil
}

// prune sorts buf and keeps its first keep rows.
func (o *sortOp) prune(buf *sortBuffer, keep int) *sortBuffer {
	idx := make([]int, buf.n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		for k, key := range o.keys {
			if c := compareRows(buf.keys[k], a, b, key.Desc, key.NullsFirst); c != 0 {
				return c
			}
		}
		return 0
	})
	if keep < len(idx) {
		idx = idx[:keep]
	}
	nb := &sortBuffer{n: len(idx)}
	for _, c := range buf.rows {
		nb.rows = append(nb.rows, c.Gather(idx))
	}
	for _, c := range buf.keys {
		nb.keys = append(nb.keys, c.Gather(idx))
	}
	return nb
}

func (o *sortOp) Close() error { return o.in.Close() }

// compareRows orders rows a and b of v. Nulls go first or last as asked,
// whatever the direction.
func compareRows(v *vec.Vec, a, b int, desc, nullsFirst bool) int {
	na, nb := v.IsNull(a), v.IsNull(b)
	if na || nb {
		switch {
		case na && nb:
			return 0
		case na:
			if nullsFirst {
				return -1
			}
			return 1
		default:
			if nullsFirst {
				return 1
			}
			return -1
		}
	}
	c := compareValues(v, a, b)
	if desc {
		return -c
	}
	return c
}

func compareValues(v *vec.Vec, a, b int) int {
	a, b = v.Row(a), v.Row(b)
	switch v.Type.Physical() {
	case types.PhysBool:
		x, y := v.Bools[a], v.Bools[b]
		if x == y {
			return 0
		}
		if !x {
			return -1
		}
		return 1
	case types.PhysInt:
		return cmp.Compare(v.Ints[a], v.Ints[b])
	case types.PhysReal:
		return cmp.Compare(v.Reals[a], v.Reals[b])
	case types.PhysString:
		return strings.Compare(v.Strs[a], v.Strs[b])
	case types.PhysGuid:
		return bytes.Compare(v.Guids[a][:], v.Guids[b][:])
	}
	return compareDynamic(v.Dyns[a], v.Dyns[b])
}

// compareDynamic orders dynamic values: numbers by value, strings
// ordinally, other values by their JSON text.
func compareDynamic(x, y any) int {
	fx, okx := dynNumber(x)
	fy, oky := dynNumber(y)
	if okx && oky {
		return cmp.Compare(fx, fy)
	}
	sx, okx := x.(string)
	sy, oky := y.(string)
	if okx && oky {
		return strings.Compare(sx, sy)
	}
	return strings.Compare(types.DynString(x), types.DynString(y))
}

func dynNumber(x any) (float64, bool) {
	switch n := x.(type) {
	case int64:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}

// resultBatches hands out a blocking operator's result (sort, reduce,
// the graph operators) BatchSize rows at a time.
type resultBatches struct {
	b    *vec.Batch
	pos  int
	done bool // compute has run
}

// serve runs compute, which sets r.b, on the first call, then returns the
// result's next slice (nil after the last).
func (r *resultBatches) serve(compute func() error) (*vec.Batch, error) {
	if !r.done {
		r.done = true
		if err := compute(); err != nil {
			return nil, err
		}
	}
	return r.next(), nil
}

// next returns the next slice of the result, or nil after the last.
func (r *resultBatches) next() *vec.Batch {
	if r.b == nil || r.pos >= r.b.N {
		return nil
	}
	end := min(r.pos+vec.BatchSize, r.b.N)
	b := r.b.Slice(r.pos, end)
	r.pos = end
	return b
}
