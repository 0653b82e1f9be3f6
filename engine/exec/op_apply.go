package exec

import (
	"hunt/engine/vec"
	"hunt/kql/plan"
)

// applyOp runs a sub-plan per input row (mv-apply) or per group
// (partition). The sub-plan reads its input from the Shared node n.ID,
// which is bound to the row or group before each run; the sub-plan is
// built anew for each run since operators cannot be rewound.
type applyOp struct {
	ctx  *Context
	sub  Context // ctx without statistics: per-run operators are not reported
	in   Operator
	n    *plan.Apply
	key  evaluator
	out  *vec.Builder
	done bool
	// partition state: the whole input, grouped.
	groups [][]int
	all    *vec.Batch
	next   int
}

func newApply(ctx *Context, n *plan.Apply) (Operator, error) {
	in, err := Build(ctx, n.Input)
	if err != nil {
		return nil, err
	}
	o := &applyOp{ctx: ctx, sub: *ctx, in: in, n: n, out: vec.NewBuilder(n.Schema(), vec.BatchSize)}
	o.sub.Stats = nil
	if n.Key != nil {
		if o.key, err = compile(ctx, n.Key); err != nil {
			in.Close()
			return nil, err
		}
	}
	return o, nil
}

// run binds the Shared input to b and appends the body's rows to the
// output, each prefixed by the kept columns of row `row` of src.
func (o *applyOp) run(b *vec.Batch, src *vec.Batch, row int) error {
	o.ctx.shared[o.n.ID] = &sharedResult{batches: []*vec.Batch{b}, done: true}
	body, err := Build(&o.sub, o.n.Body)
	if err != nil {
		return err
	}
	defer body.Close()
	return drain(body, func(r *vec.Batch) error {
		for i := 0; i < r.N; i++ {
			for k, c := range o.n.Keep {
				o.out.Cols[k].AppendFrom(src.Cols[c], row)
			}
			for k, v := range r.Cols {
				o.out.Cols[len(o.n.Keep)+k].AppendFrom(v, i)
			}
		}
		return nil
	})
}

func (o *applyOp) Next() (*vec.Batch, error) {
	if o.n.Key != nil {
		return o.nextPartition()
	}
	for !o.done && o.out.Len() < vec.BatchSize {
		b, err := o.in.Next()
		if err != nil {
			return nil, err
		}
		if b == nil {
			o.done = true
			break
		}
		for i := 0; i < b.N; i++ {
			if err := o.run(b.Slice(i, i+1), b, i); err != nil {
				return nil, err
			}
		}
	}
	return o.flush()
}

func (o *applyOp) flush() (*vec.Batch, error) {
	if o.out.Len() == 0 {
		return nil, nil
	}
	return o.out.Flush(), nil
}

func (o *applyOp) nextPartition() (*vec.Batch, error) {
	if o.all == nil {
		if err := o.group(); err != nil {
			return nil, err
		}
	}
	for o.next < len(o.groups) && o.out.Len() < vec.BatchSize {
		g := o.groups[o.next]
		o.next++
		if err := o.run(o.all.Gather(g), nil, 0); err != nil {
			return nil, err
		}
	}
	return o.flush()
}

// group reads the whole input and splits its rows by key, groups in
// first-seen order.
func (o *applyOp) group() error {
	acc := vec.NewBuilder(o.n.Input.Schema(), 0)
	var enc keyEncoder
	ids := map[string]int{}
	row := 0
	err := drain(o.in, func(b *vec.Batch) error {
		k, err := o.key.eval(b)
		if err != nil {
			return err
		}
		enc.encode([]*vec.Vec{k.Expand(b.N)}, b.N, nil)
		for i := 0; i < b.N; i++ {
			g, ok := ids[string(enc.key(i))]
			if !ok {
				g = len(o.groups)
				ids[string(enc.key(i))] = g
				o.groups = append(o.groups, nil)
			}
			o.groups[g] = append(o.groups[g], row)
			row++
		}
		appendBatch(acc.Cols, b)
		return nil
	})
	o.all = &vec.Batch{Cols: acc.Cols, N: acc.Len()}
	return err
}

func (o *applyOp) Close() error { return o.in.Close() }
