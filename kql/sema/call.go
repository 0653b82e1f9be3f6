package sema

import (
	"strings"

	"hunt/kql/builtins"
	"hunt/kql/plan"
	"hunt/kql/syntax"
	"hunt/kql/types"
)

// cloudOnly names functions that need a Microsoft cloud service and
// cannot run over exported data.
var cloudOnly = map[string]string{
	"FileProfile":         "FileProfile() needs the Defender XDR file reputation service",
	"SeenBy":              "SeenBy() needs the Defender XDR device inventory service",
	"AssignedIPAddresses": "AssignedIPAddresses() needs the Defender XDR device inventory service",
	"DeviceFromIP":        "DeviceFromIP() needs the Defender XDR device inventory service",
	"arg":                 "arg() queries Azure Resource Graph",
	"workspace":           "workspace() queries another Log Analytics workspace",
	"cluster":             "cluster() queries another Kusto cluster",
	"database":            "database() queries another Kusto database",
	"app":                 "app() queries Application Insights",
	"adx":                 "adx() queries Azure Data Explorer",
}

func (a *analyzer) callExpr(x *syntax.CallExpr, r *row) plan.Expr {
	name := x.Fun.Name
	wantBag := a.wantBag
	a.wantBag = false
	if x.Recv != nil {
		a.errorSpan(x.Pos(), x.End(), true, "not available offline: cross-cluster and cross-database references")
		return bad()
	}
	if a.graphCall != nil {
		if e, ok := a.graphCall(x, r); ok {
			return e
		}
	}
	if b := a.scope.lookup(name); b != nil {
		if b.kind == bindFunc {
			return a.inlineScalarFunc(x, b, x.Args, r)
		}
		a.errorf(x.Pos(), "'%s' is not a function", name)
		return bad()
	}
	if why, ok := cloudOnly[name]; ok {
		a.errorSpan(x.Pos(), x.End(), true, "not available offline: %s", why)
		return bad()
	}
	switch name {
	case "bin_auto":
		if len(x.Args) == 1 && a.binAutoSize != nil {
			args := []plan.Expr{a.scalar(x.Args[0], r), a.scalar(a.binAutoSize, nil)}
			if a.binAutoAt != nil {
				args = append(args, a.scalar(a.binAutoAt, nil))
			}
			return a.call(x, name, args)
		}
	case "toscalar":
		if len(x.Args) < 1 {
			a.errorf(x.Pos(), "toscalar() takes a tabular expression")
			return bad()
		}
		arg := x.Args[len(x.Args)-1]
		if !a.isTabularHere(arg) {
			// toscalar of a scalar is the scalar itself.
			return a.scalar(arg, r)
		}
		node := a.tabular(unparen(arg))
		if node == nil {
			return bad()
		}
		s := node.Schema()
		if len(s) == 0 {
			a.errorf(arg.Pos(), "toscalar(): the sub-query has no columns")
			return bad()
		}
		return &plan.Subquery{Node: node, Mode: plan.SubqueryScalar, T: s[0].Type}
	case "column_ifexists":
		if len(x.Args) != 2 {
			a.errorf(x.Pos(), "column_ifexists() takes 2 arguments")
			return bad()
		}
		name, ok := a.constString(x.Args[0])
		if !ok {
			a.errorf(x.Args[0].Pos(), "column_ifexists(): the column name must be a constant string")
			return bad()
		}
		if i := r.find(name); i >= 0 {
			return r.exprs[i]
		}
		return a.scalar(x.Args[1], r)
	case "column_names_of":
		// column_names_of(T): the column names of a tabular expression,
		// known at analysis time.
		if len(x.Args) != 1 {
			a.errorf(x.Pos(), "column_names_of() takes one tabular expression")
			return bad()
		}
		node := a.tabular(unparen(x.Args[0]))
		if node == nil {
			return bad()
		}
		names := []any{}
		for _, c := range node.Schema() {
			names = append(names, c.Name)
		}
		return &plan.Const{T: types.Dynamic, Value: names}
	case "pack_all":
		if r == nil {
			a.errorf(x.Pos(), "pack_all() needs row context")
			return bad()
		}
		ignoreEmpty := false
		switch len(x.Args) {
		case 0:
		case 1:
			c, ok := a.constArg(x.Args[0])
			if !ok {
				return bad()
			}
			b, isBool := c.Value.(bool)
			if !isBool {
				a.errorf(x.Args[0].Pos(), "pack_all() takes a constant bool")
				return bad()
			}
			ignoreEmpty = b
		default:
			a.errorf(x.Pos(), "pack_all() takes at most one argument")
			return bad()
		}
		names := r.names
		if r.packInput && r.packN < len(names) {
			names = names[:r.packN]
		}
		var args []plan.Expr
		for i, n := range names {
			args = append(args, &plan.Const{T: types.String, Value: n}, r.exprs[i])
		}
		if ignoreEmpty {
			return a.call(x, "__bag_pack_nonempty", args)
		}
		return a.call(x, "bag_pack", args)
	case "typeof":
		// typeof(T) names a type for extract(), extract_json() and
		// friends; kernels take it as a constant type name.
		if len(x.Args) == 1 {
			if id, ok := x.Args[0].(*syntax.Ident); ok {
				if t, ok := types.Parse(id.Name); ok {
					return &plan.Const{T: types.String, Value: t.String()}
				}
			}
		}
		a.errorf(x.Pos(), "typeof() takes a type name such as typeof(long)")
		return bad()
	case "ingestion_time":
		// Exports carry no ingestion time. The closest column a row has is
		// its generation time (TimeGenerated, else Timestamp), which is
		// what hunting queries that filter on ingestion_time() mean.
		for _, col := range []string{"TimeGenerated", "Timestamp"} {
			if i := r.find(col); i >= 0 && r.exprs[i].Type() == types.DateTime {
				return r.exprs[i]
			}
		}
		return &plan.Const{T: types.DateTime}
	case "materialize", "view", "table", "_GetWatchlist", "datatable":
		a.errorf(x.Pos(), "%s() is tabular and cannot be used as a value here", name)
		return bad()
	}
	f, ok := builtins.Lookup(name)
	if !ok {
		a.errorSpan(x.Fun.Pos(), x.Fun.End(), false, "unknown function '%s'%s", name, suggest(name, append(builtins.Names(), a.scope.allNames()...)))
		return bad()
	}
	if f.Kind == builtins.Aggregate {
		if f.ScalarTwin != "" && (r == nil || r.agg == nil || (f.MaxArgs >= 0 && len(x.Args) > f.MaxArgs)) {
			// hll_merge(h1, h2) outside summarize is the scalar twin.
			if twin, ok := builtins.Lookup(f.ScalarTwin); ok {
				f = twin
				name = twin.Name
			}
		}
	}
	if f.Kind == builtins.Aggregate {
		if r != nil && r.agg != nil {
			return r.agg(x, f)
		}
		a.errorSpan(x.Pos(), x.End(), false, "aggregate function %s() can only be used in summarize (or make-series, top-nested)", name)
		return bad()
	}
	var args []plan.Expr
	for _, arg := range x.Args {
		switch y := arg.(type) {
		case *syntax.StarExpr:
			if r == nil {
				a.errorf(y.Pos(), "'*' needs row context")
				return bad()
			}
			args = append(args, r.exprs...)
		case *syntax.NamedExpr:
			// Builtins take their arguments by position; a name written
			// before one (toint(Compliant = dcountif(...))) is ignored, as
			// Kusto's analyzer does.
			if len(y.Names) != 1 {
				a.errorSpan(y.Pos(), y.End(), false, "a tuple name is not allowed in an argument of %s()", name)
				return bad()
			}
			args = append(args, a.scalar(y.X, r))
		default:
			args = append(args, a.scalar(arg, r))
		}
	}
	c := a.call(x, name, args)
	if o, ok := multiOutputs[name]; ok && !wantBag && !isBad(c) {
		return a.outputOf(x, c, o[0])
	}
	return c
}

