package exec

import (
	"hunt/engine/vec"
	"hunt/kql/plan"
	"hunt/kql/types"
)

// rowsNearOp keeps the rows within a window around each row matching a
// condition. It buffers its whole input: a match can pull in rows that
// arrived many batches earlier.
type rowsNearOp struct {
	in      Operator
	n       *plan.RowsNear
	cond    evaluator
	batches []*vec.Batch
	keep    [][]int
	next    int
	done    bool
}

func newRowsNear(ctx *Context, n *plan.RowsNear) (Operator, error) {
	o := &rowsNearOp{n: n}
	var err error
	if o.cond, err = compile(ctx, n.Cond); err != nil {
		return nil, err
	}
	if o.in, err = Build(ctx, n.Input); err != nil {
		return nil, err
	}
	return o, nil
}

func (o *rowsNearOp) load() error {
	o.done = true
	var matches []bool
	err := drain(o.in, func(b *vec.Batch) error {
		if b.N == 0 {
			return nil
		}
		p, err := o.cond.eval(b)
		if err != nil {
			return err
		}
		o.batches = append(o.batches, b)
		if p.Type != types.Bool {
			matches = append(matches, make([]bool, b.N)...)
			return nil
		}
		p = p.Expand(b.N)
		for i := 0; i < b.N; i++ {
			matches = append(matches, !p.IsNull(i) && p.Bools[i])
		}
		return nil
	})
	if err != nil {
		return err
	}
	// keep[i] holds after a sweep that extends each match's reach
	// forward by After rows and a backward sweep by Before rows.
	total := len(matches)
	keep := make([]bool, total)
	reach := int64(-1)
	for i := 0; i < total; i++ {
		if matches[i] {
			reach = int64(i) + o.n.After
		}
		if int64(i) <= reach {
			keep[i] = true
		}
	}
	reach = int64(total)
	for i := total - 1; i >= 0; i-- {
		if matches[i] {
			reach = int64(i) - o.n.Before
		}
		if int64(i) >= reach {
			keep[i] = true
		}
	}
	off := 0
	for _, b := range o.batches {
		var idx []int
		for i := 0; i < b.N; i++ {
			if keep[off+i] {
				idx = append(idx, i)
			}
		}
		o.keep = append(o.keep, idx)
		off += b.N
	}
	return nil
}

func (o *rowsNearOp) Next() (*vec.Batch, error) {
	if !o.done {
		if err := o.load(); err != nil {
			return nil, err
		}
	}
	for o.next < len(o.batches) {
		b, idx := o.batches[o.next], o.keep[o.next]
		o.batches[o.next] = nil
		o.next++
		switch len(idx) {
		case 0:
			continue
		case b.N:
			return b, nil
		}
		return b.Gather(idx), nil
	}
	return nil, nil
}

func (o *rowsNearOp) Close() error { return o.in.Close() }
