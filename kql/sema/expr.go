package sema

import (
	"math"
	"strconv"
	"strings"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/plan"
	"hunt/kql/syntax"
	"hunt/kql/types"
)

// row is the set of columns visible to a scalar expression: the input
// columns of an operator, and in extend/project also the columns defined
// earlier in the same operator (whose expressions are inlined).
type row struct {
	names []string
	exprs []plan.Expr
	// agg, when set, turns aggregate calls into references to the
	// aggregate's output (summarize).
	agg func(call *syntax.CallExpr, f *builtins.Func) plan.Expr
	// packN, when packInput is set, is how many leading columns
	// pack_all() packs: the operator's input, not the columns
	// project/extend add.
	packN     int
	packInput bool
}

func rowOf(s vec.Schema) *row {
	r := &row{names: make([]string, len(s)), exprs: make([]plan.Expr, len(s))}
	for i, c := range s {
		r.names[i] = c.Name
		r.exprs[i] = &plan.ColRef{Index: i, Name: c.Name, T: c.Type}
	}
	return r
}

func (r *row) find(name string) int {
	if r == nil {
		return -1
	}
	for i := len(r.names) - 1; i >= 0; i-- {
		if r.names[i] == name {
			return i
		}
	}
	return -1
}

// set defines or replaces a column of the row.
func (r *row) set(name string, e plan.Expr) {
	if i := r.find(name); i >= 0 {
		r.exprs[i] = e
		return
	}
	r.names = append(r.names, name)
	r.exprs = append(r.exprs, e)
}

// bad stands for an expression that failed to analyze; its Unknown type
// keeps follow-on checks quiet so one mistake gives one error.
func bad() plan.Expr { return badConst }

var badConst = &plan.Const{T: types.Unknown}

// isBad reports whether e is the placeholder of a failed expression.
func isBad(e plan.Expr) bool { return e == plan.Expr(badConst) }

// scalar analyzes a scalar expression in the context of row r (nil when no
// columns are visible, as in a let).
func (a *analyzer) scalar(e syntax.Expr, r *row) plan.Expr {
	switch x := e.(type) {
	case *syntax.Ident:
		return a.ident(x, r)
	case *syntax.Literal:
		return a.literal(x)
	case *syntax.DynamicLit:
		v, ok := a.dynValue(x.Value)
		if !ok {
			return bad()
		}
		return &plan.Const{T: types.Dynamic, Value: v}
	case *syntax.ParenExpr:
		if isTabularSyntax(x.X) {
			a.errorf(x.Pos(), "a tabular expression is not allowed here; use toscalar() for a single value")
			return bad()
		}
		return a.scalar(x.X, r)
	case *syntax.UnaryExpr:
		arg := a.scalar(x.X, r)
		if x.Op == syntax.ADD {
			return arg
		}
		return a.call(x, "neg", []plan.Expr{arg})
	case *syntax.BinaryExpr:
		if _, ok := x.X.(*syntax.StarExpr); ok && r != nil && starOps[x.Op] {
			return a.starPredicate(x, r)
		}
		l := a.scalar(x.X, r)
		rr := a.scalar(x.Y, r)
		op := x.Op
		if op == ":" {
			// Column:"term" is search syntax for a term match.
			op = "has"
		}
		return a.call(x, op, []plan.Expr{l, rr})
	case *syntax.ListExpr:
		return a.listExpr(x, r)
	case *syntax.BetweenExpr:
		op := "between"
		if x.Not {
			op = "!between"
		}
		return a.call(x, op, []plan.Expr{a.scalar(x.X, r), a.scalar(x.Lo, r), a.scalar(x.Hi, r)})
	case *syntax.CallExpr:
		return a.callExpr(x, r)
	case *syntax.MemberExpr:
		if a.graphMember != nil {
			if e, ok := a.graphMember(x, r); ok {
				return e
			}
		}
		if id, ok := x.X.(*syntax.Ident); ok && a.stepRef != nil && r.find(id.Name) < 0 {
			if e, ok := a.stepRef(id.Name, x.Name.Name); ok {
				return e
			}
		}
		if id, ok := x.X.(*syntax.Ident); ok && (id.Name == "$left" || id.Name == "$right") {
			a.errorf(x.Pos(), "%s can only be used in the on clause of a join", id.Name)
			return bad()
		}
		base := a.scalar(x.X, r)
		return a.member(x, base, &plan.Const{T: types.String, Value: x.Name.Name})
	case *syntax.IndexExpr:
		base := a.scalar(x.X, r)
		idx := a.scalar(x.Index, r)
		return a.member(x, base, idx)
	case *syntax.NamedExpr:
		a.errorf(x.Pos(), "a named expression (name = value) is not allowed here")
		return bad()
	case *syntax.StarExpr:
		a.errorf(x.Pos(), "'*' is not allowed here")
		return bad()
	case *syntax.BadExpr:
		return bad() // the parser reported it
	case *syntax.PipeExpr:
		a.errorf(x.Pos(), "a tabular expression is not allowed here; use toscalar() for a single value")
		return bad()
	}
	a.errorSpan(e.Pos(), e.End(), true, "this expression form is not supported yet")
	return bad()
}

