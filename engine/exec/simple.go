package exec

import (
	"fmt"

	"hunt/engine/vec"
	"hunt/kql/plan"
	"hunt/kql/types"
)

type scanOp struct{ src Source }

func newScan(ctx *Context, n *plan.Scan) (Operator, error) {
	if ctx.OpenTable == nil {
		return nil, fmt.Errorf("no data: table %s cannot be read", n.Table)
	}
	src, err := ctx.OpenTable(n)
	if err != nil {
		return nil, err
	}
	return &scanOp{src: src}, nil
}

func (o *scanOp) Next() (*vec.Batch, error) { return o.src.Next() }
func (o *scanOp) Close() error              { return o.src.Close() }

// valuesOp emits a constant table.
type valuesOp struct {
	n    *plan.Values
	next int
}

func newValues(n *plan.Values) Operator { return &valuesOp{n: n} }

func (o *valuesOp) Next() (*vec.Batch, error) {
	if o.next >= len(o.n.Rows) {
		return nil, nil
	}
	end := min(o.next+vec.BatchSize, len(o.n.Rows))
	b := vec.NewBuilder(o.n.Cols, end-o.next)
	for _, r := range o.n.Rows[o.next:end] {
		for c, v := range r {
			b.Cols[c].Append(v)
		}
	}
	out := &vec.Batch{Cols: b.Cols, N: end - o.next}
	o.next = end
	return out, nil
}
func (o *valuesOp) Close() error { return nil }

// rangeOp generates `range x from a to b step s`.
type rangeOp struct {
	col              vec.Column
	cur, to, step    float64
	icur, ito, istep int64
	isInt            bool
	done             bool
}

const maxRangeRows = 100_000_000

func newRange(ctx *Context, n *plan.Range) (Operator, error) {
	vals := make([]any, 3)
	for i, e := range []plan.Expr{n.From, n.To, n.Step} {
		v, err := Fold(ctx, e)
		if err != nil {
			return nil, err
		}
		vals[i] = v
	}
	o := &rangeOp{col: n.Col}
	asInt := func(v any) (int64, bool) {
		switch x := v.(type) {
		case int64:
			return x, true
		case types.DT:
			return int64(x), true
		case types.TS:
			return int64(x), true
		}
		return 0, false
	}
	asReal := func(v any) (float64, bool) {
		switch x := v.(type) {
		case int64:
			return float64(x), true
		case float64:
			return x, true
		}
		return 0, false
	}
	if n.Col.Type == types.Real {
		var ok1, ok2, ok3 bool
		o.cur, ok1 = asReal(vals[0])
		o.to, ok2 = asReal(vals[1])
		o.step, ok3 = asReal(vals[2])
		if !ok1 || !ok2 || !ok3 || o.step == 0 {
			return nil, fmt.Errorf("range: from, to and step must be numbers and step must not be 0")
		}
		return o, nil
	}
	var ok1, ok2, ok3 bool
	o.isInt = true
	o.icur, ok1 = asInt(vals[0])
	o.ito, ok2 = asInt(vals[1])
	o.istep, ok3 = asInt(vals[2])
	if !ok1 || !ok2 || !ok3 || o.istep == 0 {
		return nil, fmt.Errorf("range: from, to and step must be given and step must not be 0")
	}
	if span := (o.ito - o.icur) / o.istep; span > maxRangeRows {
		return nil, fmt.Errorf("range would produce more than %d rows", maxRangeRows)
	}
	return o, nil
}

func (o *rangeOp) Next() (*vec.Batch, error) {
	if o.done {
		return nil, nil
	}
	v := vec.New(o.col.Type, vec.BatchSize)
	n := 0
	for n < vec.BatchSize {
		if o.isInt {
			if (o.istep > 0 && o.icur > o.ito) || (o.istep < 0 && o.icur < o.ito) {
				o.done = true
				break
			}
			v.Ints = append(v.Ints, o.icur)
			o.icur += o.istep
		} else {
			if (o.step > 0 && o.cur > o.to) || (o.step < 0 && o.cur < o.to) {
				o.done = true
				break
			}
			v.Reals = append(v.Reals, o.cur)
			o.cur += o.step
		}
		n++
	}
	if n == 0 {
		return nil, nil
	}
	return &vec.Batch{Cols: []*vec.Vec{v}, N: n}, nil
}
func (o *rangeOp) Close() error { return nil }

// filterOp keeps rows whose predicate is true.
type filterOp struct {
	in   Operator
	pred evaluator
	idx  []int
}

func newFilter(ctx *Context, n *plan.Filter) (Operator, error) {
	in, err := Build(ctx, n.Input)
	if err != nil {
		return nil, err
	}
	pred, err := compile(ctx, n.Pred)
	if err != nil {
		in.Close()
		return nil, err
	}
	return &filterOp{in: in, pred: pred}, nil
}

