package exec

import (
	"fmt"

	"hunt/engine/vec"
	"hunt/kql/plan"
	"hunt/kql/types"
)

// ValuePredicate evaluates a scan filter's predicate (plan.ScanFilter.Pred,
// an expression over one value, ColRef 0) with the executor's own
// kernels, so that a value passes here exactly when it passes the Filter
// above the scan: readers and the store that judge values early never
// reimplement KQL. It runs a one-column plan, Project(pred) over a scan
// fed with the values to test. It is not safe for concurrent use.
type ValuePredicate struct {
	feed *feedSource
	op   Operator
	t    types.Type
}

type feedSource struct{ b *vec.Batch }

func (f *feedSource) Next() (*vec.Batch, error) {
	b := f.b
	f.b = nil
	return b, nil
}
func (f *feedSource) Close() error { return nil }

// NewValuePredicate compiles pred for values of type t.
func NewValuePredicate(pred plan.Expr, t types.Type) (*ValuePredicate, error) {
	feed := &feedSource{}
	scan := &plan.Scan{Table: "value", Columns: vec.Schema{{Name: "value", Type: t}}}
	proj := &plan.Project{Input: scan, Exprs: []plan.Expr{pred}, Names: []string{"pass"}}
	ctx := &Context{OpenTable: func(*plan.Scan) (Source, error) { return feed, nil }}
	op, err := Build(ctx, proj)
	if err != nil {
		return nil, err
	}
	return &ValuePredicate{feed: feed, op: op, t: t}, nil
}

// Eval returns, for each of the n values of v, whether the predicate is
// true (null counts as false), appended to out[:0].
func (e *ValuePredicate) Eval(v *vec.Vec, n int, out []bool) ([]bool, error) {
	out = out[:0]
	if n == 0 {
		return out, nil
	}
	e.feed.b = &vec.Batch{Cols: []*vec.Vec{v}, N: n}
	b, err := e.op.Next()
	e.feed.b = nil
	if err != nil {
		return nil, err
	}
	if b == nil || len(b.Cols) != 1 {
		return nil, fmt.Errorf("filter evaluation returned no result")
	}
	p := b.Cols[0]
	if p.Type != types.Bool {
		// An untyped null predicate keeps nothing, as in the Filter.
		for i := 0; i < n; i++ {
			out = append(out, false)
		}
		return out, nil
	}
	for i := 0; i < n; i++ {
		r := p.Row(i)
		out = append(out, !p.IsNull(i) && p.Bools[r])
	}
	return out, nil
}

// EvalOne evaluates the predicate on a single value.
func (e *ValuePredicate) EvalOne(x any) (bool, error) {
	v := vec.New(e.t, 1)
	v.Append(x)
	r, err := e.Eval(v, 1, nil)
	if err != nil {
		return false, err
	}
	return r[0], nil
}

// Close releases the compiled plan.
func (e *ValuePredicate) Close() { e.op.Close() }
