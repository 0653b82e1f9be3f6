package sema

import (
	"hunt/kql/plan"
	"hunt/kql/syntax"
	"hunt/kql/types"
)

// rowsNear analyzes `evaluate rows_near(Condition, NumRows [, RowsAfter])`:
// NumRows rows before each match and, unless RowsAfter says otherwise,
// NumRows rows after it.
func (a *analyzer) rowsNear(n plan.Node, x *syntax.EvaluateOp) plan.Node {
	pos, _ := pluginArgs(x.Call)
	if len(pos) < 2 || len(pos) > 3 {
		a.errorf(x.Call.Pos(), "rows_near() takes Condition, NumRows [, RowsAfter]")
		return nil
	}
	cond := a.scalar(pos[0], rowOf(n.Schema()))
	if t := cond.Type(); t != types.Bool && t != types.Unknown {
		a.errorSpan(pos[0].Pos(), pos[0].End(), false, "rows_near needs a bool condition, got %s", t)
		return nil
	}
	before, ok := a.constCount(pos[1])
	if !ok {
		return nil
	}
	after := before
	if len(pos) == 3 {
		if after, ok = a.constCount(pos[2]); !ok {
			return nil
		}
	}
	return &plan.RowsNear{Input: n, Cond: cond, Before: before, After: after}
}