func (o *filterOp) Next() (*vec.Batch, error) {
	for {
		b, err := o.in.Next()
		if err != nil || b == nil {
			return nil, err
		}
		if b.N == 0 {
			continue
		}
		p, err := o.pred.eval(b)
		if err != nil {
			return nil, err
		}
		if p.Type != types.Bool {
			// An untyped null predicate keeps nothing.
			continue
		}
		if p.Const {
			if !p.IsNull(0) && p.Bools[0] {
				return b, nil
			}
			continue
		}
		o.idx = o.idx[:0]
		if p.Nulls == nil {
			for i, t := range p.Bools[:b.N] {
				if t {
					o.idx = append(o.idx, i)
				}
			}
		} else {
			for i, t := range p.Bools[:b.N] {
				if t && !p.Nulls.Get(i) {
					o.idx = append(o.idx, i)
				}
			}
		}
		switch len(o.idx) {
		case 0:
			continue
		case b.N:
			return b, nil
		}
		return b.Gather(o.idx), nil
	}
}
func (o *filterOp) Close() error { return o.in.Close() }

// projectOp computes output columns from input rows.
type projectOp struct {
	in  Operator
	evs []evaluator
}

func newProject(ctx *Context, n *plan.Project) (Operator, error) {
	in, err := Build(ctx, n.Input)
	if err != nil {
		return nil, err
	}
	evs := make([]evaluator, len(n.Exprs))
	for i, e := range n.Exprs {
		evs[i], err = compile(ctx, e)
		if err != nil {
			in.Close()
			return nil, err
		}
	}
	return &projectOp{in: in, evs: evs}, nil
}

func (o *projectOp) Next() (*vec.Batch, error) {
	for {
		b, err := o.in.Next()
		if err != nil || b == nil {
			return nil, err
		}
		if b.N == 0 {
			continue
		}
		cols, err := evalAll(o.evs, b, true)
		if err != nil {
			return nil, err
		}
		return &vec.Batch{Cols: cols, N: b.N}, nil
	}
}
func (o *projectOp) Close() error { return o.in.Close() }

// limitOp passes the first n rows.
type limitOp struct {
	in   Operator
	left int64
}

func newLimit(ctx *Context, n *plan.Limit) (Operator, error) {
	in, err := Build(ctx, n.Input)
	if err != nil {
		return nil, err
	}
	return &limitOp{in: in, left: n.N}, nil
}

func (o *limitOp) Next() (*vec.Batch, error) {
	if o.left <= 0 {
		return nil, nil
	}
	b, err := o.in.Next()
	if err != nil || b == nil {
		return nil, err
	}
	if int64(b.N) > o.left {
		b = b.Slice(0, int(o.left))
	}
	o.left -= int64(b.N)
	return b, nil
}
func (o *limitOp) Close() error { return o.in.Close() }

// unionOp concatenates its inputs, mapping columns by the plan.
type unionOp struct {
	ctx  *Context
	n    *plan.Union
	cur  int
	in   Operator
	outT vec.Schema
}

func newUnion(ctx *Context, n *plan.Union) (Operator, error) {
	return &unionOp{ctx: ctx, n: n, outT: n.Out}, nil
}

func (o *unionOp) Next() (*vec.Batch, error) {
	for o.cur < len(o.n.Ins) {
		if o.in == nil {
			in, err := Build(o.ctx, o.n.Ins[o.cur])
			if err != nil {
				return nil, err
			}
			o.in = in
		}
		b, err := o.in.Next()
		if err != nil {
			return nil, err
		}
		if b == nil {
			o.in.Close()
			o.in = nil
			o.cur++
			continue
		}
		if b.N == 0 {
			continue
		}
		out := &vec.Batch{Cols: make([]*vec.Vec, len(o.outT)), N: b.N}
		for c, src := range o.n.Map[o.cur] {
			switch {
			case c == o.n.SourceCol:
				out.Cols[c] = vec.Constant(types.String, o.n.SourceNames[o.cur]).Expand(b.N)
			case src < 0:
				out.Cols[c] = nullVec(o.outT[c].Type, b.N)
			default:
				out.Cols[c] = b.Cols[src]
			}
		}
		return out, nil
	}
	return nil, nil
}

func (o *unionOp) Close() error {
	if o.in != nil {
		o.in.Close()
		o.in = nil
	}
	return nil
}

func nullVec(t types.Type, n int) *vec.Vec {
	v := vec.New(t, n)
	for i := 0; i < n; i++ {
		v.AppendNull()
	}
	return v
}

// sharedOp replays a materialized sub-plan, computing it on first use.
type sharedOp struct {
	res  *sharedResult
	next int
}

func newShared(ctx *Context, n *plan.Shared) (Operator, error) {
	res, ok := ctx.shared[n.ID]
	if !ok {
		res = &sharedResult{}
		ctx.shared[n.ID] = res
		res.err = Run(ctx, n.Input, func(b *vec.Batch) error {
			res.batches = append(res.batches, b)
			return nil
		})
		res.done = true
	}
	if res.err != nil {
		return nil, res.err
	}
	return &sharedOp{res: res}, nil
}

func (o *sharedOp) Next() (*vec.Batch, error) {
	if o.next >= len(o.res.batches) {
		return nil, nil
	}
	b := o.res.batches[o.next]
	o.next++
	return b, nil
}
func (o *sharedOp) Close() error { return nil }