func isTabularSyntax(e syntax.Expr) bool {
	switch x := e.(type) {
	case *syntax.PipeExpr:
		return true
	case *syntax.ParenExpr:
		return isTabularSyntax(x.X)
	}
	return false
}

func (a *analyzer) ident(x *syntax.Ident, r *row) plan.Expr {
	if i := r.find(x.Name); i >= 0 {
		return r.exprs[i]
	}
	if b := a.scope.lookup(x.Name); b != nil {
		switch b.kind {
		case bindScalar:
			if b.expr == nil {
				return bad()
			}
			return b.expr
		case bindTabular:
			a.errorf(x.Pos(), "'%s' is a tabular expression and cannot be used as a value here", x.Name)
			return bad()
		case bindFunc:
			if len(b.fn.Params) == 0 {
				return a.inlineScalarFunc(x, b, nil, r)
			}
			a.errorf(x.Pos(), "'%s' is a function; call it with arguments", x.Name)
			return bad()
		}
	}
	if x.Name == "$left" || x.Name == "$right" {
		a.errorf(x.Pos(), "%s can only be used in the on clause of a join", x.Name)
		return bad()
	}
	var cands []string
	if r != nil {
		cands = append(cands, r.names...)
	}
	cands = append(cands, a.scope.allNames()...)
	a.errorSpan(x.Pos(), x.End(), false, "unknown column or name '%s'%s", x.Name, suggest(x.Name, cands))
	return bad()
}

// member builds dynamic member access or indexing.
func (a *analyzer) member(n syntax.Node, base, key plan.Expr) plan.Expr {
	switch base.Type() {
	case types.Dynamic, types.Unknown:
	default:
		a.errorf(n.Pos(), "cannot access a member of a %s value; only dynamic values have members", base.Type())
		return bad()
	}
	name := "__index"
	if c, ok := key.(*plan.Const); ok && c.T == types.String {
		name = "__member"
	}
	return a.call(n, name, []plan.Expr{base, key})
}

// call type-checks a call of a builtin function or operator and folds it
// when every argument is constant.
func (a *analyzer) call(n syntax.Node, name string, args []plan.Expr) plan.Expr {
	f, ok := builtins.Lookup(name)
	if !ok {
		a.errorSpan(n.Pos(), n.End(), true, "operator or function '%s' is not supported yet", name)
		return bad()
	}
	for _, arg := range args {
		if isBad(arg) {
			return bad()
		}
	}
	if err := f.CheckCount(len(args)); err != nil {
		a.errorSpan(n.Pos(), n.End(), false, "%v", err)
		return bad()
	}
	t, err := f.Result(plan.ArgInfo(args))
	if err != nil {
		a.errorSpan(n.Pos(), n.End(), false, "%v", err)
		return bad()
	}
	c := &plan.Call{Name: f.Name, Func: f, Args: args, T: t}
	if f.Volatile && f.Name != "now" && f.Name != "ago" {
		return c
	}
	return a.fold(c)
}

