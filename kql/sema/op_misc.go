package sema

import (
	"hunt/kql/plan"
	"hunt/kql/syntax"
)

// sampleSeed fixes sample's generator: Kusto's sample is random, hunt's
// is the same pseudo-random choice on every run over the same input.
const sampleSeed = 1

func (a *analyzer) sample(n plan.Node, x *syntax.SampleOp) plan.Node {
	k, ok := a.constCount(x.Count)
	if !ok {
		return nil
	}
	return &plan.Sample{Input: n, N: k, Seed: sampleSeed}
}

// sampleDistinct is `sample-distinct N of Col`: N distinct values of Col,
// chosen with sample's fixed seed.
func (a *analyzer) sampleDistinct(n plan.Node, x *syntax.SampleDistinctOp) plan.Node {
	k, ok := a.constCount(x.Count)
	if !ok {
		return nil
	}
	d := a.summarize(n, nil, []syntax.Expr{x.Col})
	if d == nil {
		return nil
	}
	return &plan.Sample{Input: d, N: k, Seed: sampleSeed}
}

// topHitters is `top-hitters N of Col [by Expr]`: the N values of Col
// with the most rows (approximate_count), or the largest sum of Expr
// (approximate_sum_Expr). hunt counts exactly.
func (a *analyzer) topHitters(n plan.Node, x *syntax.TopHittersOp) plan.Node {
	k, ok := a.constCount(x.Count)
	if !ok {
		return nil
	}
	name := "approximate_count"
	var agg syntax.Expr = &syntax.CallExpr{Fun: &syntax.Ident{NamePos: x.OpPos, Name: "count", EndPos: x.OpPos}}
	if x.By != nil {
		name = "approximate_sum_" + exprName(x.By)
		agg = &syntax.CallExpr{Fun: &syntax.Ident{NamePos: x.By.Pos(), Name: "sum", EndPos: x.By.Pos()}, Args: []syntax.Expr{x.By}}
	}
	s := a.summarize(n, []syntax.Expr{&syntax.NamedExpr{Names: []*syntax.Ident{{Name: name}}, X: agg}}, []syntax.Expr{x.Of})
	if s == nil {
		return nil
	}
	sch := s.Schema()
	last := len(sch) - 1
	return &plan.Top{Input: s, N: k, Keys: []plan.SortKey{{Expr: &plan.ColRef{Index: last, Name: sch[last].Name, T: sch[last].Type}, Desc: true}}}
}
