package sema

import (
	"strconv"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/plan"
	"hunt/kql/syntax"
	"hunt/kql/types"
)

// topNested analyzes `top-nested [N] of Expr [with others = V] by Agg
// [asc|desc], ...`. Unnamed aggregations are called aggregated_<Of name>,
// as Kusto names them.
func (a *analyzer) topNested(n plan.Node, x *syntax.TopNestedOp) plan.Node {
	in := n.Schema()
	inRow := rowOf(in)
	out := &plan.TopNested{Input: n}
	taken := map[string]bool{}
	autoN := 0
	autoName := func() string {
		for {
			autoN++
			if name := "Column" + strconv.Itoa(autoN); !taken[name] {
				return name
			}
		}
	}
	for _, l := range x.Levels {
		lv := plan.TopNestedLevel{N: -1, Desc: !l.By.DescSet || l.By.Desc}
		if l.Count != nil {
			c, ok := a.constCount(l.Count)
			if !ok {
				return nil
			}
			lv.N = c
		}
		ofX, ofName := l.Of, ""
		if ne, ok := l.Of.(*syntax.NamedExpr); ok {
			ofX, ofName = ne.X, ne.Names[0].Name
		} else {
			ofName = exprName(l.Of)
		}
		lv.Of = a.scalar(ofX, inRow)
		if isBad(lv.Of) {
			return nil
		}
		if lv.Of.Type() == types.Dynamic {
			a.errorSpan(ofX.Pos(), ofX.End(), false, "top-nested of a dynamic value is not allowed; convert it with tostring()")
			return nil
		}
		if ofName == "" {
			ofName = autoName()
		}
		lv.OfName = uniqueName(ofName, taken)

		if l.Others != nil {
			v := a.scalar(l.Others, nil)
			c, ok := v.(*plan.Const)
			if !ok {
				if !isBad(v) {
					a.errorSpan(l.Others.Pos(), l.Others.End(), false, "the with others value must be a constant")
				}
				return nil
			}
			val, ok := convertConst(c, lv.Of.Type())
			if !ok {
				a.errorSpan(l.Others.Pos(), l.Others.End(), false, "the with others value is a %s but %s is a %s", c.T, lv.OfName, lv.Of.Type())
				return nil
			}
			lv.Others = &plan.Const{T: lv.Of.Type(), Value: val}
		}

		byX, byName := l.By.X, ""
		if ne, ok := byX.(*syntax.NamedExpr); ok {
			byX, byName = ne.X, ne.Names[0].Name
		}
		if !a.topNestedBy(&lv, byX, inRow, in) {
			return nil
		}
		if byName == "" {
			byName = "aggregated_" + lv.OfName
		}
		lv.ByName = uniqueName(byName, taken)
		out.Levels = append(out.Levels, lv)
	}
	return out
}

// topNestedBy analyzes the ranking aggregation of one level into lv.Aggs
// and lv.By. Plain input columns are not visible outside the aggregates.
func (a *analyzer) topNestedBy(lv *plan.TopNestedLevel, byX syntax.Expr, inRow *row, in vec.Schema) bool {
	next := 0
	r := &row{}
	r.agg = func(call *syntax.CallExpr, f *builtins.Func) plan.Expr {
		ac, ok := a.aggCall(call, f, inRow, in, nil)
		if !ok {
			return bad()
		}
		lv.Aggs = append(lv.Aggs, ac)
		first := next
		next += len(ac.Out)
		return &plan.ColRef{Index: first, Name: ac.Out[0].Name, T: ac.Out[0].Type}
	}
	// Checked first: analyzing a bare column here would report it as
	// unknown, which hides the real mistake.
	if !hasAggCall(byX) {
		a.errorSpan(byX.Pos(), byX.End(), false, "top-nested needs an aggregation after by (sum(), count(), max(), ...)")
		return false
	}
	lv.By = a.scalar(byX, r)
	return !isBad(lv.By) && len(lv.Aggs) > 0
}

// hasAggCall reports whether e calls an aggregate function.
func hasAggCall(e syntax.Expr) bool {
	found := false
	syntax.Inspect(e, func(n syntax.Node) bool {
		if c, ok := n.(*syntax.CallExpr); ok && c.Recv == nil {
			if f, ok := builtins.Lookup(c.Fun.Name); ok && f.Kind == builtins.Aggregate {
				found = true
			}
		}
		return !found
	})
	return found
}
