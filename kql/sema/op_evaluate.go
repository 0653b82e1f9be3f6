package sema

import (
	"sort"
	"strings"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/plan"
	"hunt/kql/syntax"
	"hunt/kql/types"
)

// evaluate analyzes `evaluate plugin(...)`. n is nil when evaluate starts
// the pipeline.
func (a *analyzer) evaluate(n plan.Node, x *syntax.EvaluateOp) plan.Node {
	name := x.Call.Fun.Name
	if n == nil {
		a.unsupported(x, "evaluate "+name+" as a source")
		return nil
	}
	switch name {
	case "bag_unpack":
		return a.bagUnpack(n, x)
	case "pivot":
		return a.pivot(n, x)
	case "ipv4_lookup", "ipv6_lookup":
		return a.ipLookup(n, x, name == "ipv6_lookup")
	case "sliding_window_counts":
		return a.slidingWindowCounts(n, x)
	case "rolling_percentile":
		return a.rollingPercentile(n, x)
	case "active_users_count":
		return a.activeUsersCount(n, x)
	case "rows_near":
		return a.rowsNear(n, x)
	case "geo_polygon_lookup", "geo_line_lookup":
		return a.geoLookup(n, x, name == "geo_line_lookup")
	}
	a.unsupported(x, "evaluate "+name)
	return nil
}

// pluginArgs splits a plugin call's arguments into positional ones and
// named ones (name = value).
func pluginArgs(c *syntax.CallExpr) ([]syntax.Expr, map[string]*syntax.NamedExpr) {
	var pos []syntax.Expr
	named := map[string]*syntax.NamedExpr{}
	for _, arg := range c.Args {
		if ne, ok := arg.(*syntax.NamedExpr); ok && len(ne.Names) == 1 {
			named[strings.ToLower(ne.Names[0].Name)] = ne
			continue
		}
		pos = append(pos, arg)
	}
	return pos, named
}

// constArg analyzes a constant plugin argument.
func (a *analyzer) constArg(e syntax.Expr) (*plan.Const, bool) {
	v := a.fold(a.scalar(e, nil))
	c, ok := v.(*plan.Const)
	if !ok {
		if !isBad(v) {
			a.errorf(e.Pos(), "this argument must be a constant")
		}
		return nil, false
	}
	return c, true
}

// constString returns the value of e when it is a constant string: a
// literal, or a let or function parameter bound to one (table(tableName)
// in a function called with a literal).
func (a *analyzer) constString(e syntax.Expr) (string, bool) {
	if lit, ok := unparen(e).(*syntax.Literal); ok {
		return lit.Value, lit.Kind == syntax.LitString
	}
	c, ok := a.fold(a.scalar(e, nil)).(*plan.Const)
	if !ok || c.T != types.String {
		return "", false
	}
	s, ok := c.Value.(string)
	return s, ok
}

// columnArg resolves a plugin argument naming a column of s.
func (a *analyzer) columnArg(e syntax.Expr, s vec.Schema, what string) (int, bool) {
	id, ok := unparen(e).(*syntax.Ident)
	if !ok {
		a.errorf(e.Pos(), "%s must be a column name", what)
		return 0, false
	}
	i := s.Index(id.Name)
	if i < 0 {
		a.errorSpan(id.Pos(), id.End(), false, "unknown column '%s'%s", id.Name, suggest(id.Name, s.Names()))
		return 0, false
	}
	return i, true
}

// outputSchema parses a plugin's declared output schema "(*, a:string)".
func (a *analyzer) outputSchema(x *syntax.EvaluateOp) (vec.Schema, bool, bool) {
	text := strings.TrimSpace(x.Schema)
	text = strings.TrimSuffix(strings.TrimPrefix(text, "("), ")")
	var s vec.Schema
	star := false
	for _, part := range strings.Split(text, ",") {
		part = strings.TrimSpace(part)
		if part == "*" {
			star = true
			continue
		}
		name, typ, ok := strings.Cut(part, ":")
		t, tok := types.Parse(typ)
		if !ok || !tok {
			a.errorf(x.Call.Rparen, "invalid output schema column '%s' (want name:type)", part)
			return nil, false, false
		}
		name = strings.TrimSpace(name)
		if strings.HasPrefix(name, "[") {
			name = strings.Trim(name, "[]'\"")
		}
		s = append(s, vec.Column{Name: name, Type: t})
	}
	return s, star, true
}