// inlineScalarFunc expands a call of a user function (let f = (...) {...})
// that yields a scalar.
func (a *analyzer) inlineScalarFunc(n syntax.Node, b *binding, args []syntax.Expr, r *row) plan.Expr {
	var out plan.Expr = bad()
	a.withFunc(n, b, args, r, func(final syntax.Expr) {
		if isTabular(final, a.scope) {
			a.errorf(n.Pos(), "function '%s' returns a table and cannot be used as a value here", calleeName(n))
			return
		}
		out = a.scalar(final, r)
	})
	return out
}

// inlineTabularFunc expands a call of a user function that yields a table.
// input, when not nil, is the piped-in table of `invoke`.
func (a *analyzer) inlineTabularFunc(n syntax.Node, b *binding, args []syntax.Expr, input plan.Node) plan.Node {
	var out plan.Node
	a.withFuncInput(n, b, args, nil, input, func(final syntax.Expr) {
		out = a.tabular(final)
	})
	return out
}

func calleeName(n syntax.Node) string {
	switch x := n.(type) {
	case *syntax.CallExpr:
		return x.Fun.Name
	case *syntax.Ident:
		return x.Name
	}
	return "function"
}

func (a *analyzer) withFunc(n syntax.Node, b *binding, args []syntax.Expr, r *row, body func(final syntax.Expr)) {
	a.withFuncInput(n, b, args, r, nil, body)
}

