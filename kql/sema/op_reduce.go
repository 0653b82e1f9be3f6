package sema

import (
	"strings"

	"hunt/kql/plan"
	"hunt/kql/syntax"
	"hunt/kql/types"
)

// reduceDefaultThreshold is Kusto's default for `with threshold=`.
const reduceDefaultThreshold = 0.1

// reduceOp analyzes `reduce [kind=source] by Expr [with threshold=R,
// characters="..."]`. Expr is converted to a string when it is not one.
func (a *analyzer) reduceOp(n plan.Node, x *syntax.ReduceOp) plan.Node {
	in := n.Schema()
	out := &plan.Reduce{Input: n, Threshold: reduceDefaultThreshold, DefaultChars: true}
	for _, p := range x.Params {
		if len(p.Names) != 1 || strings.HasPrefix(strings.ToLower(p.Names[0].Name), "hint.") {
			continue // hints change nothing offline
		}
		name := p.Names[0].Name
		v, _ := paramValue([]*syntax.NamedExpr{p}, name)
		if !strings.EqualFold(name, "kind") || !strings.EqualFold(v, "source") {
			a.errorSpan(p.Pos(), p.End(), false, "reduce: the only kind is kind=source")
			return nil
		}
		out.Source = true
	}
	seen := map[string]bool{}
	for _, p := range x.With {
		if len(p.Names) != 1 {
			a.errorSpan(p.Pos(), p.End(), false, "reduce: expected threshold = value or characters = value after with")
			return nil
		}
		name := strings.ToLower(p.Names[0].Name)
		if name != "threshold" && name != "characters" {
			a.errorSpan(p.Pos(), p.End(), false, "reduce: unknown option '%s' (expected threshold or characters)", p.Names[0].Name)
			return nil
		}
		if seen[name] {
			a.errorSpan(p.Pos(), p.End(), false, "reduce: %s is given twice", name)
			return nil
		}
		seen[name] = true
		v := a.scalar(p.X, nil)
		c, ok := v.(*plan.Const)
		if !ok {
			if !isBad(v) {
				a.errorSpan(p.X.Pos(), p.X.End(), false, "reduce: %s must be a constant", name)
			}
			return nil
		}
		switch name {
		case "threshold":
			var t float64
			switch val := c.Value.(type) {
			case int64:
				t = float64(val)
			case float64:
				t = val
			default:
				a.errorSpan(p.X.Pos(), p.X.End(), false, "reduce: threshold must be a number between 0 and 1")
				return nil
			}
			if !(t >= 0 && t <= 1) { // also rejects NaN
				a.errorSpan(p.X.Pos(), p.X.End(), false, "reduce: threshold must be a number between 0 and 1")
				return nil
			}
			out.Threshold = t
		case "characters":
			s, ok := c.Value.(string)
			if !ok || c.T != types.String {
				a.errorSpan(p.X.Pos(), p.X.End(), false, "reduce: characters must be a string")
				return nil
			}
			out.Chars, out.DefaultChars = s, false
		}
	}
	by := a.scalar(x.By, rowOf(in))
	if isBad(by) {
		return nil
	}
	if by.Type() != types.String {
		by = a.call(x.By, "tostring", []plan.Expr{by})
		if isBad(by) {
			return nil
		}
	}
	out.By = by
	if out.Source {
		taken := map[string]bool{}
		for _, c := range in {
			taken[c.Name] = true
		}
		out.PatternName = uniqueName("Pattern", taken)
	}
	return out
}
