package sema

import (
	"strings"

	"hunt/engine/vec"
	"hunt/kql/plan"
	"hunt/kql/syntax"
	"hunt/kql/types"
)

func paramValue(params []*syntax.NamedExpr, name string) (string, syntax.Node) {
	for _, p := range params {
		if len(p.Names) == 1 && strings.EqualFold(p.Names[0].Name, name) {
			switch v := p.X.(type) {
			case *syntax.Ident:
				return v.Name, p
			case *syntax.Literal:
				return v.Value, p
			}
			return "", p
		}
	}
	return "", nil
}

var joinKinds = map[string]plan.JoinKind{
	"innerunique": plan.InnerUnique, "inner": plan.Inner, "leftouter": plan.LeftOuter,
	"rightouter": plan.RightOuter, "fullouter": plan.FullOuter, "outer": plan.FullOuter,
	"leftanti": plan.LeftAnti, "anti": plan.LeftAnti, "leftantisemi": plan.LeftAnti,
	"rightanti": plan.RightAnti, "rightantisemi": plan.RightAnti,
	"leftsemi": plan.LeftSemi, "semi": plan.LeftSemi, "rightsemi": plan.RightSemi,
}

// joinKeys resolves a join's on clause to key column indexes on each side.
func (a *analyzer) joinKeys(left, right vec.Schema, on []syntax.Expr, opPos syntax.Pos) ([]int, []int, bool) {
	var lk, rk []int
	ok := true
	side := func(e syntax.Expr) (string, string, bool) {
		m, isM := e.(*syntax.MemberExpr)
		if !isM {
			return "", "", false
		}
		id, isID := m.X.(*syntax.Ident)
		if !isID || (id.Name != "$left" && id.Name != "$right") {
			return "", "", false
		}
		return id.Name, m.Name.Name, true
	}
	for _, e := range on {
		switch x := e.(type) {
		case *syntax.Ident:
			li, ri := left.Index(x.Name), right.Index(x.Name)
			if li < 0 || ri < 0 {
				where := "left"
				cands := left.Names()
				if li >= 0 {
					where, cands = "right", right.Names()
				}
				a.errorSpan(x.Pos(), x.End(), false, "join key '%s' is not a column of the %s side%s", x.Name, where, suggest(x.Name, cands))
				ok = false
				continue
			}
			lk, rk = append(lk, li), append(rk, ri)
		case *syntax.BinaryExpr:
			if x.Op != "==" {
				a.errorf(x.OpPos, "join conditions must be equalities ($left.a == $right.b)")
				ok = false
				continue
			}
			s1, c1, ok1 := side(x.X)
			s2, c2, ok2 := side(x.Y)
			if !ok1 || !ok2 || s1 == s2 {
				a.errorf(x.Pos(), "join conditions compare $left.column with $right.column")
				ok = false
				continue
			}
			if s1 == "$right" {
				c1, c2 = c2, c1
			}
			li, ri := left.Index(c1), right.Index(c2)
			if li < 0 {
				a.errorf(x.Pos(), "unknown column '%s' on the left side of the join%s", c1, suggest(c1, left.Names()))
				ok = false
				continue
			}
			if ri < 0 {
				a.errorf(x.Pos(), "unknown column '%s' on the right side of the join%s", c2, suggest(c2, right.Names()))
				ok = false
				continue
			}
			lk, rk = append(lk, li), append(rk, ri)
		default:
			a.errorf(e.Pos(), "join conditions are column names or $left.a == $right.b")
			ok = false
		}
	}
	if ok && len(lk) == 0 {
		a.errorf(opPos, "join needs an on clause")
		return nil, nil, false
	}
	for i := range lk {
		lt, rt := left[lk[i]].Type, right[rk[i]].Type
		if lt != rt && !(lt.IsNumeric() && rt.IsNumeric()) {
			a.errorf(opPos, "join key types differ: %s is %s, %s is %s", left[lk[i]].Name, lt, right[rk[i]].Name, rt)
			ok = false
		}
	}
	return lk, rk, ok
}

