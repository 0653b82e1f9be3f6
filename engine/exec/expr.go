package exec

import (
	"fmt"

	"hunt/engine/fn"
	"hunt/engine/vec"
	"hunt/kql/plan"
	"hunt/kql/types"
)

// evaluator computes one scalar expression over a batch.
type evaluator interface {
	eval(b *vec.Batch) (*vec.Vec, error)
}

type colEval struct{ i int }

func (e colEval) eval(b *vec.Batch) (*vec.Vec, error) { return b.Cols[e.i], nil }

type constEval struct{ v *vec.Vec }

func (e constEval) eval(*vec.Batch) (*vec.Vec, error) { return e.v, nil }

type callEval struct {
	name   string
	kernel fn.Scalar
	args   []evaluator
	ctx    *fn.Ctx
	vals   []*vec.Vec
}

func (e *callEval) eval(b *vec.Batch) (*vec.Vec, error) {
	for i, a := range e.args {
		v, err := a.eval(b)
		if err != nil {
			return nil, err
		}
		e.vals[i] = v
	}
	out, err := e.kernel(e.ctx, e.vals, b.N)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", e.name, err)
	}
	return out, nil
}

// compile builds the evaluator of e. Sub-queries are run here, once, and
// become constants; calls whose arguments are all constant are folded.
func compile(ctx *Context, e plan.Expr) (evaluator, error) {
	switch x := e.(type) {
	case *plan.ColRef:
		return colEval{x.Index}, nil
	case *plan.Const:
		return constEval{vec.Constant(x.T, x.Value)}, nil
	case *plan.Subquery:
		c, err := runSubquery(ctx, x)
		if err != nil {
			return nil, err
		}
		return constEval{vec.Constant(c.T, c.Value)}, nil
	case *plan.Call:
		args := make([]evaluator, len(x.Args))
		consts := true
		info := make([]plan.Expr, len(x.Args))
		for i, a := range x.Args {
			ev, err := compile(ctx, a)
			if err != nil {
				return nil, err
			}
			args[i] = ev
			info[i] = a
			if c, ok := ev.(constEval); ok {
				info[i] = &plan.Const{T: a.Type(), Value: c.v.Get(0)}
			} else {
				consts = false
			}
		}
		k, err := fn.NewScalar(x.Name, plan.ArgInfo(info), x.T)
		if err != nil {
			return nil, err
		}
		ce := &callEval{name: x.Name, kernel: k, args: args, ctx: &ctx.Fn, vals: make([]*vec.Vec, len(args))}
		if consts {
			v, err := ce.eval(&vec.Batch{N: 1})
			if err != nil {
				return nil, err
			}
			v.Const = true
			return constEval{v}, nil
		}
		return ce, nil
	}
	return nil, fmt.Errorf("exec: unknown expression %T", e)
}

// runSubquery evaluates toscalar() or the tabular right side of in(),
// once per run: parallel workers compile the same expression and share
// the result.
func runSubquery(ctx *Context, s *plan.Subquery) (*plan.Const, error) {
	if c, ok := ctx.subqueries[s]; ok {
		return c, nil
	}
	c, err := evalSubquery(ctx, s)
	if err == nil && ctx.subqueries != nil {
		ctx.subqueries[s] = c
	}
	return c, err
}

func evalSubquery(ctx *Context, s *plan.Subquery) (*plan.Const, error) {
	b, err := Collect(ctx, s.Node)
	if err != nil {
		return nil, err
	}
	if s.Mode == plan.SubqueryScalar {
		if b.N == 0 || len(b.Cols) == 0 {
			return &plan.Const{T: s.T}, nil
		}
		return &plan.Const{T: s.T, Value: b.Cols[0].Get(0)}, nil
	}
	arr := make([]any, 0, b.N)
	if len(b.Cols) > 0 {
		for i := 0; i < b.N; i++ {
			// Get boxes values the way dynamic arrays hold them.
			arr = append(arr, b.Cols[0].Get(i))
		}
	}
	return &plan.Const{T: types.Dynamic, Value: arr}, nil
}

// Fold evaluates a constant expression; the analyzer uses it through
// sema.Options.Fold.
func Fold(ctx *Context, e plan.Expr) (any, error) {
	ev, err := compile(ctx, e)
	if err != nil {
		return nil, err
	}
	v, err := ev.eval(&vec.Batch{N: 1})
	if err != nil {
		return nil, err
	}
	return v.Get(0), nil
}

// evalAll evaluates evs over b, expanding constants to b.N rows.
func evalAll(evs []evaluator, b *vec.Batch, expand bool) ([]*vec.Vec, error) {
	out := make([]*vec.Vec, len(evs))
	for i, ev := range evs {
		v, err := ev.eval(b)
		if err != nil {
			return nil, err
		}
		if expand && v.Const {
			v = v.Expand(b.N)
		}
		out[i] = v
	}
	return out, nil
}