func (a *analyzer) listExpr(x *syntax.ListExpr, r *row) plan.Expr {
	left := a.scalar(x.X, r)
	args := []plan.Expr{left}
	if len(x.List) == 1 && a.isTabularHere(x.List[0]) {
		node := a.tabular(unparen(x.List[0]))
		if node == nil {
			return bad()
		}
		if len(node.Schema()) == 0 {
			a.errorf(x.List[0].Pos(), "the sub-query has no columns")
			return bad()
		}
		args = append(args, &plan.Subquery{Node: node, Mode: plan.SubqueryColumn})
	} else {
		for _, el := range x.List {
			args = append(args, a.scalar(el, r))
		}
	}
	return a.call(x, x.Op, args)
}

func unparen(e syntax.Expr) syntax.Expr {
	for {
		p, ok := e.(*syntax.ParenExpr)
		if !ok {
			return e
		}
		e = p.X
	}
}

// isTabularHere decides whether an expression inside a list or a call
// argument denotes a table.
func (a *analyzer) isTabularHere(e syntax.Expr) bool {
	e = unparen(e)
	switch x := e.(type) {
	case *syntax.PipeExpr:
		return true
	case *syntax.Ident:
		if b := a.scope.lookup(x.Name); b != nil {
			return b.kind == bindTabular
		}
		return false
	case *syntax.CallExpr:
		return isTabular(x, a.scope)
	}
	return false
}

func (a *analyzer) literal(x *syntax.Literal) plan.Expr {
	v := strings.TrimSpace(x.Value)
	if x.TypeName != "" && len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		// datetime("2022-01-01"), timespan('1d'): Kusto accepts a quoted
		// string inside a typed literal.
		v = strings.TrimSpace(v[1 : len(v)-1])
	}
	switch x.Kind {
	case syntax.LitString:
		return &plan.Const{T: types.String, Value: x.Value}
	case syntax.LitBool:
		switch strings.ToLower(v) {
		case "true", "1":
			return &plan.Const{T: types.Bool, Value: true}
		case "false", "0":
			return &plan.Const{T: types.Bool, Value: false}
		}
	case syntax.LitLong, syntax.LitInt:
		t := types.Long
		if x.Kind == syntax.LitInt {
			t = types.Int
		}
		n, err := strconv.ParseInt(v, 0, 64)
		if err != nil {
			if f, ferr := strconv.ParseFloat(v, 64); ferr == nil && f == math.Trunc(f) {
				n, err = int64(f), nil
			}
		}
		if err == nil {
			if t == types.Int && (n > math.MaxInt32 || n < math.MinInt32) {
				break
			}
			return &plan.Const{T: t, Value: n}
		}
	case syntax.LitReal, syntax.LitDecimal:
		t := types.Real
		if x.Kind == syntax.LitDecimal {
			t = types.Decimal
		}
		f, ok := parseReal(v)
		if ok {
			return &plan.Const{T: t, Value: f}
		}
	case syntax.LitDateTime:
		if ticks, ok := types.ParseDatetime(v); ok {
			return &plan.Const{T: types.DateTime, Value: types.DT(ticks)}
		}
	case syntax.LitTimespan:
		if ticks, ok := types.ParseTimespan(v); ok {
			return &plan.Const{T: types.Timespan, Value: types.TS(ticks)}
		}
	case syntax.LitGuid:
		if g, ok := types.ParseGuid(v); ok {
			return &plan.Const{T: types.Guid, Value: g}
		}
	case syntax.LitNull:
		t, ok := types.Parse(x.TypeName)
		if !ok {
			return &plan.Const{T: types.Unknown}
		}
		return &plan.Const{T: t, Value: nil}
	}
	a.errorSpan(x.Pos(), x.End(), false, "invalid %s literal %s", x.Kind, x.Raw)
	return bad()
}