func (a *analyzer) join(n plan.Node, x *syntax.JoinOp) plan.Node {
	kind := plan.InnerUnique
	if v, p := paramValue(x.Params, "kind"); p != nil {
		k, ok := joinKinds[strings.ToLower(v)]
		if !ok {
			a.errorf(p.Pos(), "unknown join kind '%s'", v)
			return nil
		}
		kind = k
	}
	right := a.tabular(unparen(x.Right))
	if right == nil {
		return nil
	}
	ls, rs := n.Schema(), right.Schema()
	lk, rk, ok := a.joinKeys(ls, rs, x.On, x.OpPos)
	if !ok {
		return nil
	}
	j := &plan.Join{Left: n, Right: right, Kind: kind, LeftKeys: lk, RightKeys: rk}
	taken := map[string]bool{}
	addSide := func(s vec.Schema, side int) {
		for i, c := range s {
			j.Out = append(j.Out, vec.Column{Name: uniqueName(c.Name, taken), Type: c.Type})
			j.OutSide = append(j.OutSide, side)
			j.OutIndex = append(j.OutIndex, i)
		}
	}
	switch kind {
	case plan.LeftAnti, plan.LeftSemi:
		addSide(ls, 0)
	case plan.RightAnti, plan.RightSemi:
		addSide(rs, 1)
	default:
		addSide(ls, 0)
		addSide(rs, 1)
	}
	return j
}

// lookup is a join whose output has the left columns and the right side's
// non-key columns; kind is leftouter unless inner is asked for.
func (a *analyzer) lookup(n plan.Node, x *syntax.LookupOp) plan.Node {
	kind := plan.LeftOuter
	if v, p := paramValue(x.Params, "kind"); p != nil {
		switch strings.ToLower(v) {
		case "leftouter":
		case "inner":
			kind = plan.Inner
		default:
			a.errorf(p.Pos(), "lookup kind must be leftouter or inner, got '%s'", v)
			return nil
		}
	}
	right := a.tabular(unparen(x.Right))
	if right == nil {
		return nil
	}
	ls, rs := n.Schema(), right.Schema()
	lk, rk, ok := a.joinKeys(ls, rs, x.On, x.OpPos)
	if !ok {
		return nil
	}
	j := &plan.Join{Left: n, Right: right, Kind: kind, LeftKeys: lk, RightKeys: rk}
	taken := map[string]bool{}
	for i, c := range ls {
		j.Out = append(j.Out, vec.Column{Name: uniqueName(c.Name, taken), Type: c.Type})
		j.OutSide = append(j.OutSide, 0)
		j.OutIndex = append(j.OutIndex, i)
	}
	isKey := map[int]bool{}
	for _, k := range rk {
		isKey[k] = true
	}
	for i, c := range rs {
		if isKey[i] {
			continue
		}
		j.Out = append(j.Out, vec.Column{Name: uniqueName(c.Name, taken), Type: c.Type})
		j.OutSide = append(j.OutSide, 1)
		j.OutIndex = append(j.OutIndex, i)
	}
	return j
}

