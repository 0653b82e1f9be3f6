package sema

import (
	"hunt/kql/plan"
	"hunt/kql/syntax"
)

// applyInput returns the placeholder through which a sub-query reads its
// per-run input (one row of mv-apply, one group of partition).
func (a *analyzer) applyInput(n plan.Node) *plan.Shared {
	a.sharedID++
	return &plan.Shared{ID: a.sharedID, Input: &plan.Values{Cols: n.Schema()}}
}

// subQuery analyzes the body of mv-apply or partition over in: a pipeline
// of operators on the implicit input.
func (a *analyzer) subQuery(in plan.Node, body syntax.Expr) plan.Node {
	body = unparen(body)
	pe, ok := body.(*syntax.PipeExpr)
	if !ok || pe.Source != nil {
		a.errorf(body.Pos(), "the sub-query must start with an operator applied to its input")
		return nil
	}
	n := in
	for _, op := range pe.Ops {
		n = a.operator(n, op)
		if n == nil {
			return nil
		}
	}
	return n
}

// mvApply analyzes mv-apply: the items are expanded as by mv-expand into
// a small table per input row, the sub-query runs over it, and each
// result row gets the input row's columns that the sub-query does not
// return itself.
func (a *analyzer) mvApply(n plan.Node, x *syntax.MvApplyOp) plan.Node {
	ph := a.applyInput(n)
	exp := a.mvExpand(ph, &syntax.MvExpandOp{OpPos: x.OpPos, Params: x.Params, Items: x.Items, Limit: x.Limit, EndPos: x.OnPos})
	if exp == nil {
		return nil
	}
	body := a.subQuery(exp, x.OnBody)
	if body == nil {
		return nil
	}
	out := body.Schema()
	ap := &plan.Apply{Input: n, ID: ph.ID, Body: body}
	for i, c := range n.Schema() {
		if out.Index(c.Name) < 0 {
			ap.Keep = append(ap.Keep, i)
		}
	}
	return ap
}

// partition analyzes `partition by Col (sub-query)`: the sub-query runs
// over the rows of each value of Col and the results are concatenated.
func (a *analyzer) partition(n plan.Node, x *syntax.PartitionOp) plan.Node {
	if x.Brace {
		a.unsupported(x, "partition with a { } sub-query")
		return nil
	}
	key := a.scalar(x.By, rowOf(n.Schema()))
	if isBad(key) {
		return nil
	}
	ph := a.applyInput(n)
	body := a.subQuery(ph, x.Body)
	if body == nil {
		return nil
	}
	return &plan.Apply{Input: n, ID: ph.ID, Body: body, Key: key}
}
