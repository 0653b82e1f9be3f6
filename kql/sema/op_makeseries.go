package sema

import (
	"hunt/kql/builtins"
	"hunt/kql/plan"
	"hunt/kql/syntax"
	"hunt/kql/types"
)

// makeSeries analyzes make-series as a filter to the axis range, a
// summarize by the group keys and the axis bin, and a MakeSeries node
// that lays each group's bins out as arrays.
func (a *analyzer) makeSeries(n plan.Node, x *syntax.MakeSeriesOp) plan.Node {
	r := rowOf(n.Schema())
	on := a.scalar(x.On, r)
	if isBad(on) {
		return nil
	}
	at := on.Type()
	if at != types.DateTime && at != types.Timespan && !at.IsNumeric() {
		a.errorf(x.On.Pos(), "make-series: the axis must be a datetime, timespan or number, got %s", at)
		return nil
	}
	onName := exprName(x.On)
	if onName == "" {
		onName = "Column1"
	}
	ms := &plan.MakeSeries{AxisType: at}
	val := func(e syntax.Expr) (any, bool) {
		c, ok := a.constArg(e)
		if !ok {
			return nil, false
		}
		switch v := c.Value.(type) {
		case types.DT:
			return int64(v), true
		case types.TS:
			return int64(v), true
		case int64:
			if at == types.Real || at == types.Decimal {
				return float64(v), true
			}
			return v, true
		case float64:
			return v, true
		}
		a.errorf(e.Pos(), "make-series: expected a constant of the axis type")
		return nil, false
	}
	var ok bool
	if ms.Step, ok = val(x.Step); !ok {
		return nil
	}
	if x.From != nil {
		if ms.From, ok = val(x.From); !ok {
			return nil
		}
	}
	if x.To != nil {
		if ms.To, ok = val(x.To); !ok {
			return nil
		}
	}
	switch s := ms.Step.(type) {
	case int64:
		ok = s > 0
	case float64:
		ok = s > 0
	}
	if !ok {
		a.errorf(x.Step.Pos(), "make-series: the step must be positive")
		return nil
	}
	if x.From != nil {
		n = &plan.Filter{Input: n, Pred: a.call(x.From, ">=", []plan.Expr{on, a.scalar(x.From, nil)})}
	}
	if x.To != nil {
		n = &plan.Filter{Input: n, Pred: a.call(x.To, "<", []plan.Expr{on, a.scalar(x.To, nil)})}
	}
	binArgs := []syntax.Expr{x.On, x.Step}
	binFn := "bin"
	if x.From != nil {
		binArgs = append(binArgs, x.From)
		binFn = "bin_at"
	}
	bin := &syntax.NamedExpr{Names: []*syntax.Ident{{NamePos: x.On.Pos(), Name: onName, EndPos: x.On.End()}},
		X: &syntax.CallExpr{Fun: &syntax.Ident{NamePos: x.On.Pos(), Name: binFn, EndPos: x.On.Pos()}, Args: binArgs}}
	var aggs []syntax.Expr
	for _, ag := range x.Aggs {
		e := ag.X
		if !hasAggregate(e) {
			// make-series takes a plain value too: it fills the bins that
			// have rows.
			if ne, ok := e.(*syntax.NamedExpr); ok {
				e = &syntax.NamedExpr{Names: ne.Names, Assign: ne.Assign, X: takeAny(ne.X)}
			} else {
				e = takeAny(e)
			}
		}
		aggs = append(aggs, e)
		var def any = int64(0)
		if ag.Default != nil {
			c, ok := a.constArg(ag.Default)
			if !ok {
				return nil
			}
			def = toDynamic(c)
		}
		ms.Defaults = append(ms.Defaults, def)
	}
	ms.NKeys = len(x.By)
	agg := a.summarize(n, aggs, append(append([]syntax.Expr(nil), x.By...), bin))
	if agg == nil {
		return nil
	}
	if len(agg.Schema()) != ms.NKeys+1+len(aggs) {
		a.errorf(x.OpPos, "make-series: each aggregation must yield one column")
		return nil
	}
	ms.Input = agg
	return ms
}

func takeAny(e syntax.Expr) syntax.Expr {
	return &syntax.CallExpr{Fun: &syntax.Ident{NamePos: e.Pos(), Name: "take_any", EndPos: e.Pos()}, Args: []syntax.Expr{e}}
}

// hasAggregate reports whether e calls an aggregate function.
func hasAggregate(e syntax.Expr) bool {
	switch x := e.(type) {
	case *syntax.NamedExpr:
		return hasAggregate(x.X)
	case *syntax.ParenExpr:
		return hasAggregate(x.X)
	case *syntax.BinaryExpr:
		return hasAggregate(x.X) || hasAggregate(x.Y)
	case *syntax.UnaryExpr:
		return hasAggregate(x.X)
	case *syntax.CallExpr:
		if f, ok := builtins.Lookup(x.Fun.Name); ok && f.Kind == builtins.Aggregate {
			return true
		}
		for _, arg := range x.Args {
			if hasAggregate(arg) {
				return true
			}
		}
	}
	return false
}