// withFuncInput binds a user function's parameters in a new scope over the
// function's defining scope, analyzes its let statements and hands the
// final expression to body.
func (a *analyzer) withFuncInput(n syntax.Node, b *binding, args []syntax.Expr, r *row, input plan.Node, body func(final syntax.Expr)) {
	if a.depth > 32 {
		a.errorf(n.Pos(), "function calls nest too deeply (recursion is not allowed)")
		return
	}
	fn := b.fn
	params := fn.Params
	if input != nil {
		if len(params) == 0 {
			a.errorf(n.Pos(), "function '%s' takes no table to invoke", calleeName(n))
			return
		}
	}
	nargs := len(args)
	if input != nil {
		nargs++
	}
	if nargs > len(params) && len(params) > 0 {
		a.errorf(n.Pos(), "function '%s' takes %d argument(s), got %d", calleeName(n), len(params), nargs)
		return
	}
	inner := newScope(b.fnEnv)
	// Named arguments (f(c=7, a=12)) bind by name; the rest by position.
	named := map[string]syntax.Expr{}
	var positional []syntax.Expr
	for _, arg := range args {
		if ne, ok := arg.(*syntax.NamedExpr); ok && len(ne.Names) == 1 {
			known := false
			for _, p := range params {
				if p.Name.Name == ne.Names[0].Name {
					known = true
				}
			}
			if !known {
				a.errorf(ne.Pos(), "function '%s' has no parameter '%s'", calleeName(n), ne.Names[0].Name)
				return
			}
			named[ne.Names[0].Name] = ne.X
			continue
		}
		positional = append(positional, arg)
	}
	args = positional
	argIdx := 0
	for i, p := range params {
		tabularParam := strings.HasPrefix(p.Type, "(")
		if i == 0 && input != nil {
			inner.names[p.Name.Name] = &binding{kind: bindTabular, node: input}
			continue
		}
		var arg syntax.Expr
		if x, ok := named[p.Name.Name]; ok {
			arg = x
		} else if argIdx < len(args) {
			arg = args[argIdx]
			argIdx++
		}
		if arg == nil {
			if p.Default == nil {
				a.errorf(n.Pos(), "function '%s': missing argument '%s'", calleeName(n), p.Name.Name)
				return
			}
			arg = p.Default
		}
		if tabularParam || (p.Type == "" && a.isTabularHere(arg)) {
			node := a.tabular(unparen(arg))
			if node == nil {
				return
			}
			inner.names[p.Name.Name] = &binding{kind: bindTabular, node: node}
			continue
		}
		e := a.scalar(arg, r)
		if p.Type != "" {
			if want, ok := types.Parse(p.Type); ok && e.Type() != want && e.Type() != types.Unknown && !(want.IsNumeric() && e.Type().IsNumeric()) {
				a.errorf(arg.Pos(), "function '%s': argument '%s' must be %s, got %s", calleeName(n), p.Name.Name, want, e.Type())
			}
		}
		inner.names[p.Name.Name] = &binding{kind: bindScalar, expr: e}
	}
	saved := a.scope
	a.scope = inner
	a.depth++
	defer func() { a.scope = saved; a.depth-- }()
	var final syntax.Expr
	for _, st := range fn.Body {
		switch s := st.(type) {
		case *syntax.LetStmt:
			a.let(s, false)
		case *syntax.ExprStmt:
			final = s.X
		}
	}
	if final == nil {
		a.errorf(n.Pos(), "function '%s' has no result expression", calleeName(n))
		return
	}
	body(final)
}