func (a *analyzer) bagUnpack(n plan.Node, x *syntax.EvaluateOp) plan.Node {
	pos, named := pluginArgs(x.Call)
	if len(pos) == 0 {
		a.errorf(x.Call.Pos(), "bag_unpack() needs the column to unpack")
		return nil
	}
	in := n.Schema()
	if _, ok := unparen(pos[0]).(*syntax.Ident); !ok {
		// An expression: compute it into a column first.
		n = a.project(n, []syntax.Expr{&syntax.NamedExpr{Names: []*syntax.Ident{{Name: "__bag"}}, X: pos[0]}}, true)
		in = n.Schema()
		pos[0] = &syntax.Ident{NamePos: pos[0].Pos(), Name: "__bag", EndPos: pos[0].End()}
	}
	col, ok := a.columnArg(pos[0], in, "bag_unpack's first argument")
	if !ok {
		return nil
	}
	if in[col].Type != types.Dynamic {
		a.errorf(pos[0].Pos(), "bag_unpack needs a dynamic column; '%s' is %s", in[col].Name, in[col].Type)
		return nil
	}
	prefix, conflict := "", "error"
	ignored := map[string]bool{}
	opt := func(i int, key string) syntax.Expr {
		if ne, ok := named[strings.ToLower(key)]; ok {
			return ne.X
		}
		if i < len(pos) {
			return pos[i]
		}
		return nil
	}
	if e := opt(1, "OutputColumnPrefix"); e != nil {
		c, ok := a.constArg(e)
		if !ok {
			return nil
		}
		prefix, _ = c.Value.(string)
	}
	if e := opt(2, "columnsConflict"); e != nil {
		c, ok := a.constArg(e)
		if !ok {
			return nil
		}
		conflict, _ = c.Value.(string)
		if conflict != "error" && conflict != "replace_source" && conflict != "keep_source" {
			a.errorf(e.Pos(), "columnsConflict must be 'error', 'replace_source' or 'keep_source'")
			return nil
		}
	}
	if e := opt(3, "ignoredProperties"); e != nil {
		c, ok := a.constArg(e)
		if !ok {
			return nil
		}
		arr, _ := c.Value.([]any)
		for _, v := range arr {
			if s, ok := v.(string); ok {
				ignored[s] = true
			}
		}
	}
	u := &plan.BagUnpack{Input: n, Col: col}
	add := func(c vec.Column, src int, key string) {
		u.Out = append(u.Out, c)
		u.Src = append(u.Src, src)
		u.Keys = append(u.Keys, key)
	}
	if x.Schema != "" {
		s, star, ok := a.outputSchema(x)
		if !ok {
			return nil
		}
		if star {
			for i, c := range in {
				if i != col && s.Index(c.Name) < 0 {
					add(c, i, "")
				}
			}
		}
		for _, c := range s {
			if i := in.Index(c.Name); i >= 0 && i != col && in[i].Type == c.Type {
				add(c, i, "")
				continue
			}
			key := strings.TrimPrefix(c.Name, prefix)
			add(c, -1, key)
		}
		return u
	}
	keys, ok := a.bagKeys(n, col, x)
	if !ok {
		return nil
	}
	for i, c := range in {
		if i != col {
			add(c, i, "")
		}
	}
	for _, k := range keys {
		if ignored[k.Name] {
			continue
		}
		name := prefix + k.Name
		if j := u.Out.Index(name); j >= 0 {
			switch conflict {
			case "keep_source":
				continue
			case "replace_source":
				u.Out[j] = vec.Column{Name: name, Type: k.Type}
				u.Src[j], u.Keys[j] = -1, k.Name
				continue
			}
			a.errorf(x.Call.Pos(), "bag_unpack: the bag key '%s' would overwrite column '%s' (use columnsConflict='replace_source' or 'keep_source')", k.Name, name)
			return nil
		}
		add(vec.Column{Name: name, Type: k.Type}, -1, k.Name)
	}
	return u
}

// bagKeys runs the input at analysis time to learn the keys of its bags:
// without a declared output schema, bag_unpack's columns depend on the
// data, as in Kusto.
func (a *analyzer) bagKeys(n plan.Node, col int, x *syntax.EvaluateOp) (vec.Schema, bool) {
	vals, ok := a.runColumn(&plan.BagSchema{Input: n, Col: col}, x, "bag_unpack")
	if !ok {
		return nil, false
	}
	var out vec.Schema
	for _, v := range vals {
		s, _ := v.(string)
		k := strings.LastIndexByte(s, ':')
		t, _ := types.Parse(s[k+1:])
		out = append(out, vec.Column{Name: s[:k], Type: t})
	}
	return out, true
}

