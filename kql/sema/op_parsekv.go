package sema

import (
	"regexp"
	"strings"

	"hunt/engine/vec"
	"hunt/kql/plan"
	"hunt/kql/syntax"
	"hunt/kql/types"
)

// parseKvOp analyzes parse-kv X as (Cols) with (Params).
func (a *analyzer) parseKvOp(n plan.Node, x *syntax.ParseKvOp) plan.Node {
	in := n.Schema()
	e := a.scalar(x.X, rowOf(in))
	if isBad(e) {
		return nil
	}
	if e.Type() != types.String {
		e = a.call(x.X, "tostring", []plan.Expr{e})
	}
	p := &plan.ParseKv{Input: n, X: e}
	for _, c := range x.Columns {
		t := types.String
		if c.Type != "" {
			tt, ok := types.Parse(c.Type)
			if !ok {
				a.errorf(c.TypePos, "unknown type '%s'", c.Type)
				return nil
			}
			t = tt
		}
		p.Cols = append(p.Cols, vec.Column{Name: c.Name.Name, Type: t})
		p.Replace = append(p.Replace, in.Index(c.Name.Name))
	}
	for _, prm := range x.Params {
		if len(prm.Names) != 1 {
			a.errorf(prm.Pos(), "parse-kv: expected name = value")
			return nil
		}
		name := strings.ToLower(prm.Names[0].Name)
		v := a.scalar(prm.X, nil)
		c, ok := v.(*plan.Const)
		if !ok {
			if !isBad(v) {
				a.errorf(prm.X.Pos(), "parse-kv: %s must be a constant", name)
			}
			return nil
		}
		s, _ := c.Value.(string)
		switch name {
		case "pair_delimiter":
			p.PairDelim = s
		case "kv_delimiter":
			p.KvDelim = s
		case "quote":
			if len(s) == 0 || len(s) > 2 {
				a.errorf(prm.X.Pos(), "parse-kv: quote takes one or two characters")
				return nil
			}
			if len(s) == 1 {
				s += s
			}
			p.Quote += s
		case "escape":
			if len(s) != 1 {
				a.errorf(prm.X.Pos(), "parse-kv: escape takes one character")
				return nil
			}
			p.Escape += s
		case "greedy":
			b, _ := c.Value.(bool)
			p.Greedy = b
		case "regex":
			re, err := regexp.Compile(s)
			if err != nil {
				a.errorf(prm.X.Pos(), "parse-kv: invalid regex: %v", err)
				return nil
			}
			if re.NumSubexp() != 2 {
				a.errorf(prm.X.Pos(), "parse-kv: the regex must have exactly two groups (key and value), it has %d", re.NumSubexp())
				return nil
			}
			p.Regex = s
		default:
			a.errorf(prm.Pos(), "parse-kv: unknown parameter '%s'", prm.Names[0].Name)
			return nil
		}
	}
	if (p.PairDelim == "") != (p.KvDelim == "") {
		a.errorf(x.OpPos, "parse-kv needs both pair_delimiter and kv_delimiter, or neither")
		return nil
	}
	return p
}
