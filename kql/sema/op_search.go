package sema

import (
	"strings"

	"hunt/kql/plan"
	"hunt/kql/syntax"
	"hunt/kql/types"
)

// searchOp analyzes search. Over several tables (search in (T1, T2), or
// as a source over every table, like union *) it unions them with a
// $table column. A bare string term matches when any string or dynamic
// column has it as a term; "*x*" is contains, "x*" a prefix, "*x" a
// suffix; Col:"x" is has on that column; and/or/not combine as usual.
func (a *analyzer) searchOp(n plan.Node, x *syntax.SearchOp) plan.Node {
	cs := false
	if v, p := paramValue(x.Params, "kind"); p != nil {
		switch strings.ToLower(v) {
		case "case_sensitive":
			cs = true
		case "case_insensitive", "default":
		default:
			a.errorf(p.Pos(), "search kind must be case_sensitive or case_insensitive")
			return nil
		}
	}
	if n == nil || len(x.Tables) > 0 {
		tables := x.Tables
		if n == nil && len(tables) == 0 {
			tables = []syntax.Expr{&syntax.Ident{NamePos: x.OpPos, Name: "*", EndPos: x.OpPos}}
		}
		src := &syntax.Literal{ValuePos: x.OpPos, Kind: syntax.LitString, Value: "$table", EndPos: x.OpPos}
		n = a.union(n, &syntax.UnionOp{OpPos: x.OpPos, Tables: tables, EndPos: x.OpPos,
			Params: []*syntax.NamedExpr{{Names: []*syntax.Ident{{Name: "withsource"}}, X: src}}})
		if n == nil {
			return nil
		}
	}
	if _, ok := x.Pred.(*syntax.StarExpr); ok {
		return n
	}
	pred := a.searchPred(x.Pred, rowOf(n.Schema()), n, cs)
	if isBad(pred) {
		return nil
	}
	return &plan.Filter{Input: n, Pred: pred}
}

func (a *analyzer) searchPred(e syntax.Expr, r *row, n plan.Node, cs bool) plan.Expr {
	switch x := e.(type) {
	case *syntax.ParenExpr:
		return a.searchPred(x.X, r, n, cs)
	case *syntax.BinaryExpr:
		if x.Op == "and" || x.Op == "or" {
			return a.call(x, x.Op, []plan.Expr{a.searchPred(x.X, r, n, cs), a.searchPred(x.Y, r, n, cs)})
		}
		if x.Op == ":" {
			if lit, ok := x.Y.(*syntax.Literal); ok && lit.Kind == syntax.LitString {
				col := a.scalar(x.X, r)
				if isBad(col) {
					return bad()
				}
				return a.termMatch(x, col, lit.Value, cs)
			}
		}
	case *syntax.CallExpr:
		if x.Fun.Name == "not" && len(x.Args) == 1 {
			return a.call(x, "not", []plan.Expr{a.searchPred(x.Args[0], r, n, cs)})
		}
	case *syntax.Literal:
		if x.Kind == syntax.LitString {
			var any plan.Expr
			for i, c := range n.Schema() {
				if c.Type != types.String && c.Type != types.Dynamic {
					continue
				}
				var col plan.Expr = &plan.ColRef{Index: i, Name: c.Name, T: c.Type}
				if c.Type == types.Dynamic {
					col = a.call(x, "tostring", []plan.Expr{col})
				}
				m := a.termMatch(x, col, x.Value, cs)
				if any == nil {
					any = m
				} else {
					any = a.call(x, "or", []plan.Expr{any, m})
				}
			}
			if any == nil {
				return &plan.Const{T: types.Bool, Value: false}
			}
			return any
		}
	}
	return a.scalar(e, r)
}

// termMatch builds the match of one search term against a column.
func (a *analyzer) termMatch(n syntax.Node, col plan.Expr, term string, cs bool) plan.Expr {
	op := "has"
	switch {
	case strings.HasPrefix(term, "*") && strings.HasSuffix(term, "*") && len(term) > 1:
		op, term = "contains", term[1:len(term)-1]
	case strings.HasSuffix(term, "*"):
		op, term = "startswith", strings.TrimSuffix(term, "*")
	case strings.HasPrefix(term, "*"):
		op, term = "endswith", strings.TrimPrefix(term, "*")
	}
	if cs {
		op += "_cs"
	}
	if col.Type() == types.Dynamic {
		col = a.call(n, "tostring", []plan.Expr{col})
	}
	return a.call(n, op, []plan.Expr{col, &plan.Const{T: types.String, Value: term}})
}

// findOp analyzes find: the tables are unioned with a source column
// (source_ unless withsource= names it), filtered by the predicate, and
// projected to the source, the listed columns (project) or all but the
// listed ones (project-away), else the source and a pack_ bag of every
// other column (project-smart, the default).
func (a *analyzer) findOp(x *syntax.FindOp) plan.Node {
	srcName := "source_"
	if v, p := paramValue(x.Params, "withsource"); p != nil {
		srcName = v
	}
	tables := x.Tables
	if len(tables) == 0 {
		tables = []syntax.Expr{&syntax.Ident{NamePos: x.OpPos, Name: "*", EndPos: x.OpPos}}
	}
	src := &syntax.Literal{ValuePos: x.OpPos, Kind: syntax.LitString, Value: srcName, EndPos: x.OpPos}
	n := a.union(nil, &syntax.UnionOp{OpPos: x.OpPos, Tables: tables, EndPos: x.OpPos,
		Params: []*syntax.NamedExpr{{Names: []*syntax.Ident{{Name: "withsource"}}, X: src}}})
	if n == nil {
		return nil
	}
	pred := a.searchPred(x.Pred, rowOf(n.Schema()), n, false)
	if isBad(pred) {
		return nil
	}
	n = &plan.Filter{Input: n, Pred: pred}
	s := n.Schema()
	var cols []syntax.Expr
	for _, c := range x.Cols {
		if d, ok := c.(*syntax.ColumnDecl); ok {
			c = d.Name
		}
		cols = append(cols, c)
	}
	switch x.Project {
	case "project":
		return a.project(n, append([]syntax.Expr{&syntax.Ident{NamePos: x.OpPos, Name: srcName, EndPos: x.OpPos}}, cols...), false)
	case "project-away":
		return a.projectAway(n, cols, false)
	}
	var args []plan.Expr
	for i, c := range s[1:] {
		args = append(args, &plan.Const{T: types.String, Value: c.Name}, &plan.ColRef{Index: i + 1, Name: c.Name, T: c.Type})
	}
	bag := a.call(x, "bag_pack", args)
	return &plan.Project{Input: n, Exprs: []plan.Expr{&plan.ColRef{Index: 0, Name: srcName, T: types.String}, bag}, Names: []string{srcName, "pack_"}}
}