// runColumn evaluates a plan at analysis time and returns its first
// column.
func (a *analyzer) runColumn(node plan.Node, x *syntax.EvaluateOp, plugin string) ([]any, bool) {
	if a.opt.Fold == nil {
		a.errorSpan(x.Pos(), x.End(), true, "evaluate %s without an output schema needs the data at analysis time; declare the columns: evaluate %s(...) : (*, Name:type, ...)", plugin, plugin)
		return nil, false
	}
	v, err := a.opt.Fold(&plan.Subquery{Node: plan.PruneColumns(node), Mode: plan.SubqueryColumn})
	if err != nil {
		a.errorSpan(x.Pos(), x.End(), true, "evaluate %s: its output columns depend on the data, which could not be read here (%v); declare them: evaluate %s(...) : (*, Name:type, ...)", plugin, err, plugin)
		return nil, false
	}
	arr, _ := v.([]any)
	return arr, true
}

func (a *analyzer) pivot(n plan.Node, x *syntax.EvaluateOp) plan.Node {
	pos, _ := pluginArgs(x.Call)
	if len(pos) == 0 {
		a.errorf(x.Call.Pos(), "pivot() needs the column to pivot")
		return nil
	}
	in := n.Schema()
	pc, ok := a.columnArg(pos[0], in, "pivot's first argument")
	if !ok {
		return nil
	}
	var aggX syntax.Expr = &syntax.CallExpr{Fun: &syntax.Ident{NamePos: x.Call.Pos(), Name: "count", EndPos: x.Call.Pos()}, Lparen: x.Call.Pos(), Rparen: x.Call.Pos()}
	rest := pos[1:]
	used := map[int]bool{pc: true}
	if len(rest) > 0 {
		if c, ok := unparen(rest[0]).(*syntax.CallExpr); ok {
			if f, ok := builtins.Lookup(c.Fun.Name); ok && f.Kind == builtins.Aggregate {
				aggX = c
				rest = rest[1:]
				for _, arg := range c.Args {
					if id, ok := unparen(arg).(*syntax.Ident); ok {
						if i := in.Index(id.Name); i >= 0 {
							used[i] = true
						}
					}
				}
			}
		}
	}
	var by []syntax.Expr
	if len(rest) > 0 {
		for _, e := range rest {
			if _, ok := a.columnArg(e, in, "pivot's key columns"); !ok {
				return nil
			}
			by = append(by, e)
		}
	} else {
		for i, c := range in {
			if !used[i] {
				by = append(by, &syntax.Ident{NamePos: x.Call.Pos(), Name: c.Name, EndPos: x.Call.Pos()})
			}
		}
	}
	pivotKey := &syntax.NamedExpr{Names: []*syntax.Ident{{Name: "__pivot"}}, X: &syntax.CallExpr{
		Fun: &syntax.Ident{NamePos: pos[0].Pos(), Name: "tostring", EndPos: pos[0].Pos()}, Args: []syntax.Expr{pos[0]}}}
	agg := a.summarize(n, []syntax.Expr{&syntax.NamedExpr{Names: []*syntax.Ident{{Name: "__value"}}, X: aggX}}, append(append([]syntax.Expr(nil), by...), pivotKey))
	if agg == nil {
		return nil
	}
	as := agg.Schema()
	if len(as) != len(by)+2 {
		a.errorf(x.Call.Pos(), "pivot: the aggregation must yield one column")
		return nil
	}
	distinct := &plan.Aggregate{Input: n, Keys: []plan.Expr{a.call(pos[0], "tostring", []plan.Expr{&plan.ColRef{Index: pc, Name: in[pc].Name, T: in[pc].Type}})}, KeyNames: []string{"v"}}
	vals, ok := a.runColumn(distinct, x, "pivot")
	if !ok {
		return nil
	}
	p := &plan.Pivot{Input: agg, NKeys: len(by), Out: append(vec.Schema(nil), as[:len(by)]...)}
	vt := as[len(by)+1].Type
	switch {
	case vt.IsInteger():
		p.Fill = int64(0)
	case vt == types.Real || vt == types.Decimal:
		p.Fill = float64(0)
	case vt == types.String:
		p.Fill = ""
	}
	for _, v := range vals {
		s, _ := v.(string)
		p.Values = append(p.Values, s)
		p.Out = append(p.Out, vec.Column{Name: s, Type: vt})
	}
	if x.Schema != "" {
		s, _, ok := a.outputSchema(x)
		if !ok {
			return nil
		}
		return a.conformTo(p, s)
	}
	return p
}

