package sema

import (
	"strconv"
	"strings"

	"hunt/kql/plan"
	"hunt/kql/syntax"
	"hunt/kql/types"
)

// rollingPercentile analyzes `evaluate rolling_percentile(ValueColumn,
// Percentile, IndexColumn, BinSize, BinsPerWindow [, dim...])`. The index
// is a datetime binned by a timespan or a long binned by a long.
func (a *analyzer) rollingPercentile(n plan.Node, x *syntax.EvaluateOp) plan.Node {
	pos, _ := pluginArgs(x.Call)
	if len(pos) < 5 {
		a.errorf(x.Call.Pos(), "rolling_percentile() takes ValueColumn, Percentile, IndexColumn, BinSize, BinsPerWindow [, dimensions]")
		return nil
	}
	r := rowOf(n.Schema())
	p := &plan.RollingPercentile{Input: n, Value: a.scalar(pos[0], r), Index: a.scalar(pos[2], r)}
	if isBad(p.Value) || isBad(p.Index) {
		return nil
	}
	switch p.Value.Type() {
	case types.Int, types.Long, types.Real, types.DateTime, types.Timespan:
	default:
		a.errorf(pos[0].Pos(), "rolling_percentile: the value column must be numeric, got %s", p.Value.Type())
		return nil
	}
	pc, ok := a.constArg(pos[1])
	if !ok {
		return nil
	}
	switch v := pc.Value.(type) {
	case int64:
		p.Pct = float64(v)
	case float64:
		p.Pct = v
	default:
		a.errorf(pos[1].Pos(), "rolling_percentile: the percentile must be a number")
		return nil
	}
	if p.Pct < 0 || p.Pct > 100 {
		a.errorf(pos[1].Pos(), "rolling_percentile: the percentile must be between 0 and 100")
		return nil
	}
	bc, ok := a.constArg(pos[3])
	if !ok {
		return nil
	}
	switch v := bc.Value.(type) {
	case types.TS:
		p.Bin = int64(v)
		ok = p.Index.Type() == types.DateTime || p.Index.Type() == types.Timespan
	case int64:
		p.Bin = v
		ok = p.Index.Type() == types.Long || p.Index.Type() == types.Int
	default:
		ok = false
	}
	if !ok {
		a.errorf(pos[3].Pos(), "rolling_percentile: a %s index needs a bin size of its kind (a timespan for datetimes, a long for longs)", p.Index.Type())
		return nil
	}
	if p.Window, ok = a.constCount(pos[4]); !ok {
		return nil
	}
	if p.Bin <= 0 || p.Window <= 0 {
		a.errorf(x.Call.Pos(), "rolling_percentile: the bin size and the bins per window must be positive")
		return nil
	}
	if p.Dims, p.DimNames, ok = a.dimArgs(n, pos[5:]); !ok {
		return nil
	}
	p.IndexName = exprName(pos[2])
	pct := strings.ReplaceAll(strconv.FormatFloat(p.Pct, 'f', -1, 64), ".", "_")
	p.OutName = "rolling_" + strconv.FormatInt(p.Window, 10) + "_percentile_" + exprName(pos[0]) + "_" + pct
	return p
}
