package exec

import (
	"hunt/engine/fn"
	"hunt/engine/vec"
	"hunt/kql/plan"
)

// windowOp computes window functions in row order. Causal functions
// (everything but next) run as each batch arrives; their kernels keep
// state across batches. next(x, k) needs the k rows that follow, so a
// batch is held back until that many rows have arrived after it (or the
// input ends): memory stays proportional to the largest offset.
type windowOp struct {
	in      Operator
	n       *plan.Window
	args    [][]evaluator
	kernels []fn.Scalar
	isNext  []bool
	ahead   int
	fnCtx   *fn.Ctx
	pending []*windowBatch
	done    bool
}

type windowBatch struct {
	b    *vec.Batch
	cols []*vec.Vec   // results of causal calls
	args [][]*vec.Vec // evaluated arguments of next calls
}

func newWindow(ctx *Context, n *plan.Window) (Operator, error) {
	o := &windowOp{n: n, fnCtx: &ctx.Fn}
	for _, c := range n.Calls {
		var evs []evaluator
		info := make([]plan.Expr, len(c.Args))
		for i, a := range c.Args {
			ev, err := compile(ctx, a)
			if err != nil {
				return nil, err
			}
			evs = append(evs, ev)
			info[i] = a
			if k, ok := ev.(constEval); ok {
				info[i] = &plan.Const{T: a.Type(), Value: k.v.Get(0)}
			}
		}
		k, err := fn.NewScalar(c.Name, plan.ArgInfo(info), c.T)
		if err != nil {
			return nil, err
		}
		o.args = append(o.args, evs)
		o.kernels = append(o.kernels, k)
		next := c.Func.Name == "next"
		o.isNext = append(o.isNext, next)
		if next {
			off := 1
			if len(info) > 1 {
				if k, ok := info[1].(*plan.Const); ok {
					if v, ok := k.Value.(int64); ok {
						off = int(v)
					}
				}
			}
			o.ahead = max(o.ahead, off)
		}
	}
	in, err := Build(ctx, n.Input)
	if err != nil {
		return nil, err
	}
	o.in = in
	return o, nil
}

func (o *windowOp) Next() (*vec.Batch, error) {
	for {
		if len(o.pending) > 0 && (o.done || o.rowsAfterFirst() >= o.ahead) {
			return o.emit()
		}
		if o.done {
			return nil, nil
		}
		b, err := o.in.Next()
		if err != nil {
			return nil, err
		}
		if b == nil {
			o.done = true
			continue
		}
		if b.N == 0 {
			continue
		}
		wb := &windowBatch{b: b, cols: make([]*vec.Vec, len(o.kernels)), args: make([][]*vec.Vec, len(o.kernels))}
		for k, kern := range o.kernels {
			args, err := evalAll(o.args[k], b, false)
			if err != nil {
				return nil, err
			}
			if o.isNext[k] {
				if len(args) > 0 {
					args[0] = args[0].Expand(b.N)
				}
				wb.args[k] = args
				continue
			}
			v, err := kern(o.fnCtx, args, b.N)
			if err != nil {
				return nil, err
			}
			wb.cols[k] = v.Expand(b.N)
		}
		o.pending = append(o.pending, wb)
	}
}

func (o *windowOp) rowsAfterFirst() int {
	n := 0
	for _, p := range o.pending[1:] {
		n += p.b.N
	}
	return n
}

// emit computes the next() columns of the first pending batch with the
// rows that follow it, and returns it.
func (o *windowOp) emit() (*vec.Batch, error) {
	wb := o.pending[0]
	o.pending = o.pending[1:]
	n := wb.b.N
	for k, kern := range o.kernels {
		if !o.isNext[k] {
			continue
		}
		args := append([]*vec.Vec(nil), wb.args[k]...)
		x := args[0]
		ext := vec.New(x.Type, n+o.ahead)
		for i := 0; i < n; i++ {
			ext.AppendFrom(x, i)
		}
		need := o.ahead
		for _, p := range o.pending {
			for i := 0; i < p.b.N && need > 0; i++ {
				ext.AppendFrom(p.args[k][0], i)
				need--
			}
		}
		args[0] = ext
		v, err := kern(o.fnCtx, args, n)
		if err != nil {
			return nil, err
		}
		wb.cols[k] = v.Expand(n)
	}
	out := &vec.Batch{Cols: append(append([]*vec.Vec(nil), wb.b.Cols...), wb.cols...), N: n}
	return out, nil
}

func (o *windowOp) Close() error { return o.in.Close() }
