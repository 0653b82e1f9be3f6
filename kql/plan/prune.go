package plan

import "hunt/engine/vec"

// PruneColumns rewrites n so that every Scan reads only the columns the
// query uses, and projections drop columns no one reads. This is what lets
// a reader decode a handful of columns out of a wide Defender table.
func PruneColumns(n Node) Node {
	req := make([]bool, len(n.Schema()))
	for i := range req {
		req[i] = true
	}
	out, _ := prune(n, req)
	return out
}

// prune returns a node producing (at least) the required columns of n and
// the mapping from n's column indexes to the new node's (-1: dropped).
func prune(n Node, req []bool) (Node, []int) {
	switch x := n.(type) {
	case *Scan:
		var cols vec.Schema
		m := make([]int, len(x.Columns))
		for i, c := range x.Columns {
			if req[i] {
				m[i] = len(cols)
				cols = append(cols, c)
			} else {
				m[i] = -1
			}
		}
		if len(cols) == 0 && len(x.Columns) > 0 {
			// Something must carry the row count (count, print-less
			// summarize): keep the first column.
			m[0] = 0
			cols = append(cols, x.Columns[0])
		}
		return &Scan{Table: x.Table, Columns: cols}, m
	case *Filter:
		if sunk, ok := sinkFilters(x); ok {
			return prune(sunk, req)
		}
		r := append([]bool(nil), req...)
		markExpr(x.Pred, r)
		in, m := prune(x.Input, r)
		return &Filter{Input: in, Pred: remapExpr(x.Pred, m)}, m
	case *Project:
		p := &Project{}
		m := make([]int, len(x.Exprs))
		var keep []int
		for i := range x.Exprs {
			if req[i] {
				m[i] = len(keep)
				keep = append(keep, i)
			} else {
				m[i] = -1
			}
		}
		r := make([]bool, len(x.Input.Schema()))
		for _, i := range keep {
			markExpr(x.Exprs[i], r)
		}
		in, cm := prune(x.Input, r)
		p.Input = in
		for _, i := range keep {
			p.Exprs = append(p.Exprs, remapExpr(x.Exprs[i], cm))
			p.Names = append(p.Names, x.Names[i])
		}
		return p, m
	case *Aggregate:
		r := make([]bool, len(x.Input.Schema()))
		for _, k := range x.Keys {
			markExpr(k, r)
		}
		for _, a := range x.Aggs {
			for _, e := range a.Args {
				markExpr(e, r)
			}
		}
		in, cm := prune(x.Input, r)
		a := &Aggregate{Input: in, KeyNames: x.KeyNames}
		for _, k := range x.Keys {
			a.Keys = append(a.Keys, remapExpr(k, cm))
		}
		for _, ac := range x.Aggs {
			c := ac
			c.Args = nil
			for _, e := range ac.Args {
				c.Args = append(c.Args, remapExpr(e, cm))
			}
			a.Aggs = append(a.Aggs, c)
		}
		return a, identity(len(x.Schema()))
	case *Sort:
		r := append([]bool(nil), req...)
		for _, k := range x.Keys {
			markExpr(k.Expr, r)
		}
		in, m := prune(x.Input, r)
		return &Sort{Input: in, Keys: remapKeys(x.Keys, m)}, m
	case *Top:
		r := append([]bool(nil), req...)
		for _, k := range x.Keys {
			markExpr(k.Expr, r)
		}
		in, m := prune(x.Input, r)
		return &Top{Input: in, N: x.N, Keys: remapKeys(x.Keys, m)}, m
	case *Limit:
		in, m := prune(x.Input, req)
		return &Limit{Input: in, N: x.N}, m
	case *Join:
		lr := make([]bool, len(x.Left.Schema()))
		rr := make([]bool, len(x.Right.Schema()))
		for _, k := range x.LeftKeys {
			lr[k] = true
		}
		for _, k := range x.RightKeys {
			rr[k] = true
		}
		for c := range x.Out {
			if !req[c] {
				continue
			}
			if x.OutSide[c] == 0 {
				lr[x.OutIndex[c]] = true
			} else {
				rr[x.OutIndex[c]] = true
			}
		}
		left, lm := prune(x.Left, lr)
		right, rm := prune(x.Right, rr)
		j := &Join{Left: left, Right: right, Kind: x.Kind}
		for _, k := range x.LeftKeys {
			j.LeftKeys = append(j.LeftKeys, lm[k])
		}
		for _, k := range x.RightKeys {
			j.RightKeys = append(j.RightKeys, rm[k])
		}
		m := make([]int, len(x.Out))
		for c := range x.Out {
			if !req[c] {
				m[c] = -1
				continue
			}
			m[c] = len(j.Out)
			j.Out = append(j.Out, x.Out[c])
			j.OutSide = append(j.OutSide, x.OutSide[c])
			if x.OutSide[c] == 0 {
				j.OutIndex = append(j.OutIndex, lm[x.OutIndex[c]])
			} else {
				j.OutIndex = append(j.OutIndex, rm[x.OutIndex[c]])
			}
		}
		return j, m
	case *Union:
		u := &Union{Out: x.Out, SourceCol: x.SourceCol, SourceNames: x.SourceNames}
		for i, in := range x.Ins {
			r := make([]bool, len(in.Schema()))
			for c, src := range x.Map[i] {
				if src >= 0 && req[c] {
					r[src] = true
				}
			}
			nin, m := prune(in, r)
			u.Ins = append(u.Ins, nin)
			mm := make([]int, len(x.Map[i]))
			for c, src := range x.Map[i] {
				if src < 0 || !req[c] {
					mm[c] = -1
				} else {
					mm[c] = m[src]
				}
			}
			u.Map = append(u.Map, mm)
		}
		return u, identity(len(x.Out))
	case *MvExpand:
		nin := len(x.Input.Schema())
		r := make([]bool, nin)
		copy(r, req[:nin])
		for _, c := range x.Cols {
			r[c] = true
		}
		in, m := prune(x.Input, r)
		e := &MvExpand{Input: in, ToTypes: x.ToTypes, BagMode: x.BagMode, Limit: x.Limit, IndexName: x.IndexName}
		for _, c := range x.Cols {
			e.Cols = append(e.Cols, m[c])
		}
		mm := append([]int(nil), m...)
		if x.IndexName != "" {
			mm = append(mm, len(in.Schema()))
		}
		return e, mm
	case *Shared:
		return x, identity(len(x.Schema()))
	case *Parse:
		return pruneParse(x, req)
	case *ParseKv:
		return pruneParseKv(x, req)
	case *Window:
		return pruneWindow(x, req)
	}
	if n, m, ok := pruneOther(n, req); ok {
		return n, m
	}
	return n, identity(len(n.Schema()))
}

func identity(n int) []int {
	m := make([]int, n)
	for i := range m {
		m[i] = i
	}
	return m
}

func markExpr(e Expr, r []bool) {
	for _, c := range Columns(e) {
		if c < len(r) {
			r[c] = true
		}
	}
}

func remapExpr(e Expr, m []int) Expr {
	e = Remap(e, func(i int) int { return m[i] })
	return pruneSubqueries(e)
}

// pruneSubqueries prunes the plans of toscalar() and in (subquery).
func pruneSubqueries(e Expr) Expr {
	switch x := e.(type) {
	case *Subquery:
		c := *x
		c.Node = PruneColumns(x.Node)
		return &c
	case *Call:
		c := *x
		c.Args = make([]Expr, len(x.Args))
		for i, a := range x.Args {
			c.Args[i] = pruneSubqueries(a)
		}
		return &c
	}
	return e
}

func remapKeys(ks []SortKey, m []int) []SortKey {
	out := make([]SortKey, len(ks))
	for i, k := range ks {
		out[i] = k
		out[i].Expr = remapExpr(k.Expr, m)
	}
	return out
}