// conformTo projects n to a declared output schema: declared columns n
// lacks are null; types are converted where they differ.
func (a *analyzer) conformTo(n plan.Node, s vec.Schema) plan.Node {
	in := n.Schema()
	p := &plan.Project{Input: n}
	for _, c := range s {
		var e plan.Expr
		if i := in.Index(c.Name); i >= 0 {
			e = &plan.ColRef{Index: i, Name: c.Name, T: in[i].Type}
			if in[i].Type != c.Type {
				if conv, ok := convFuncs[c.Type]; ok {
					e = a.call(&syntax.Ident{}, conv, []plan.Expr{e})
				}
			}
		} else {
			e = &plan.Const{T: c.Type}
		}
		p.Exprs = append(p.Exprs, e)
		p.Names = append(p.Names, c.Name)
	}
	return p
}

var convFuncs = map[types.Type]string{
	types.Int: "toint", types.Long: "tolong", types.Real: "todouble", types.Decimal: "todecimal",
	types.Bool: "tobool", types.DateTime: "todatetime", types.Timespan: "totimespan",
	types.Guid: "toguid", types.Dynamic: "parse_json", types.String: "tostring",
}

func (a *analyzer) ipLookup(n plan.Node, x *syntax.EvaluateOp, v6 bool) plan.Node {
	pos, named := pluginArgs(x.Call)
	if len(pos) < 3 {
		a.errorf(x.Call.Pos(), "%s() takes the lookup table, the address column and the range column", x.Call.Fun.Name)
		return nil
	}
	table := a.tabular(unparen(pos[0]))
	if table == nil {
		return nil
	}
	in, ts := n.Schema(), table.Schema()
	l := &plan.IPLookup{Input: n, Table: table, V6: v6, TableFirst: v6}
	if last, ok := unparen(pos[len(pos)-1]).(*syntax.Literal); ok && last.Kind == syntax.LitBool && len(pos) > 3 {
		// return_unmatched given by position.
		named["return_unmatched"] = &syntax.NamedExpr{X: last}
		pos = pos[:len(pos)-1]
	}
	var ok bool
	if l.Key, ok = a.columnArg(pos[1], in, "the address column"); !ok {
		return nil
	}
	if l.Range, ok = a.columnArg(pos[2], ts, "the range column"); !ok {
		return nil
	}
	for _, e := range pos[3:] {
		i, ok1 := a.columnArg(e, in, "an extra key")
		j, ok2 := a.columnArg(e, ts, "an extra key")
		if !ok1 || !ok2 {
			return nil
		}
		l.ExtraIn = append(l.ExtraIn, i)
		l.ExtraTable = append(l.ExtraTable, j)
	}
	if ne, ok := named["return_unmatched"]; ok {
		c, ok := a.constArg(ne.X)
		if !ok {
			return nil
		}
		l.KeepUnmatched, _ = c.Value.(bool)
	}
	if in[l.Key].Type != types.String || ts[l.Range].Type != types.String {
		a.errorf(x.Call.Pos(), "%s: the address and range columns must be strings", x.Call.Fun.Name)
		return nil
	}
	// Columns named alike on both sides keep the input's name; the
	// table's copy is renamed as union does.
	taken := map[string]bool{}
	for _, c := range in {
		taken[c.Name] = true
	}
	renamed := false
	var names []string
	for _, c := range ts {
		nm := c.Name
		if taken[nm] {
			nm = uniqueName(nm, taken)
			renamed = true
		} else {
			taken[nm] = true
		}
		names = append(names, nm)
	}
	if renamed {
		p := &plan.Project{Input: table, Names: names}
		for i, c := range ts {
			p.Exprs = append(p.Exprs, &plan.ColRef{Index: i, Name: c.Name, T: c.Type})
		}
		l.Table = p
	}
	return l
}

func (a *analyzer) slidingWindowCounts(n plan.Node, x *syntax.EvaluateOp) plan.Node {
	pos, _ := pluginArgs(x.Call)
	if len(pos) < 6 {
		a.errorf(x.Call.Pos(), "sliding_window_counts() takes IdColumn, TimelineColumn, Start, End, LookbackWindow, Bin [, dimensions]")
		return nil
	}
	id, tm, ok := a.idTimeArgs(n, pos, "sliding_window_counts")
	if !ok {
		return nil
	}
	s := &plan.SlidingWindowCounts{Input: n, Id: id, Time: tm}
	vals := make([]int64, 4)
	for i, e := range pos[2:6] {
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
			a.errorf(e.Pos(), "sliding_window_counts: expected a datetime or timespan constant")
			return nil
		}
	}
	s.Start, s.End, s.Lookback, s.Bin = vals[0], vals[1], vals[2], vals[3]
	if s.Bin <= 0 || s.Lookback <= 0 {
		a.errorf(x.Call.Pos(), "sliding_window_counts: the bin and the lookback window must be positive")
		return nil
	}
	if s.Dims, s.DimNames, ok = a.dimArgs(n, pos[6:]); !ok {
		return nil
	}
	return s
}

var _ = sort.Strings
