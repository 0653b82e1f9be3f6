package sema

import (
	"hunt/kql/plan"
	"hunt/kql/syntax"
	"hunt/kql/types"
)

// activeUsersCount analyzes `evaluate active_users_count(IdColumn,
// TimelineColumn, Start, End, LookbackWindow, Period, ActivePeriodsCount,
// Bin [, dim...])`.
func (a *analyzer) activeUsersCount(n plan.Node, x *syntax.EvaluateOp) plan.Node {
	pos, _ := pluginArgs(x.Call)
	if len(pos) < 8 {
		a.errorf(x.Call.Pos(), "active_users_count() takes IdColumn, TimelineColumn, Start, End, LookbackWindow, Period, ActivePeriodsCount, Bin [, dimensions]")
		return nil
	}
	id, tm, ok := a.idTimeArgs(n, pos, "active_users_count")
	if !ok {
		return nil
	}
	u := &plan.ActiveUsersCount{Input: n, Id: id, Time: tm}
	vals := make([]int64, 5)
	for i, e := range []syntax.Expr{pos[2], pos[3], pos[4], pos[5], pos[7]} {
		c, ok := a.constArg(e)
		if !ok {
			return nil
		}
		switch v := c.Value.(type) {
		case types.DT:
			vals[i] = int64(v)
		case types.TS:
			vals[i] = int64(v)
		default:
			a.errorf(e.Pos(), "active_users_count: expected a datetime or timespan constant")
			return nil
		}
	}
	u.Start, u.End, u.Lookback, u.Period, u.Bin = vals[0], vals[1], vals[2], vals[3], vals[4]
	if u.MinPeriods, ok = a.constCount(pos[6]); !ok {
		return nil
	}
	if u.Bin <= 0 || u.Period <= 0 || u.Lookback <= 0 {
		a.errorf(x.Call.Pos(), "active_users_count: the lookback window, the period and the bin must be positive")
		return nil
	}
	if u.Dims, u.DimNames, ok = a.dimArgs(n, pos[8:]); !ok {
		return nil
	}
	u.TimeName = exprName(pos[1])
	return u
}

// idTimeArgs analyzes the IdColumn and TimelineColumn arguments that
// active_users_count and sliding_window_counts begin with; the timeline
// must be a datetime.
func (a *analyzer) idTimeArgs(n plan.Node, pos []syntax.Expr, plugin string) (id, tm plan.Expr, ok bool) {
	r := rowOf(n.Schema())
	id, tm = a.scalar(pos[0], r), a.scalar(pos[1], r)
	if isBad(id) || isBad(tm) {
		return nil, nil, false
	}
	if tm.Type() != types.DateTime {
		a.errorf(pos[1].Pos(), "%s: the timeline column must be a datetime", plugin)
		return nil, nil, false
	}
	return id, tm, true
}

// dimArgs analyzes the trailing dimension arguments of the plugins that
// group by them, and names each column as Kusto does.
func (a *analyzer) dimArgs(n plan.Node, exprs []syntax.Expr) (dims []plan.Expr, names []string, ok bool) {
	r := rowOf(n.Schema())
	for _, e := range exprs {
		d := a.scalar(e, r)
		if isBad(d) {
			return nil, nil, false
		}
		dims = append(dims, d)
		names = append(names, exprName(e))
	}
	return dims, names, true
}
