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
	r := rowOf(n.Schema())
	u := &plan.ActiveUsersCount{Input: n, Id: a.scalar(pos[0], r), Time: a.scalar(pos[1], r)}
	if isBad(u.Id) || isBad(u.Time) {
		return nil
	}
	if u.Time.Type() != types.DateTime {
		a.errorf(pos[1].Pos(), "active_users_count: the timeline column must be a datetime")
		return nil
	}
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
	var ok bool
	if u.MinPeriods, ok = a.constCount(pos[6]); !ok {
		return nil
	}
	if u.Bin <= 0 || u.Period <= 0 || u.Lookback <= 0 {
		a.errorf(x.Call.Pos(), "active_users_count: the lookback window, the period and the bin must be positive")
		return nil
	}
	for _, e := range pos[8:] {
		d := a.scalar(e, r)
		if isBad(d) {
			return nil
		}
		u.Dims = append(u.Dims, d)
		u.DimNames = append(u.DimNames, exprName(e))
	}
	u.TimeName = exprName(pos[1])
	return u
}
