package exec

import (
	"hunt/engine/vec"
	"hunt/kql/plan"
)

// compileAll compiles a list of expressions.
func compileAll(ctx *Context, exprs []plan.Expr) ([]evaluator, error) {
	evs := make([]evaluator, 0, len(exprs))
	for _, e := range exprs {
		ev, err := compile(ctx, e)
		if err != nil {
			return nil, err
		}
		evs = append(evs, ev)
	}
	return evs, nil
}

// compileOver compiles exprs, then builds input: how the plugins that
// group rows by dimensions (sliding_window_counts, active_users_count,
// rolling_percentile) start.
func compileOver(ctx *Context, input plan.Node, exprs ...plan.Expr) ([]evaluator, Operator, error) {
	evs, err := compileAll(ctx, exprs)
	if err != nil {
		return nil, nil, err
	}
	in, err := Build(ctx, input)
	if err != nil {
		return nil, nil, err
	}
	return evs, in, nil
}

// dimGroups assigns rows to groups by the values of their dimension
// columns, remembering the groups in first-seen order: the per-dimension
// state of the evaluate plugins (sliding_window_counts,
// active_users_count, rolling_percentile) lives in G.
type dimGroups[G any] struct {
	enc   keyEncoder
	index map[string]G
	order []G
	// dims holds each group's dimension values, parallel to order.
	dims [][]any
}

func newDimGroups[G any]() *dimGroups[G] { return &dimGroups[G]{index: map[string]G{}} }

// batch prepares the keys of rows [0, n) of the dimension vectors dv.
func (d *dimGroups[G]) batch(dv []*vec.Vec, n int) { d.enc.encode(dv, n, nil) }

// group returns row i's group, creating it with fresh when it is new.
func (d *dimGroups[G]) group(dv []*vec.Vec, i int, fresh func() G) G {
	g, ok := d.index[string(d.enc.key(i))]
	if !ok {
		g = fresh()
		vals := make([]any, len(dv))
		for k, v := range dv {
			vals[k] = v.Get(i)
		}
		d.index[string(d.enc.key(i))] = g
		d.order = append(d.order, g)
		d.dims = append(d.dims, vals)
	}
	return g
}