func parseReal(s string) (float64, bool) {
	switch strings.ToLower(s) {
	case "nan":
		return math.NaN(), true
	case "inf", "+inf":
		return math.Inf(1), true
	case "-inf":
		return math.Inf(-1), true
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// dynValue converts the contents of dynamic(...) to a dynamic value.
func (a *analyzer) dynValue(e syntax.Expr) (any, bool) {
	switch x := e.(type) {
	case *syntax.ArrayLit:
		out := make([]any, 0, len(x.Elems))
		for _, el := range x.Elems {
			v, ok := a.dynValue(el)
			if !ok {
				return nil, false
			}
			out = append(out, v)
		}
		return out, true
	case *syntax.BagLit:
		b := types.NewBag(len(x.Keys))
		for i, k := range x.Keys {
			v, ok := a.dynValue(x.Values[i])
			if !ok {
				return nil, false
			}
			b.Set(k, v)
		}
		return b, true
	case *syntax.UnaryExpr:
		v, ok := a.dynValue(x.X)
		if !ok {
			return nil, false
		}
		if x.Op == syntax.SUB {
			switch n := v.(type) {
			case int64:
				return -n, true
			case float64:
				return -n, true
			}
			a.errorf(x.Pos(), "invalid value in dynamic literal")
			return nil, false
		}
		return v, true
	case *syntax.Literal:
		c := a.literal(x)
		k, ok := c.(*plan.Const)
		if !ok || isBad(k) {
			return nil, false
		}
		return toDynamic(k), true
	case *syntax.Ident:
		switch x.Name {
		case "null":
			return nil, true
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	a.errorf(e.Pos(), "invalid value in dynamic literal")
	return nil, false
}

// toDynamic converts a constant to the dynamic value it becomes inside a
// dynamic literal or pack_array.
func toDynamic(c *plan.Const) any {
	if c.Value == nil {
		return nil
	}
	switch c.T {
	case types.Int, types.Long:
		return c.Value.(int64)
	}
	return c.Value
}

// starOps are the string predicates `* op value` may use (where * has
// "x"): true when some column passes, or, for the negated ones, when no
// column passes the positive form.
var starOps = map[string]bool{
	"has": true, "has_cs": true, "contains": true, "contains_cs": true, "startswith": true, "startswith_cs": true,
	"endswith": true, "endswith_cs": true, "hasprefix": true, "hassuffix": true, "==": true, "=~": true,
	"!has": true, "!has_cs": true, "!contains": true, "!contains_cs": true, "!startswith": true, "!endswith": true,
	"!=": true, "!~": true,
}

var starNegated = map[string]string{
	"!has": "has", "!has_cs": "has_cs", "!contains": "contains", "!contains_cs": "contains_cs",
	"!startswith": "startswith", "!endswith": "endswith", "!=": "==", "!~": "=~",
}

// starPredicate expands `* op value` over the row's string and dynamic
// columns (the columns search looks at; dynamic ones as text).
func (a *analyzer) starPredicate(x *syntax.BinaryExpr, r *row) plan.Expr {
	value := a.scalar(x.Y, r)
	if isBad(value) {
		return value
	}
	op, negated := x.Op, false
	if pos, ok := starNegated[op]; ok {
		op, negated = pos, true
	}
	var any plan.Expr
	for i, e := range r.exprs {
		if e == nil || r.names[i] == "" || (e.Type() != types.String && e.Type() != types.Dynamic) {
			continue
		}
		col := e
		if col.Type() == types.Dynamic {
			col = a.call(x, "tostring", []plan.Expr{col})
		}
		m := a.call(x, op, []plan.Expr{col, value})
		if isBad(m) {
			return m // reported once, not once per column
		}
		if any == nil {
			any = m
		} else {
			any = a.call(x, "or", []plan.Expr{any, m})
		}
	}
	if any == nil {
		any = &plan.Const{T: types.Bool, Value: false}
	}
	if negated {
		return a.call(x, "not", []plan.Expr{any})
	}
	return any
}
