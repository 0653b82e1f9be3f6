package sema

import (
	"hunt/engine/vec"
	"hunt/kql/plan"
	"hunt/kql/syntax"
	"hunt/kql/types"
)

// scanOp analyzes `scan [with_match_id=Id] [declare (v:type=default, ...)]
// with (step s1 [output=...]: Cond [=> v = Expr, ...]; ...)`. Expressions
// see the current record's columns and the declared variables by name,
// and what an earlier step recorded as sK.Column (plan.ScanOp's frame).
func (a *analyzer) scanOp(n plan.Node, x *syntax.ScanOp) plan.Node {
	in := n.Schema()
	out := &plan.ScanOp{Input: n}
	for _, p := range x.Params {
		if len(p.Names) == 1 && p.Names[0].Name == "with_match_id" {
			if id, ok := p.X.(*syntax.Ident); ok {
				out.MatchID = id.Name
				continue
			}
		}
		a.errorf(p.Pos(), "scan: unknown parameter; hunt knows with_match_id=Name")
		return nil
	}
	for _, d := range x.Declare {
		t, ok := types.Parse(d.Type)
		if !ok {
			a.errorf(d.Name.Pos(), "scan: unknown type '%s' for %s", d.Type, d.Name.Name)
			return nil
		}
		var def any
		if d.Default != nil {
			c, ok := a.scalar(d.Default, nil).(*plan.Const)
			if !ok {
				a.errorf(d.Default.Pos(), "scan: a declared default must be a constant")
				return nil
			}
			if def, ok = convertConst(c, t); !ok {
				a.errorf(d.Default.Pos(), "scan: the default of %s is not a %s", d.Name.Name, t)
				return nil
			}
		}
		out.Declare = append(out.Declare, vec.Column{Name: d.Name.Name, Type: t})
		out.Defaults = append(out.Defaults, def)
	}
	frame := append(append(vec.Schema(nil), in...), out.Declare...)
	width := len(frame)
	r := rowOf(frame)
	steps := map[string]int{}
	for i, st := range x.Steps {
		steps[st.Name.Name] = i
	}
	saved := a.stepRef
	defer func() { a.stepRef = saved }()
	a.stepRef = func(step, col string) (plan.Expr, bool) {
		j, ok := steps[step]
		if !ok {
			return nil, false
		}
		k := frame.Index(col)
		if k < 0 {
			return nil, false
		}
		return &plan.ColRef{Index: width + j*width + k, Name: step + "." + col, T: frame[k].Type}, true
	}
	for _, st := range x.Steps {
		ps := plan.ScanOpStep{Name: st.Name.Name, Output: st.Output}
		if ps.Output == "" {
			ps.Output = "all"
		}
		ps.Cond = a.scalar(st.Cond, r)
		if isBad(ps.Cond) {
			return nil
		}
		if t := ps.Cond.Type(); t != types.Bool && t != types.Unknown {
			a.errorf(st.Cond.Pos(), "scan: the condition of step %s must be bool, got %s", st.Name.Name, t)
			return nil
		}
		for _, as := range st.Assigns {
			v := out.Declare.Index(as.Names[0].Name)
			if v < 0 || len(as.Names) != 1 {
				a.errorf(as.Pos(), "scan: only declared variables can be assigned; '%s' is not declared", as.Names[0].Name)
				return nil
			}
			e := a.scalar(as.X, r)
			if isBad(e) {
				return nil
			}
			ps.Vars = append(ps.Vars, v)
			ps.Assign = append(ps.Assign, e)
		}
		out.Steps = append(out.Steps, ps)
	}
	return out
}