// union concatenates tables. Columns are matched by name; kind=outer (the
// default) keeps every column, kind=inner only those common to all inputs.
// A name with different types in different inputs is split into
// name_type columns, as Kusto does.
func (a *analyzer) union(first plan.Node, x *syntax.UnionOp) plan.Node {
	var ins []plan.Node
	var names []string
	if first != nil {
		ins = append(ins, first)
		names = append(names, "")
	}
	for _, t := range x.Tables {
		t = unparen(t)
		if id, ok := t.(*syntax.Ident); ok && strings.Contains(id.Name, "*") {
			matched := false
			if a.opt.Env != nil {
				for _, tn := range a.opt.Env.TableNames() {
					if wildcardMatch(id.Name, tn) {
						if s, ok := a.opt.Env.Table(tn); ok {
							ins = append(ins, &plan.Scan{Table: tn, Columns: append(vec.Schema(nil), s...)})
							names = append(names, tn)
							matched = true
						}
					}
				}
			}
			if !matched {
				a.errorf(id.Pos(), "no table matches '%s'", id.Name)
				return nil
			}
			continue
		}
		n := a.tabular(t)
		if n == nil {
			return nil
		}
		ins = append(ins, n)
		name := ""
		if id, ok := t.(*syntax.Ident); ok {
			name = id.Name
		} else {
			name = "union_arg" + itoa(len(names))
		}
		names = append(names, name)
	}
	kind := "outer"
	if v, p := paramValue(x.Params, "kind"); p != nil {
		kind = strings.ToLower(v)
		if kind != "outer" && kind != "inner" {
			a.errorf(p.Pos(), "union kind must be inner or outer, got '%s'", v)
			return nil
		}
	}
	withSource, _ := paramValue(x.Params, "withsource")
	// Collect columns: (name, type) pairs in first-seen order.
	type key struct {
		name string
		t    types.Type
	}
	var order []key
	seen := map[key]bool{}
	typesOf := map[string]map[types.Type]bool{}
	for _, n := range ins {
		for _, c := range n.Schema() {
			k := key{c.Name, c.Type}
			if !seen[k] {
				seen[k] = true
				order = append(order, k)
			}
			if typesOf[c.Name] == nil {
				typesOf[c.Name] = map[types.Type]bool{}
			}
			typesOf[c.Name][c.Type] = true
		}
	}
	u := &plan.Union{Ins: ins, SourceCol: -1}
	if withSource != "" {
		u.Out = append(u.Out, vec.Column{Name: withSource, Type: types.String})
		u.SourceCol = 0
		for i := range names {
			if names[i] == "" {
				names[i] = "union_arg" + itoa(i)
			}
		}
		u.SourceNames = names
	}
	var cols []key
	// Names kept as they are win; a type-suffixed name that collides with
	// one gets a number ("x_long1"), as the union docs show.
	taken := map[string]bool{}
	if withSource != "" {
		taken[withSource] = true
	}
	for _, k := range order {
		if len(typesOf[k.name]) == 1 {
			taken[k.name] = true
		}
	}
	for _, k := range order {
		if kind == "inner" {
			inAll := true
			for _, n := range ins {
				found := false
				for _, c := range n.Schema() {
					if c.Name == k.name && c.Type == k.t {
						found = true
					}
				}
				inAll = inAll && found
			}
			if !inAll {
				continue
			}
		}
		cols = append(cols, k)
		name := k.name
		if len(typesOf[k.name]) > 1 {
			base := k.name + "_" + k.t.String()
			name = base
			for i := 1; taken[name]; i++ {
				name = base + itoa(i)
			}
			taken[name] = true
		}
		u.Out = append(u.Out, vec.Column{Name: name, Type: k.t})
	}
	for _, n := range ins {
		s := n.Schema()
		m := make([]int, len(u.Out))
		for c := range m {
			m[c] = -1
		}
		off := 0
		if u.SourceCol >= 0 {
			off = 1
		}
		for ci, k := range cols {
			for i, c := range s {
				if c.Name == k.name && c.Type == k.t {
					m[ci+off] = i
				}
			}
		}
		u.Map = append(u.Map, m)
	}
	return u
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

// mvExpand expands dynamic arrays into rows.
func (a *analyzer) mvExpand(n plan.Node, x *syntax.MvExpandOp) plan.Node {
	m := &plan.MvExpand{BagMode: "bag"}
	for _, key := range []string{"kind", "bagexpansion"} {
		if v, p := paramValue(x.Params, key); p != nil {
			m.BagMode = strings.ToLower(v)
			if m.BagMode != "bag" && m.BagMode != "array" {
				a.errorf(p.Pos(), "mv-expand %s must be bag or array, got '%s'", key, v)
				return nil
			}
		}
	}
	if v, p := paramValue(x.Params, "with_itemindex"); p != nil {
		m.IndexName = v
	}
	if x.Limit != nil {
		k, ok := a.constCount(x.Limit)
		if !ok {
			return nil
		}
		m.Limit = k
	}
	// Items written as name = expr are computed by an extend first.
	var extendCols []syntax.Expr
	for _, it := range x.Items {
		if ne, ok := it.X.(*syntax.NamedExpr); ok {
			extendCols = append(extendCols, ne)
		} else if _, ok := it.X.(*syntax.Ident); !ok {
			extendCols = append(extendCols, it.X)
		}
	}
	if len(extendCols) > 0 {
		n = a.project(n, extendCols, true)
	}
	s := n.Schema()
	for _, it := range x.Items {
		name := ""
		switch y := it.X.(type) {
		case *syntax.NamedExpr:
			name = y.Names[0].Name
		case *syntax.Ident:
			name = y.Name
		default:
			name = exprName(y)
		}
		i := s.Index(name)
		if i < 0 {
			a.errorSpan(it.Pos(), it.End(), false, "mv-expand: unknown column '%s'%s", name, suggest(name, s.Names()))
			return nil
		}
		if s[i].Type != types.Dynamic {
			a.errorf(it.Pos(), "mv-expand needs a dynamic column; '%s' is %s", name, s[i].Type)
			return nil
		}
		t := types.Dynamic
		if it.ToType != "" {
			tt, ok := types.Parse(strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(it.ToType), "typeof("), ")"))
			if !ok {
				a.errorf(it.Pos(), "mv-expand: unknown type '%s'", it.ToType)
				return nil
			}
			t = tt
		}
		m.Cols = append(m.Cols, i)
		m.ToTypes = append(m.ToTypes, t)
	}
	m.Input = n
	return m
}
